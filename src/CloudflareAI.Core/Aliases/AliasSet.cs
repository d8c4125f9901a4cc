using System;
using System.Collections.Generic;
using System.Linq;

namespace CloudflareAI.Aliases
{
    /// <summary>
    /// One consistent view of every alias: the built-ins with the user's overrides applied, then the user's own aliases,
    /// and the auto-selection order. When the providers file cannot be used, the built-ins alone and the reason.
    /// </summary>
    public sealed class AliasSet
    {
        private readonly Dictionary<string, ProviderAliasDefinition> _byName;

        /// <summary>A set of these aliases, tried in this order when -Provider is omitted.</summary>
        public AliasSet(IReadOnlyList<ProviderAliasDefinition> all, IReadOnlyList<string> autoSelectionOrder, ProviderConfigException? problem = null,
            IReadOnlyList<string>? userNames = null)
        {
            All = all;
            AutoSelectionOrder = autoSelectionOrder;
            Problem = problem;
            UserNames = userNames ?? new string[0];
            _byName = all.ToDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase);
        }

        /// <summary>Every alias: built-ins in catalog order, then user aliases in file order.</summary>
        public IReadOnlyList<ProviderAliasDefinition> All { get; }

        /// <summary>The names tried, in order, when -Provider is omitted.</summary>
        public IReadOnlyList<string> AutoSelectionOrder { get; }

        /// <summary>Why the providers file is not in use, or null.</summary>
        public ProviderConfigException? Problem { get; }

        /// <summary>The names of the file's entries (user aliases and overrides), in file order.</summary>
        public IReadOnlyList<string> UserNames { get; }

        /// <summary>Looks an alias up by name, ignoring letter case.</summary>
        public bool TryGet(string? name, out ProviderAliasDefinition definition) =>
            _byName.TryGetValue(name ?? string.Empty, out definition!);
    }
}
