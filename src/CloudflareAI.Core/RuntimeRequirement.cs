using System;

namespace CloudflareAI
{
    /// <summary>
    /// Which runtimes the module runs on: Windows PowerShell 5.1 (.NET Framework, with System.Text.Json from
    /// dependencies/) and PowerShell 7.4+ (.NET 8+, whose own System.Text.Json serves). PowerShell 7.0-7.3 run on
    /// .NET Core 3.1-7, which carry a System.Text.Json older than the 8.0 the module is built against and refuse ours.
    /// </summary>
    public static class RuntimeRequirement
    {
        /// <summary>Null when the runtime is supported, else the message to show at import.</summary>
        public static string? Check(string frameworkDescription, Version runtimeVersion)
        {
            if (IsNetFramework(frameworkDescription)) return null;
            if (runtimeVersion.Major >= 8) return null;
            return $"CloudflareAI needs PowerShell 7.4 or later (on .NET 8 or later), or Windows PowerShell 5.1. " +
                   $"This session runs on {frameworkDescription}, which is PowerShell 7.3 or older. " +
                   "Install a current PowerShell (https://aka.ms/powershell) and import the module there.";
        }

        /// <summary>True for Windows PowerShell's .NET Framework.</summary>
        public static bool IsNetFramework(string frameworkDescription) =>
            frameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);
    }
}
