using System;
using System.IO;

namespace CloudflareAI.Aliases
{
    /// <summary>
    /// Where the user's providers file is: CLOUDFLAREAI_PROVIDERS_FILE when set, else
    /// XDG_CONFIG_HOME/CloudflareAI/providers.json (~/.config when unset) on Linux and macOS, and
    /// %APPDATA%\CloudflareAI\providers.json on Windows.
    /// </summary>
    public static class ProvidersFileLocation
    {
        /// <summary>The variable that names the file, for tests, CI and people who keep it elsewhere.</summary>
        public const string Variable = "CLOUDFLAREAI_PROVIDERS_FILE";

        /// <summary>The file's name inside the configuration folder.</summary>
        public const string FileName = "providers.json";

        /// <summary>The full path of the file (which may not exist), or null when no home folder is known.</summary>
        public static string? Resolve(IEnvironmentReader environment, bool isWindows)
        {
            string? explicitPath = environment.Get(Variable);
            if (!string.IsNullOrWhiteSpace(explicitPath)) return Path.GetFullPath(explicitPath!.Trim());

            string? folder;
            if (isWindows)
            {
                folder = environment.Get("APPDATA");
            }
            else
            {
                folder = environment.Get("XDG_CONFIG_HOME");
                // The XDG rule: a relative value is ignored.
                if (string.IsNullOrEmpty(folder) || !Path.IsPathRooted(folder))
                {
                    string? home = environment.Get("HOME");
                    folder = string.IsNullOrEmpty(home) ? null : Path.Combine(home!, ".config");
                }
            }
            return string.IsNullOrEmpty(folder) ? null : Path.Combine(folder!, "CloudflareAI", FileName);
        }

        /// <summary>True on Windows (either runtime).</summary>
        public static bool IsWindows => System.IO.Path.DirectorySeparatorChar == '\\';
    }
}
