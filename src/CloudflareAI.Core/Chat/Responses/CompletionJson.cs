using System.Text;
using System.Text.Json;

namespace CloudflareAI.Chat.Responses
{
    /// <summary>Small readers shared by the completion and stream parsers.</summary>
    internal static class CompletionJson
    {
        public static string? GetString(JsonElement element, string name)
        {
            if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String)
            {
                return JsonText.Read(value);
            }
            return null;
        }

        public static bool TryGetObject(JsonElement element, string name, out JsonElement value)
        {
            if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out value) && value.ValueKind == JsonValueKind.Object) return true;
            value = default;
            return false;
        }

        /// <summary>The first choice: the one with index 0, else the first in the array.</summary>
        public static bool TryGetFirstChoice(JsonElement root, out JsonElement choice)
        {
            choice = default;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("choices", out JsonElement choices) || choices.ValueKind != JsonValueKind.Array) return false;
            bool found = false;
            foreach (JsonElement item in choices.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object) continue;
                if (item.TryGetProperty("index", out JsonElement index) && index.ValueKind == JsonValueKind.Number && index.TryGetInt32(out int i) && i != 0)
                {
                    if (!found)
                    {
                        choice = item;
                        found = true;
                    }
                    continue;
                }
                choice = item;
                return true;
            }
            return found;
        }

        /// <summary>
        /// Message content as text: a string, the text parts of a part list joined with newlines, or the JSON of an
        /// object (Workers AI's JSON mode returns <c>response</c> as an object).
        /// </summary>
        public static string ContentText(JsonElement content)
        {
            switch (content.ValueKind)
            {
                case JsonValueKind.String:
                    return JsonText.Read(content);
                case JsonValueKind.Array:
                    var text = new StringBuilder();
                    foreach (JsonElement part in content.EnumerateArray())
                    {
                        string? piece = part.ValueKind == JsonValueKind.String ? JsonText.Read(part) : GetString(part, "text");
                        if (piece == null) continue;
                        if (text.Length > 0) text.Append('\n');
                        text.Append(piece);
                    }
                    return text.ToString();
                case JsonValueKind.Object:
                    return content.GetRawText();
                default:
                    return string.Empty;
            }
        }

        /// <summary>OpenAI's usage object; total = prompt + completion when the server leaves it out.</summary>
        public static ChatUsage? ReadUsage(JsonElement container)
        {
            if (!TryGetObject(container, "usage", out JsonElement usage)) return null;
            int prompt = GetInt(usage, "prompt_tokens") ?? GetInt(usage, "input_tokens") ?? 0;
            int completion = GetInt(usage, "completion_tokens") ?? GetInt(usage, "output_tokens") ?? 0;
            int total = GetInt(usage, "total_tokens") ?? prompt + completion;
            return new ChatUsage { PromptTokens = prompt, CompletionTokens = completion, TotalTokens = total };
        }

        private static int? GetInt(JsonElement element, string name)
        {
            if (!element.TryGetProperty(name, out JsonElement value) || value.ValueKind != JsonValueKind.Number) return null;
            if (value.TryGetInt32(out int whole)) return whole;
            if (value.TryGetDouble(out double number) && number >= int.MinValue && number <= int.MaxValue) return (int)number;
            return null;
        }

        /// <summary>True when the object carries an error (OpenAI's error, Cloudflare's errors/error, or success:false)
        /// and no answer.</summary>
        public static bool IsErrorObject(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object) return false;
            if (root.TryGetProperty("choices", out _)) return false;
            if (root.TryGetProperty("error", out JsonElement error) && error.ValueKind != JsonValueKind.Null) return true;
            if (root.TryGetProperty("success", out JsonElement success) && success.ValueKind == JsonValueKind.False) return true;
            return false;
        }
    }
}
