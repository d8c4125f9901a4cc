using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace CloudflareAI.PowerShell
{
    /// <summary>A command's synopsis and parameter descriptions from its help, for the tool description a model reads.</summary>
    internal sealed class HelpText
    {
        // In a child of the caller's scope, so functions defined there are found; a command without help gives nothing.
        private const string Script = @"param($c)
$n = if ($c -is [System.Management.Automation.ExternalScriptInfo]) { $c.Path } else { $c.Name }
$h = Get-Help -Name $n -ErrorAction Ignore 3>$null | Select-Object -First 1
if ($null -eq $h -or $h -is [string]) { return }
$p = @{}
foreach ($x in @($h.parameters.parameter)) {
    if ($x.name) { $t = (@($x.description) | ForEach-Object { $_.Text }) -join ""`n""; if ($t) { $p[[string]$x.name] = $t } }
}
@{ Synopsis = [string]$h.Synopsis; Parameters = $p }";

        private static readonly HelpText None = new HelpText(null, new Dictionary<string, string>());

        private readonly Dictionary<string, string> _parameters;

        private HelpText(string? synopsis, Dictionary<string, string> parameters)
        {
            Synopsis = synopsis;
            _parameters = parameters;
        }

        /// <summary>The help's synopsis; null when the help is only the generated syntax.</summary>
        public string? Synopsis { get; }

        public string? Parameter(string name) => _parameters.TryGetValue(name, out string? text) ? text : null;

        public static HelpText Read(PSCmdlet cmdlet, CommandInfo command)
        {
            try
            {
                var results = cmdlet.InvokeCommand.InvokeScript(Script, true, System.Management.Automation.Runspaces.PipelineResultTypes.None, null, command);
                foreach (PSObject result in results)
                {
                    if (!(result?.BaseObject is Hashtable table)) continue;
                    var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                    if (table["Parameters"] is Hashtable found)
                    {
                        foreach (DictionaryEntry entry in found)
                        {
                            string text = entry.Value?.ToString()?.Trim() ?? string.Empty;
                            if (text.Length > 0) parameters[entry.Key.ToString()!] = text;
                        }
                    }
                    string synopsis = (table["Synopsis"] as string ?? string.Empty).Trim();
                    // Without help, Get-Help makes the synopsis from the syntax, which starts with the command's name.
                    bool generated = synopsis.Length == 0 || synopsis.StartsWith(command.Name, StringComparison.OrdinalIgnoreCase);
                    return new HelpText(generated ? null : synopsis, parameters);
                }
            }
            catch (RuntimeException)
            {
                // Help is a nicety: a command whose help cannot be read is described by its name.
            }
            return None;
        }
    }
}
