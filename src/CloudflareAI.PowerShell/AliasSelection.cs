using System.Collections.Generic;
using System.Management.Automation;
using CloudflareAI.Aliases;
using CloudflareAI.Chat;

namespace CloudflareAI.Commands
{
    /// <summary>
    /// The -Name rules shared by Get-AIProviderAlias and Test-AIProviderEnvironment (SPEC §4): wildcards match quietly
    /// (no match, no output, like Get-Command); an exact name that matches nothing is an ObjectNotFound error with a
    /// did-you-mean suggestion.
    /// </summary>
    internal static class AliasSelection
    {
        /// <summary>Aliases matched by <paramref name="names"/>, each once, in catalog order; misses go to <paramref name="notFound"/>.</summary>
        public static List<ProviderAliasDefinition> Select(IEnumerable<string>? names, List<string> notFound)
        {
            var selected = new List<ProviderAliasDefinition>();
            if (names == null)
            {
                selected.AddRange(AliasCatalog.All);
                return selected;
            }

            var wanted = new HashSet<string>();
            foreach (var name in names)
            {
                if (name == null) continue;
                if (WildcardPattern.ContainsWildcardCharacters(name))
                {
                    var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
                    foreach (var alias in AliasCatalog.All)
                    {
                        if (pattern.IsMatch(alias.Name)) wanted.Add(alias.Name);
                    }
                }
                else if (AliasCatalog.TryGet(name, out var alias))
                {
                    wanted.Add(alias.Name);
                }
                else
                {
                    notFound.Add(name);
                }
            }

            foreach (var alias in AliasCatalog.All)
            {
                if (wanted.Contains(alias.Name)) selected.Add(alias);
            }
            return selected;
        }

        public static ErrorRecord NotFound(string name) => ErrorRecords.From(EndpointResolver.AliasNotFound(name), name);
    }
}
