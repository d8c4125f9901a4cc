using System.Reflection;

namespace CloudflareAI.Http
{
    /// <summary>The User-Agent the module sends: "CloudflareAI/&lt;version&gt;", so providers can tell its traffic apart.</summary>
    internal static class UserAgent
    {
        public const string HeaderName = "User-Agent";

        public static string Value { get; } = Build();

        private static string Build()
        {
            Assembly assembly = typeof(UserAgent).Assembly;
            string? version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            if (string.IsNullOrEmpty(version)) version = assembly.GetName().Version?.ToString(3);
            if (string.IsNullOrEmpty(version)) version = "0.0.0";

            // The SDK appends "+<commit>" to the informational version; a product token should carry only the version.
            int plus = version!.IndexOf('+');
            if (plus >= 0) version = version.Substring(0, plus);
            return "CloudflareAI/" + version;
        }
    }
}
