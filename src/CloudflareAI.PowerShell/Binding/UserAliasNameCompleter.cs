using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace CloudflareAI.PowerShell
{
    /// <summary>Completes the names of the providers file's entries (user aliases and overrides), for Unregister-AIProviderAlias.</summary>
    public sealed class UserAliasNameCompleter : IArgumentCompleter
    {
        /// <inheritdoc/>
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            var pattern = WildcardPattern.Get(WildcardPattern.Escape(prefix) + "*", WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
            var aliases = AliasCatalog.Current;
            foreach (var name in aliases.UserNames)
            {
                if (!pattern.IsMatch(name)) continue;
                string tip = aliases.TryGet(name, out var alias) ? $"{alias.Source}: {alias.Description}" : name;
                yield return new CompletionResult(name, name, CompletionResultType.ParameterValue, tip);
            }
        }
    }
}
