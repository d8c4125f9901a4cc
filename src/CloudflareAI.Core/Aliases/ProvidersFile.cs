using System.Collections.Generic;

namespace CloudflareAI.Aliases
{
    /// <summary>The user's providers file as read: its entries in file order, and the auto-selection order it sets.</summary>
    public sealed class ProvidersFile
    {
        /// <summary>The file's name for messages: its full path.</summary>
        public string Path { get; set; } = string.Empty;

        /// <summary>The $schema value, kept as written; null when absent.</summary>
        public string? Schema { get; set; }

        /// <summary>The entries, in file order.</summary>
        public List<ProviderEntry> Providers { get; } = new List<ProviderEntry>();

        /// <summary>The top-level autoSelect names, or null when the file leaves the built-in order alone.</summary>
        public List<string>? AutoSelect { get; set; }

        /// <summary>The line of each autoSelect item (1-based), parallel to <see cref="AutoSelect"/>; empty for a file being written.</summary>
        public List<int> AutoSelectLines { get; } = new List<int>();

        /// <summary>The entry of that name (names are lower-case), or null.</summary>
        public ProviderEntry? Find(string name)
        {
            foreach (var entry in Providers)
            {
                if (string.Equals(entry.Name, name, System.StringComparison.OrdinalIgnoreCase)) return entry;
            }
            return null;
        }
    }
}
