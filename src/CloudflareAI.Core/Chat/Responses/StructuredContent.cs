using System;
using System.Collections.Generic;
using System.Text.Json;

namespace CloudflareAI.Chat.Responses
{
    /// <summary>
    /// The answer to a JSON request, read as data: the content is parsed as JSON (after unwrapping a ```json fence that
    /// some models put around it) and turned into plain values. Only the JSON syntax is checked, never the schema: a host
    /// that says it followed the schema may still not have.
    /// </summary>
    internal static class StructuredContent
    {
        /// <summary>How much of an unreadable answer the error message shows.</summary>
        public const int PreviewLength = 200;

        private const string Fence = "```";

        /// <summary>
        /// The JSON text of <paramref name="content"/>: the content itself when it parses, else the inside of its first
        /// fenced block. A JSON string that contains ``` is left alone, since the whole content is tried first.
        /// </summary>
        /// <param name="content">The answer's text.</param>
        /// <param name="value">The parsed value (a clone that outlives the parse).</param>
        /// <param name="problem">Why it is not JSON, when it is not.</param>
        public static bool TryParse(string content, out JsonElement value, out string? problem)
        {
            string text = content.Trim();
            if (TryParseText(text, out value, out problem)) return true;
            string? fenced = FencedBlock(text);
            if (fenced == null) return false;
            if (TryParseText(fenced, out value, out string? fencedProblem)) return true;
            problem = "inside its ``` fence, " + fencedProblem;
            return false;
        }

        /// <summary>The text between the first ``` fence (with its language word, such as json) and the fence that closes it;
        /// null when there is no complete fence.</summary>
        /// <param name="text">The answer's text.</param>
        public static string? FencedBlock(string text)
        {
            int open = text.IndexOf(Fence, StringComparison.Ordinal);
            if (open < 0) return null;
            int bodyStart = text.IndexOf('\n', open + Fence.Length);
            if (bodyStart < 0)
            {
                // One line: ```{"a":1}``` or ```json {"a":1}```.
                int inner = open + Fence.Length;
                int end = text.IndexOf(Fence, inner, StringComparison.Ordinal);
                if (end < 0) return null;
                string line = text.Substring(inner, end - inner).Trim();
                if (line.StartsWith("json", StringComparison.OrdinalIgnoreCase)) line = line.Substring(4).TrimStart();
                return line;
            }
            int close = text.IndexOf("\n" + Fence, bodyStart, StringComparison.Ordinal);
            if (close < 0) close = text.LastIndexOf(Fence, StringComparison.Ordinal);
            if (close < bodyStart) return null;
            return text.Substring(bodyStart + 1, close - bodyStart - 1).Trim();
        }

        /// <summary>
        /// The value as plain .NET values: strings, <see cref="long"/> for whole numbers that fit (else <see cref="double"/>),
        /// booleans, null, <c>object?[]</c> for arrays, and for each object what <paramref name="makeObject"/> makes of its
        /// properties (in order; a repeated name keeps its last value). Without a factory, objects become dictionaries.
        /// </summary>
        /// <param name="value">A parsed value.</param>
        /// <param name="makeObject">Makes an object from its properties; null for <see cref="Dictionary{TKey, TValue}"/>.</param>
        public static object? ToData(JsonElement value, Func<IReadOnlyList<KeyValuePair<string, object?>>, object>? makeObject = null)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Object:
                    var properties = new List<KeyValuePair<string, object?>>();
                    foreach (JsonProperty property in value.EnumerateObject())
                    {
                        properties.Add(new KeyValuePair<string, object?>(JsonText.ReplaceLoneSurrogates(property.Name), ToData(property.Value, makeObject)));
                    }
                    return makeObject != null ? makeObject(properties) : ToDictionary(properties);
                case JsonValueKind.Array:
                    var items = new object?[value.GetArrayLength()];
                    int i = 0;
                    foreach (JsonElement item in value.EnumerateArray()) items[i++] = ToData(item, makeObject);
                    return items;
                case JsonValueKind.String:
                    return JsonText.Read(value);
                case JsonValueKind.Number:
                    if (value.TryGetInt64(out long whole)) return whole;
                    return value.GetDouble();
                case JsonValueKind.True:
                    return true;
                case JsonValueKind.False:
                    return false;
                default:
                    return null;
            }
        }

        /// <summary>The first <see cref="PreviewLength"/> characters, for an error message (the caller masks and escapes).</summary>
        /// <param name="content">The answer's text.</param>
        public static string Preview(string content)
        {
            string text = content.Trim();
            if (text.Length <= PreviewLength) return text;
            int cut = char.IsHighSurrogate(text[PreviewLength - 1]) ? PreviewLength - 1 : PreviewLength;
            return text.Substring(0, cut) + "...";
        }

        private static bool TryParseText(string text, out JsonElement value, out string? problem)
        {
            value = default;
            problem = null;
            if (text.Length == 0)
            {
                problem = "the answer is empty";
                return false;
            }
            try
            {
                using (JsonDocument document = JsonDocument.Parse(text))
                {
                    value = document.RootElement.Clone();
                    return true;
                }
            }
            catch (JsonException e)
            {
                problem = e.Message;
                return false;
            }
        }

        private static Dictionary<string, object?> ToDictionary(List<KeyValuePair<string, object?>> properties)
        {
            var map = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (KeyValuePair<string, object?> property in properties) map[property.Key] = property.Value;
            return map;
        }
    }
}
