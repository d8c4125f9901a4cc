using System;
using System.Text.Json;

namespace CloudflareAI.Chat
{
    /// <summary>
    /// Reads a non-streamed answer: OpenAI's chat.completion, or the Cloudflare v4 success envelope
    /// (<c>{"result":{"response":"..."},"success":true}</c>, or <c>result.choices[0]...</c>) that native routes return.
    /// </summary>
    internal static class ChatCompletionParser
    {
        /// <exception cref="ResponseFormatException">Not JSON, or JSON without an answer in it.</exception>
        /// <exception cref="ErrorInResponseException">The body is an error object.</exception>
        /// <param name="utf8Json">The body.</param>
        /// <param name="redactor">Masks secrets in the preview of a body that is not an answer.</param>
        public static ChatReply Parse(ReadOnlyMemory<byte> utf8Json, SecretRedactor? redactor = null)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(utf8Json);
            }
            catch (JsonException ex)
            {
                throw new ResponseFormatException("the body is not JSON: " + ApiErrorBody.Preview(System.Text.Encoding.UTF8.GetString(utf8Json.ToArray()), redactor), ex);
            }

            using (document)
            {
                return Repair(Parse(document.RootElement, redactor));
            }
        }

        public static ChatReply Parse(JsonElement root, SecretRedactor? redactor = null)
        {
            if (root.ValueKind != JsonValueKind.Object) throw new ResponseFormatException($"the body is a JSON {Describe(root.ValueKind)}, not an object");
            if (ChatJson.IsErrorObject(root)) throw new ErrorInResponseException(ApiErrorBody.FromJson(root, redactor));

            if (TryReadCompletion(root, out ChatReply? reply)) return reply!;

            if (ChatJson.TryGetObject(root, "result", out JsonElement result))
            {
                if (TryReadCompletion(result, out reply))
                {
                    reply!.Model ??= ChatJson.GetString(root, "model");
                    reply.Id ??= ChatJson.GetString(root, "id");
                    return reply;
                }
                if (result.TryGetProperty("response", out JsonElement response))
                {
                    return new ChatReply
                    {
                        Content = ChatJson.ContentText(response),
                        Usage = ChatJson.ReadUsage(result) ?? ChatJson.ReadUsage(root),
                        Model = ChatJson.GetString(result, "model") ?? ChatJson.GetString(root, "model"),
                        Id = ChatJson.GetString(result, "id") ?? ChatJson.GetString(root, "id"),
                    };
                }
            }

            throw new ResponseFormatException("the body has neither choices[0].message nor result.response");
        }

        private static bool TryReadCompletion(JsonElement container, out ChatReply? reply)
        {
            reply = null;
            if (!ChatJson.TryGetFirstChoice(container, out JsonElement choice)) return false;

            var result = new ChatReply
            {
                FinishReason = ChatJson.GetString(choice, "finish_reason"),
                Model = ChatJson.GetString(container, "model"),
                Id = ChatJson.GetString(container, "id"),
                Usage = ChatJson.ReadUsage(container),
            };
            if (ChatJson.TryGetObject(choice, "message", out JsonElement message))
            {
                if (message.TryGetProperty("content", out JsonElement content)) result.Content = ChatJson.ContentText(content);
                result.Reasoning = NonEmpty(ChatJson.GetString(message, "reasoning_content")) ?? NonEmpty(ChatJson.GetString(message, "reasoning"));
                result.ToolCalls = Tools.ToolCallReader.Read(message);
            }
            else if (choice.TryGetProperty("text", out JsonElement text))
            {
                // The legacy completions shape; a few OpenAI-compatible servers still answer with it.
                result.Content = ChatJson.ContentText(text);
            }
            reply = result;
            return true;
        }

        /// <summary>A surrogate escape without its other half (\ud83d alone) cannot be shown: it becomes U+FFFD.</summary>
        private static ChatReply Repair(ChatReply reply)
        {
            reply.Content = JsonText.ReplaceLoneSurrogates(reply.Content);
            if (reply.Reasoning != null) reply.Reasoning = JsonText.ReplaceLoneSurrogates(reply.Reasoning);
            if (reply.Model != null) reply.Model = JsonText.ReplaceLoneSurrogates(reply.Model);
            if (reply.Id != null) reply.Id = JsonText.ReplaceLoneSurrogates(reply.Id);
            if (reply.FinishReason != null) reply.FinishReason = JsonText.ReplaceLoneSurrogates(reply.FinishReason);
            return reply;
        }

        private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

        private static string Describe(JsonValueKind kind) => kind switch
        {
            JsonValueKind.Array => "array",
            JsonValueKind.String => "string",
            JsonValueKind.Number => "number",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Null => "null",
            _ => "value",
        };
    }
}
