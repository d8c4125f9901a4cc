using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace CloudflareAI.PowerShell
{
    /// <summary>Hands -GatewayMetadata to the core as plain .NET values; the core decides what the gateway can take.</summary>
    internal static class GatewayParameters
    {
        public static IReadOnlyList<KeyValuePair<string, object?>> MetadataEntries(Hashtable metadata)
        {
            var entries = new List<KeyValuePair<string, object?>>(metadata.Count);
            foreach (DictionaryEntry entry in metadata)
            {
                object? key = entry.Key is PSObject psKey ? psKey.BaseObject : entry.Key;
                entries.Add(new KeyValuePair<string, object?>(key?.ToString() ?? string.Empty, Plain(entry.Value)));
            }
            return entries;
        }

        private static object? Plain(object? value)
        {
            if (!(value is PSObject ps)) return value;
            // A [pscustomobject] is a nested value to the gateway, like a hashtable: say so rather than naming PSObject.
            return ps.BaseObject is PSCustomObject ? new Hashtable() : ps.BaseObject;
        }
    }
}
