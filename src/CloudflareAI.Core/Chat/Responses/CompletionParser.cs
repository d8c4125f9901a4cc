using System;

namespace CloudflareAI.Chat.Responses
{
    /// <summary>
    /// Reads a non-streamed answer: OpenAI's chat.completion, or the Cloudflare v4 success envelope
    /// (<c>{"result":{"response":"..."},"success":true}</c>, or <c>result.choices[0]...</c>) that native routes return,
    /// by the same rules as a streamed chunk (<see cref="CompletionReader"/>).
    /// </summary>
    internal static class CompletionParser
    {
        /// <exception cref="ResponseFormatException">Not JSON, or JSON without an answer in it.</exception>
        /// <exception cref="ErrorInResponseException">The body is an error object.</exception>
        /// <param name="utf8Json">The body.</param>
        /// <param name="redactor">Masks secrets in the preview of a body that is not an answer.</param>
        public static ParsedCompletion Parse(ReadOnlyMemory<byte> utf8Json, SecretRedactor? redactor = null) =>
            Repair(CompletionReader.ReadAnswer(utf8Json, redactor ?? SecretRedactor.None));

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
    }
}
