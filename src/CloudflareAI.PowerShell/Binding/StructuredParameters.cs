using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace CloudflareAI.PowerShell
{
    /// <summary>
    /// -JsonSchema, -ExtraBody and -AsHashtable as the core takes them: PowerShell values ([pscustomobject], hashtables,
    /// wrapped strings, the lines Get-Content gives) become plain strings, dictionaries and lists, and JSON objects of the
    /// answer become what ConvertFrom-Json gives. Whether the values can be sent is the core's rule
    /// (<see cref="ResponseFormat"/>, <see cref="ExtraBody"/>), checked before anything is sent.
    /// </summary>
    internal static class StructuredParameters
    {
        /// <summary>-JsonSchema as JSON text or plain values.</summary>
        /// <exception cref="ArgumentException">The value nests too deep or contains itself.</exception>
        public static object? Schema(object? schema) => Plain(LinesAsText(schema));

        /// <summary>-ExtraBody's fields as names and plain values, in the hashtable's order; null when not given.</summary>
        /// <exception cref="ArgumentException">A value nests too deep or contains itself.</exception>
        public static IReadOnlyList<KeyValuePair<string, object?>>? Entries(IDictionary? extra)
        {
            if (extra == null) return null;
            var entries = new List<KeyValuePair<string, object?>>();
            foreach (DictionaryEntry entry in extra)
            {
                string key = Convert.ToString(entry.Key is PSObject ps ? ps.BaseObject : entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
                entries.Add(new KeyValuePair<string, object?>(key, Plain(entry.Value)));
            }
            return entries;
        }

        /// <summary>Makes JSON objects of an answer into [pscustomobject]s (<paramref name="asHashtable"/> false) or hashtables.</summary>
        public static Func<IReadOnlyList<KeyValuePair<string, object?>>, object> DataObjects(bool asHashtable) =>
            asHashtable ? (Func<IReadOnlyList<KeyValuePair<string, object?>>, object>)ToHashtable : ToCustomObject;

        private static object ToCustomObject(IReadOnlyList<KeyValuePair<string, object?>> properties)
        {
            var result = new PSObject();
            foreach (KeyValuePair<string, object?> property in properties)
            {
                // PowerShell property names ignore case: a later "Name" replaces an earlier "name", as its last value wins.
                if (result.Properties[property.Key] != null) result.Properties.Remove(property.Key);
                result.Properties.Add(new PSNoteProperty(property.Key, property.Value));
            }
            return result;
        }

        private static object ToHashtable(IReadOnlyList<KeyValuePair<string, object?>> properties)
        {
            var result = new Hashtable(properties.Count, StringComparer.OrdinalIgnoreCase);
            foreach (KeyValuePair<string, object?> property in properties) result[property.Key] = property.Value;
            return result;
        }

        /// <summary>Get-Content without -Raw gives the lines of a schema file: they are its text.</summary>
        private static object? LinesAsText(object? value)
        {
            object? bare = value is PSObject ps ? ps.BaseObject : value;
            if (!(bare is object[] items) || items.Length == 0) return value;
            var lines = new List<string>(items.Length);
            foreach (object? item in items)
            {
                if (!((item is PSObject wrapped ? wrapped.BaseObject : item) is string line)) return value;
                lines.Add(line);
            }
            return string.Join("\n", lines);
        }

        private static object? Plain(object? value)
        {
            object? bare = value is PSObject ps && !(ps.BaseObject is PSCustomObject) ? ps.BaseObject : value;
            return bare is string text ? text : MessageConverter.ToPlainValue(value);
        }
    }
}
