using System;
using System.Collections.Generic;

namespace CloudflareAI.Environment
{
    /// <summary>A fixed table, for tests and for callers that assemble their own environment.</summary>
    public sealed class DictionaryEnvironmentReader : IEnvironmentReader, IEnvironmentListing
    {
        private readonly Dictionary<string, string> _values;

        /// <summary>An environment holding these values (none when null).</summary>
        public DictionaryEnvironmentReader(IEnumerable<KeyValuePair<string, string>>? values = null)
        {
            // Variable names are case-sensitive on Linux and macOS; keep them exact here too.
            _values = new Dictionary<string, string>(StringComparer.Ordinal);
            if (values != null)
            {
                foreach (var pair in values) _values[pair.Key] = pair.Value;
            }
        }

        /// <inheritdoc/>
        public string? Get(string name) => _values.TryGetValue(name, out var value) ? value : null;

        /// <inheritdoc/>
        public IEnumerable<KeyValuePair<string, string>> List() => _values;
    }
}
