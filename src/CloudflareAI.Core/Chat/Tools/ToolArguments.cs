using System;
using System.Collections.Generic;
using System.Text.Json;

namespace CloudflareAI.Chat.Tools
{
    /// <summary>Reads the JSON a model writes for a call's arguments into plain values (what ConvertFrom-Json -AsHashtable gives).</summary>
    internal static class ToolArguments
    {
        /// <summary>Parses <paramref name="json"/>; an empty text is an empty object, as models send for a call with no arguments.</summary>
        /// <param name="json">The arguments text.</param>
        /// <param name="value">Dictionaries (names compared without case), object arrays, strings, long or double numbers, booleans, null.</param>
        /// <returns>False when the text is not JSON.</returns>
        public static bool TryParse(string? json, out object? value)
        {
            value = null;
            if (json == null || json.Trim().Length == 0)
            {
                value = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                return true;
            }
            try
            {
                using (JsonDocument document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 }))
                {
                    value = Convert(document.RootElement);
                    return true;
                }
            }
            catch (JsonException)
            {
                return false;
            }
        }

        // The one JSON-to-data rule (the same as an answer's Data), with names matched as PowerShell binds parameters.
        private static object? Convert(JsonElement element) => StructuredContent.ToData(element, properties =>
        {
            var map = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            foreach (KeyValuePair<string, object?> property in properties) map[property.Key] = property.Value;
            return map;
        });
    }
}
