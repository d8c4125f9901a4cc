using System;
using System.Collections.Generic;

namespace CloudflareAI.PowerShell
{
    /// <summary>The tools of one Invoke-AIChat call, by name (names are compared exactly, as the model must echo them).</summary>
    internal sealed class ToolSet
    {
        private readonly Dictionary<string, ToolEntry> _byName = new Dictionary<string, ToolEntry>(StringComparer.Ordinal);
        private readonly List<ToolDefinition> _definitions = new List<ToolDefinition>();

        public IReadOnlyList<ToolDefinition> Definitions => _definitions;

        public bool Contains(string name) => _byName.ContainsKey(name);

        public bool TryGet(string name, out ToolEntry entry) => _byName.TryGetValue(name, out entry!);

        /// <returns>False when a tool of that name is already in the set.</returns>
        public bool Add(ToolEntry entry)
        {
            if (_byName.ContainsKey(entry.Definition.Name)) return false;
            _byName.Add(entry.Definition.Name, entry);
            _definitions.Add(entry.Definition);
            return true;
        }
    }
}
