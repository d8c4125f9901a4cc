using System;
using System.Collections.Generic;
using System.Linq;

namespace CloudflareAI.Aliases
{
    /// <summary>
    /// Applies the user's providers file to the built-in aliases: an entry named after a built-in overrides only the
    /// fields it sets (headers are merged by name), any other entry is a new alias, and autoSelect replaces the order.
    /// </summary>
    public static class UserAliasMerger
    {
        /// <exception cref="ProviderConfigException">An entry or autoSelect name refers to nothing it can use.</exception>
        public static AliasSet Merge(IReadOnlyList<ProviderAliasDefinition> builtins, IReadOnlyList<string> defaultOrder, ProvidersFile file)
        {
            var byName = builtins.ToDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase);
            var merged = builtins.ToList();
            foreach (var entry in file.Providers)
            {
                if (byName.TryGetValue(entry.Name, out var builtin))
                {
                    merged[merged.IndexOf(builtin)] = Override(builtin, entry);
                    continue;
                }
                if (entry.BaseUrl == null)
                {
                    var near = AliasCatalog.Suggest(entry.Name, builtins.Select(b => b.Name), 1);
                    string hint = near.Count > 0 ? $" Did you mean the built-in '{near[0]}'?" : string.Empty;
                    throw new ProviderConfigException(file.Path, entry.Line, entry.Name,
                        $"there is no built-in alias of this name to override, and the entry has no 'baseUrl'.{hint}",
                        "Give the entry a 'baseUrl', or spell the built-in alias's name as Get-AIProviderAlias shows it.");
                }
                merged.Add(Create(entry));
            }

            IReadOnlyList<string> order = defaultOrder;
            if (file.AutoSelect != null)
            {
                var names = new HashSet<string>(merged.Select(d => d.Name), StringComparer.OrdinalIgnoreCase);
                for (int i = 0; i < file.AutoSelect.Count; i++)
                {
                    string name = file.AutoSelect[i];
                    if (names.Contains(name)) continue;
                    int line = i < file.AutoSelectLines.Count ? file.AutoSelectLines[i] : 0;
                    var near = AliasCatalog.Suggest(name, names, 1);
                    string hint = near.Count > 0 ? $" Did you mean '{near[0]}'?" : string.Empty;
                    throw new ProviderConfigException(file.Path, line, null, $"'autoSelect' names '{name}', which is neither a built-in alias nor an entry of the file.{hint}",
                        "Name only aliases that Get-AIProviderAlias lists, or entries of the file; Unregister-AIProviderAlias removes a name from both.");
                }
                order = file.AutoSelect.ToList();
            }
            return new AliasSet(merged, order, null, file.Providers.Select(p => p.Name).ToList());
        }

        private static ProviderAliasDefinition Override(ProviderAliasDefinition builtin, ProviderEntry entry)
        {
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var pair in builtin.Headers) headers[pair.Key] = pair.Value;
            if (entry.Headers != null) foreach (var pair in entry.Headers) headers[pair.Key] = pair.Value;
            string? token = entry.TokenVariable != null ? (entry.TokenVariable.Length == 0 ? null : entry.TokenVariable) : builtin.TokenVariable;
            return new ProviderAliasDefinition(
                builtin.Name,
                entry.BaseUrl ?? builtin.BaseUrlTemplate,
                token,
                entry.CoalescesSystemMessages ?? builtin.CoalescesSystemMessages,
                entry.Description ?? builtin.Description,
                entry.DocumentationUrl ?? builtin.DocumentationUrl,
                entry.DefaultModel ?? builtin.DefaultModel,
                headers,
                builtin.TokenStyle,
                builtin.Gateway,
                builtin.IsCloudflare,
                entry.IsGateway ?? builtin.IsGateway,
                entry.TokenHeader ?? builtin.TokenHeader,
                entry.DefaultEmbeddingModel ?? builtin.DefaultEmbeddingModel,
                AliasSources.BuiltinUser);
        }

        private static ProviderAliasDefinition Create(ProviderEntry entry)
        {
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (entry.Headers != null) foreach (var pair in entry.Headers) headers[pair.Key] = pair.Value;
            return new ProviderAliasDefinition(
                entry.Name,
                entry.BaseUrl,
                string.IsNullOrEmpty(entry.TokenVariable) ? null : entry.TokenVariable,
                entry.CoalescesSystemMessages ?? false,
                entry.Description ?? "A user alias from the providers file.",
                entry.DocumentationUrl ?? string.Empty,
                entry.DefaultModel,
                headers,
                isGateway: entry.IsGateway ?? false,
                tokenHeader: entry.TokenHeader,
                defaultEmbeddingModel: entry.DefaultEmbeddingModel,
                source: AliasSources.User);
        }
    }
}
