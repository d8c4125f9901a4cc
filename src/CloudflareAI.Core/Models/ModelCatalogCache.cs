using System;
using System.Collections.Concurrent;
using System.Collections.Generic;

namespace CloudflareAI.Models
{
    /// <summary>
    /// The catalogs read in this process, per alias, API origin, account and task, for an hour. Only in memory: a catalog
    /// is cheap to read again, and a file would outlive the token that was allowed to read it.
    /// </summary>
    public sealed class ModelCatalogCache
    {
        /// <summary>How long a catalog is kept.</summary>
        public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

        private readonly ConcurrentDictionary<string, Entry> entries = new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal);
        private readonly IChatClock clock;

        /// <summary>A cache that reads the time from <paramref name="clock"/>.</summary>
        public ModelCatalogCache(IChatClock clock)
        {
            this.clock = clock ?? throw new ArgumentNullException(nameof(clock));
        }

        /// <summary>The clock entries are timed by.</summary>
        public IChatClock Clock => clock;

        /// <summary>A catalog read less than an hour ago.</summary>
        public bool TryGet(string key, out IReadOnlyList<ModelInfo> models)
        {
            if (entries.TryGetValue(key, out Entry? entry))
            {
                if (clock.UtcNow - entry.ReadAt < Lifetime)
                {
                    models = entry.Models;
                    return true;
                }
                entries.TryRemove(key, out _);
            }
            models = Array.Empty<ModelInfo>();
            return false;
        }

        /// <summary>Every fresh catalog whose key starts with <paramref name="prefix"/> (one per task read).</summary>
        public IEnumerable<IReadOnlyList<ModelInfo>> FreshWithPrefix(string prefix)
        {
            foreach (KeyValuePair<string, Entry> pair in entries)
            {
                if (pair.Key.StartsWith(prefix, StringComparison.Ordinal) && clock.UtcNow - pair.Value.ReadAt < Lifetime) yield return pair.Value.Models;
            }
        }

        /// <summary>Stores a catalog under a key, timed from now.</summary>
        public void Set(string key, IReadOnlyList<ModelInfo> models) => entries[key] = new Entry(models, clock.UtcNow);

        /// <summary>Forgets one catalog.</summary>
        public void Remove(string key) => entries.TryRemove(key, out _);

        /// <summary>Forgets every catalog.</summary>
        public void Clear() => entries.Clear();

        private sealed class Entry
        {
            public Entry(IReadOnlyList<ModelInfo> models, DateTimeOffset readAt)
            {
                Models = models;
                ReadAt = readAt;
            }

            public IReadOnlyList<ModelInfo> Models { get; }

            public DateTimeOffset ReadAt { get; }
        }
    }
}
