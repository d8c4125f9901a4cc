using System;
using System.Collections.Generic;
using System.Management.Automation;

namespace CloudflareAI.PowerShell
{
    /// <summary>
    /// The -Name rules shared by Get-AIProviderAlias and Test-AIProviderEnvironment: wildcards match quietly
    /// (no match, no output, like Get-Command); an exact name that matches nothing is an ObjectNotFound error with a
    /// did-you-mean suggestion.
    /// </summary>
    internal static class AliasSelection
    {
        /// <summary>Aliases matched by <paramref name="names"/>, each once, in catalog order; misses go to <paramref name="notFound"/>.</summary>
        public static List<ProviderAliasDefinition> Select(IEnumerable<string>? names, List<string> notFound) =>
            Select(names, notFound, null);

        /// <summary>As above; an invalid wildcard pattern goes to <paramref name="invalidPatterns"/> (it is thrown when that is null).</summary>
        public static List<ProviderAliasDefinition> Select(IEnumerable<string>? names, List<string> notFound, List<ErrorRecord>? invalidPatterns)
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
                    WildcardPattern pattern;
                    try
                    {
                        pattern = Pattern(name);
                    }
                    catch (InvalidNamePatternException e) when (invalidPatterns != null)
                    {
                        invalidPatterns.Add(InvalidPattern(e));
                        continue;
                    }
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

        /// <summary>
        /// A -Name pattern, matched without regard to the culture (alias names are ASCII: under tr-TR 'I' must still match
        /// 'i'). An invalid pattern is an ArgumentException here: PowerShell would otherwise raise it from IsMatch as a
        /// bare WildcardPatternException.
        /// </summary>
        public static WildcardPattern Pattern(string name)
        {
            var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
            try
            {
                pattern.IsMatch(string.Empty);
            }
            catch (WildcardPatternException e)
            {
                throw new InvalidNamePatternException(name, e);
            }
            return pattern;
        }

        /// <summary>The InvalidArgument record for an invalid -Name pattern.</summary>
        public static ErrorRecord InvalidPattern(InvalidNamePatternException e) =>
            new ErrorRecord(e, ErrorIds.WildcardPatternInvalid, ErrorCategory.InvalidArgument, e.Name)
            {
                ErrorDetails = new ErrorDetails(e.Message)
                {
                    RecommendedAction = "Escape a literal '[' or ']' with a backtick (`[), or use '*' and '?' only, e.g. -Name 'cloudflare-*'.",
                },
            };

        public static ErrorRecord NotFound(string name) => ErrorRecords.From(EndpointResolver.AliasNotFound(name), name);
    }

    /// <summary>A -Name value that is not a valid wildcard pattern.</summary>
    internal sealed class InvalidNamePatternException : ArgumentException
    {
        public InvalidNamePatternException(string name, Exception inner)
            : base($"-Name '{name}' is not a valid wildcard pattern: {inner.Message}", inner)
        {
            Name = name;
        }

        public string Name { get; }
    }
}
