using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace CloudflareAI.Commands
{
    /// <summary>
    /// -JsonSchema, -SchemaName, -ResponseFormat, -AsHashtable and -ExtraBody as the core takes them: PowerShell values
    /// ([pscustomobject], hashtables, wrapped strings) become plain dictionaries and lists, and JSON objects of the answer
    /// become what ConvertFrom-Json gives.
    /// </summary>
    internal static class StructuredParameters
    {
        /// <summary>The response format asked for, or null for a text answer.</summary>
        /// <exception cref="CloudflareAIException">ParameterInvalid: a schema that cannot be sent, or -SchemaName alone.</exception>
        public static ResponseFormat? Format(bool schemaGiven, object? schema, string? schemaName, string? responseFormat)
        {
            if (schemaGiven) return ResponseFormat.ForSchema(Plain("-JsonSchema", LinesAsText(schema)), schemaName);
            if (schemaName != null)
            {
                throw new CloudflareAIException(ErrorIds.ParameterInvalid, ErrorKind.InvalidArgument,
                    "-SchemaName names the schema of -JsonSchema, and no -JsonSchema was given.", "Give -JsonSchema with -SchemaName, or drop -SchemaName.");
            }
            return string.Equals(responseFormat, "Json", StringComparison.OrdinalIgnoreCase) ? ResponseFormat.JsonObject : null;
        }

        /// <summary>-ExtraBody's fields, or null when it was not given.</summary>
        /// <exception cref="CloudflareAIException">ParameterInvalid: a reserved key or a value JSON cannot hold.</exception>
        public static ExtraBody? Extra(Hashtable? extra)
        {
            if (extra == null) return null;
            var entries = new List<KeyValuePair<string, object?>>();
            foreach (DictionaryEntry entry in extra)
            {
                string key = Convert.ToString(entry.Key is PSObject ps ? ps.BaseObject : entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
                entries.Add(new KeyValuePair<string, object?>(key, Plain("-ExtraBody field '" + key + "'", entry.Value)));
            }
            return ExtraBody.From(entries);
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

        private static object? Plain(string what, object? value)
        {
            object? bare = value is PSObject ps && !(ps.BaseObject is PSCustomObject) ? ps.BaseObject : value;
            if (bare is string text) return text;
            try
            {
                return MessageConverter.ToPlainValue(value);
            }
            catch (ArgumentException e)
            {
                throw new CloudflareAIException(ErrorIds.ParameterInvalid, ErrorKind.InvalidArgument, what + " " + e.Message + ".",
                    "Give plain values: strings, numbers, booleans, hashtables, [pscustomobject]s and arrays of these, without loops.", e);
            }
        }
    }
}
