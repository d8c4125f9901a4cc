using System.Management.Automation;

namespace CloudflareAI.PowerShell
{
    /// <summary>
    /// The warning about a providers file that cannot be used, written by the first command that looks at the aliases
    /// after the file changed, once per change of the file.
    /// </summary>
    internal static class UserAliasWarning
    {
        public static void WriteOnce(Cmdlet cmdlet)
        {
            string? warning = UserAliasStore.Process.TakeWarning();
            if (warning != null) cmdlet.WriteWarning(TerminalText.Escape(warning));
        }
    }
}
