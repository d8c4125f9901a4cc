using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CloudflareAI.Chat.Requests
{
    /// <summary>The chat-completions request body: model, messages, and only the options the user set, so each
    /// host applies its own defaults.</summary>
    internal static class ChatRequestBody
    {
        // The body goes over HTTP, never into HTML, so non-ASCII text is written as is instead of as \uXXXX escapes.
        private static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        /// <summary>UTF-8 JSON for <paramref name="request"/> with <paramref name="messages"/> (already coalesced) as the history.</summary>
        /// <param name="request">The model and the options the user set.</param>
        /// <param name="messages">The history to send.</param>
        /// <param name="maxCompletionTokens">Name -MaxTokens max_completion_tokens instead of max_tokens.</param>
        /// <exception cref="NotSupportedException">Message content JSON cannot represent.</exception>
        public static byte[] Write(ChatRequest request, IReadOnlyList<ChatMessage> messages, bool maxCompletionTokens = false)
        {
            using (var buffer = new MemoryStream())
            {
                using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
                {
                    writer.WriteStartObject();
                    writer.WriteString("model", request.Model);

                    writer.WriteStartArray("messages");
                    foreach (ChatMessage message in messages)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("role", message.Role);
                        writer.WritePropertyName("content");
                        // Workers AI rejects content: null (its schema wants a string), and "" means the same to every host.
                        JsonValueWriter.Write(writer, message.Content ?? string.Empty);
                        ToolJson.WriteMessageFields(writer, message);
                        writer.WriteEndObject();
                    }
                    writer.WriteEndArray();

                    if (request.Temperature.HasValue) WriteNumber(writer, "temperature", request.Temperature.Value);
                    if (request.TopP.HasValue) WriteNumber(writer, "top_p", request.TopP.Value);
                    if (request.MaxTokens.HasValue) writer.WriteNumber(maxCompletionTokens ? "max_completion_tokens" : "max_tokens", request.MaxTokens.Value);
                    if (request.Stop != null && request.Stop.Count > 0)
                    {
                        writer.WriteStartArray("stop");
                        foreach (string stop in request.Stop) writer.WriteStringValue(stop);
                        writer.WriteEndArray();
                    }
                    if (request.Seed.HasValue) writer.WriteNumber("seed", request.Seed.Value);
                    ToolJson.WriteTools(writer, request);
                    request.ResponseFormat?.Write(writer);
                    if (request.ReasoningEffort != null) writer.WriteString("reasoning_effort", request.ReasoningEffort);

                    if (request.Stream)
                    {
                        writer.WriteBoolean("stream", true);
                        writer.WriteStartObject("stream_options");
                        writer.WriteBoolean("include_usage", true);
                        writer.WriteEndObject();
                    }

                    writer.WriteEndObject();
                }
                return buffer.ToArray();
            }
        }

        private static void WriteNumber(Utf8JsonWriter writer, string name, double value)
        {
            if (double.IsNaN(value) || double.IsInfinity(value)) throw new NotSupportedException($"{name} must be a finite number.");
            writer.WriteNumber(name, value);
        }
    }
}
