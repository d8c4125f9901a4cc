using System;
using System.Text.Json;

namespace CloudflareAI.Chat.Responses
{
    /// <summary>
    /// Reads a non-streamed answer: OpenAI's chat.completion, or the Cloudflare v4 success envelope
    /// (<c>{"result":{"response":"..."},"success":true}</c>, or <c>result.choices[0]...</c>) that native routes return.
    /// </summary>
    internal static class CompletionParser
    {
        /// <exception cref="ResponseFormatException">Not JSON, or JSON without an answer in it.</exception>
        /// <exception cref="ErrorInResponseException">The body is an error object.</exception>
        /// <param name="utf8Json">The body.</param>
        /// <param name="redactor">Masks secrets in the preview of a body that is not an answer.</param>
        public static ParsedCompletion Parse(ReadOnlyMemory<byte> utf8Json, SecretRedactor? redactor = null)
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

        public static ParsedCompletion Parse(JsonElement root, SecretRedactor? redactor = null)
        {
            if (root.ValueKind != JsonValueKind.Object) throw new ResponseFormatException($"the body is a JSON {Describe(root.ValueKind)}, not an object");
            if (CompletionJson.IsErrorObject(root)) throw new ErrorInResponseException(ApiErrorBody.FromJson(root, redactor));

            if (TryReadCompletion(root, out ParsedCompletion? reply)) return reply!;

            if (CompletionJson.TryGetObject(root, "result", out JsonElement result))
            {
                if (TryReadCompletion(result, out reply))
                {
                    reply!.Model ??= CompletionJson.GetString(root, "model");
                    reply.Id ??= CompletionJson.GetString(root, "id");
                    return reply;
                }
                if (result.TryGetProperty("response", out JsonElement response))
                {
                    return new ParsedCompletion
                    {
                        Content = CompletionJson.ContentText(response),
                        Usage = CompletionJson.ReadUsage(result) ?? CompletionJson.ReadUsage(root),
                        Model = CompletionJson.GetString(result, "model") ?? CompletionJson.GetString(root, "model"),
                        Id = CompletionJson.GetString(result, "id") ?? CompletionJson.GetString(root, "id"),
                    };
                }
            }

            throw new ResponseFormatException("the body has neither choices[0].message nor result.response");
        }

        private static bool TryReadCompletion(JsonElement container, out ParsedCompletion? reply)
        {
            reply = null;
            if (!CompletionJson.TryGetFirstChoice(container, out JsonElement choice)) return false;

            var result = new ParsedCompletion
            {
                FinishReason = CompletionJson.GetString(choice, "finish_reason"),
                Model = CompletionJson.GetString(container, "model"),
                Id = CompletionJson.GetString(container, "id"),
                Usage = CompletionJson.ReadUsage(container),
            };
            if (CompletionJson.TryGetObject(choice, "message", out JsonElement message))
            {
                if (message.TryGetProperty("content", out JsonElement content)) result.Content = CompletionJson.ContentText(content);
                result.Reasoning = NonEmpty(CompletionJson.GetString(message, "reasoning_content")) ?? NonEmpty(CompletionJson.GetString(message, "reasoning"));
                result.ToolCalls = ToolCallReader.Read(message);
            }
            else if (choice.TryGetProperty("text", out JsonElement text))
            {
                // The legacy completions shape; a few OpenAI-compatible servers still answer with it.
                result.Content = CompletionJson.ContentText(text);
            }
            reply = result;
            return true;
        }

        /// <summary>A surrogate escape without its other half (\ud83d alone) cannot be shown: it becomes U+FFFD.</summary>
        private static ParsedCompletion Repair(ParsedCompletion reply)
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
