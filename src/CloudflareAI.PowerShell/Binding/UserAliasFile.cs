using System.IO;

namespace CloudflareAI.PowerShell
{
    /// <summary>Where the cmdlets find the providers file and the schema they ship.</summary>
    internal static class UserAliasFile
    {
        public static string Path() =>
            UserAliasStore.Process.FilePath ?? throw new ProviderConfigException(ProvidersFileLocation.Variable, 0, null,
                "no location for the providers file is known: neither CLOUDFLAREAI_PROVIDERS_FILE nor a home or application-data folder is set.",
                "Set $env:CLOUDFLAREAI_PROVIDERS_FILE to the file's full path, for example $env:CLOUDFLAREAI_PROVIDERS_FILE = '/etc/cloudflareai/providers.json'.");

        public static string? SchemaUri()
        {
            string? folder = System.IO.Path.GetDirectoryName(typeof(UserAliasFile).Assembly.Location);
            if (string.IsNullOrEmpty(folder)) return null;
            string schema = System.IO.Path.Combine(folder, UserAliasRegistration.SchemaFileName);
            return File.Exists(schema) ? new System.Uri(schema).AbsoluteUri : null;
        }
    }
}
