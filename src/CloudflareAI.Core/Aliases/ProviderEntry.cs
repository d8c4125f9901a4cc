using System;
using System.Collections.Generic;

namespace CloudflareAI.Aliases
{
    /// <summary>
    /// One entry of the user's providers file as written: every field that the entry leaves out is null, so an entry
    /// named after a built-in alias overrides only what it sets.
    /// </summary>
    public sealed class ProviderEntry
    {
        /// <summary>The alias name: lower-case letters, digits and '-', starting with a letter or digit.</summary>
        public string Name { get; set; } = string.Empty;

        /// <summary>The base URL template.</summary>
        public string? BaseUrl { get; set; }

        /// <summary>The variable that holds the token; empty for a host that needs none.</summary>
        public string? TokenVariable { get; set; }

        /// <summary>The header that carries the token: Authorization (as Bearer) unless set, e.g. api-key.</summary>
        public string? TokenHeader { get; set; }

        /// <summary>Default headers, name to value template, in file order; null when the entry sets none.</summary>
        public IList<KeyValuePair<string, string>>? Headers { get; set; }

        /// <summary>The chat model used when -Model is not given.</summary>
        public string? DefaultModel { get; set; }

        /// <summary>The embedding model used when -Model is not given.</summary>
        public string? DefaultEmbeddingModel { get; set; }

        /// <summary>Whether adjacent system and user messages are merged before sending.</summary>
        public bool? CoalescesSystemMessages { get; set; }

        /// <summary>Whether the alias is an AI Gateway endpoint that takes the -Gateway* parameters.</summary>
        public bool? IsGateway { get; set; }

        /// <summary>A one-line description.</summary>
        public string? Description { get; set; }

        /// <summary>The host's API documentation.</summary>
        public string? DocumentationUrl { get; set; }

        /// <summary>The line of the entry in the file (1-based); 0 for an entry that is not from a file yet.</summary>
        public int Line { get; set; }

        /// <summary>The value template of a default header, looked up by name without regard to case; null when the entry has none.</summary>
        public string? FindHeader(string name)
        {
            if (Headers == null) return null;
            foreach (var pair in Headers)
            {
                if (string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase)) return pair.Value;
            }
            return null;
        }

        /// <inheritdoc/>
        public override string ToString() => Name;
    }
}
