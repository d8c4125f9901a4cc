using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace CloudflareAI.PowerShell
{
    /// <summary>Completes alias names from the core's catalog, so the list lives in one place.</summary>
    public sealed class ProviderNameCompleter : IArgumentCompleter
    {
        /// <inheritdoc/>
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            // What was typed is a prefix, not a pattern: a stray '[' must not break completion.
            var pattern = WildcardPattern.Get(WildcardPattern.Escape(prefix) + "*", WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
            foreach (var alias in AliasCatalog.All)
            {
                if (pattern.IsMatch(alias.Name))
                {
                    yield return new CompletionResult(alias.Name, alias.Name, CompletionResultType.ParameterValue, alias.Description);
                }
            }
        }
    }
}
