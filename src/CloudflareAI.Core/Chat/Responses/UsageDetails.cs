using System.Text;
using System.Text.Json;

namespace CloudflareAI.Chat.Responses
{
    /// <summary>
    /// The detail objects inside <c>usage</c>: cached prompt tokens (<c>prompt_tokens_details.cached_tokens</c>) and
    /// reasoning tokens (<c>completion_tokens_details.reasoning_tokens</c>). Absent, null or not a whole number leaves the
    /// count null: "not sent" is not zero.
    /// </summary>
    internal static class UsageDetails
    {
        private static readonly byte[] PromptDetailsName = Encoding.UTF8.GetBytes("prompt_tokens_details");
        private static readonly byte[] CompletionDetailsName = Encoding.UTF8.GetBytes("completion_tokens_details");

        private static readonly byte[] CachedTokensName = Encoding.UTF8.GetBytes("cached_tokens");
        private static readonly byte[] ReasoningTokensName = Encoding.UTF8.GetBytes("reasoning_tokens");

        /// <summary>
        /// With the reader on a property name of the usage object: true when it is one of the detail objects, which is then
        /// read (the reader ends on its closing token, or on the skipped value) and its count stored.
        /// </summary>
        public static bool TryRead(ref Utf8JsonReader reader, ref int? cachedTokens, ref int? reasoningTokens)
        {
            bool prompt = reader.ValueTextEquals(PromptDetailsName);
            bool completion = !prompt && reader.ValueTextEquals(CompletionDetailsName);
            if (!prompt && !completion) return false;
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                return true;
            }
            byte[] wanted = prompt ? CachedTokensName : ReasoningTokensName;
            int? found = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool match = reader.ValueTextEquals(wanted);
                reader.Read();
                if (match && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int count)) found = count;
                else reader.Skip();
            }
            // A repeated detail object counts by its last copy, as every repeated property does.
            if (prompt) cachedTokens = found;
            else reasoningTokens = found;
            return true;
        }
    }
}
