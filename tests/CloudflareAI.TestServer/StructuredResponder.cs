using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace CloudflareAI.TestServer
{
    /// <summary>
    /// Answers for structured output and reasoning, chosen by the request and the model name:
    /// <list type="bullet">
    /// <item>any request with <c>response_format</c>: JSON. With a schema, a value built from the schema (objects get their
    /// properties, arrays three items, strings the words red, green, blue...); in JSON mode <c>{"answer": greeting}</c>.</item>
    /// <item>model <see cref="FencedModel"/>: that JSON inside a ```json fence, after a sentence.</item>
    /// <item>model <see cref="InvalidModel"/>: prose that is not JSON, and that repeats the request's bearer token (a client
    /// must mask it in the error it reports).</item>
    /// <item>model <see cref="ReasonerModel"/>: reasoning first (streamed as reasoning deltas; <c>reasoning_content</c> on
    /// Workers AI, <c>reasoning</c> elsewhere), naming the <c>reasoning_effort</c> sent, then the answer; usage carries
    /// <c>prompt_tokens_details.cached_tokens</c> and <c>completion_tokens_details.reasoning_tokens</c>.</item>
    /// </list>
    /// </summary>
    internal static class StructuredResponder
    {
        public const string FencedModel = "emulator/json-fenced";
        public const string InvalidModel = "emulator/json-invalid";
        public const string ReasonerModel = "emulator/reasoner";
        public const int CachedTokens = 3;

        private static readonly string[] Words = { "red", "green", "blue", "yellow", "purple" };
        private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        /// <summary>True when this responder answers the request.</summary>
        public static bool Handles(ChatExchange x) =>
            IsModel(x.Model, FencedModel) || IsModel(x.Model, InvalidModel) || IsModel(x.Model, ReasonerModel) || ResponseFormat(x) is not null;

        public static async Task RespondAsync(HttpContext ctx, ChatExchange x)
        {
            string content;
            List<string> reasoning = new();
            if (IsModel(x.Model, InvalidModel))
            {
                string bearer = x.Record.Header("authorization") is { } auth && auth.StartsWith("Bearer ", StringComparison.Ordinal) ? auth.Substring(7) : "(none)";
                content = "Sure! The three colours are red, green and blue. (Your key was " + bearer + ".)";
            }
            else
            {
                string json = JsonAnswer(x);
                content = IsModel(x.Model, FencedModel) ? "Here is the JSON you asked for:\n```json\n" + json + "\n```" : json;
            }
            if (IsModel(x.Model, ReasonerModel))
            {
                string effort = ReasoningEffort(x) ?? "unset";
                reasoning = ChatExchange.SplitAfterSpaces($"The user asked something. Effort {effort}. I will answer briefly.");
                if (ResponseFormat(x) is null) content = "The answer, after thinking.";
            }

            List<string> pieces = ChatExchange.SplitAfterSpaces(content);
            if (x.Stream) await StreamAsync(ctx, x, reasoning, pieces);
            else await CompleteAsync(ctx, x, reasoning, content, pieces.Count);
        }

        private static bool IsModel(string model, string name) =>
            model.Equals(name, StringComparison.Ordinal) || model.EndsWith("/" + name, StringComparison.Ordinal);

        private static JsonElement? ResponseFormat(ChatExchange x)
        {
            using JsonDocument doc = JsonDocument.Parse(x.Record.Body);
            return doc.RootElement.TryGetProperty("response_format", out JsonElement format) && format.ValueKind == JsonValueKind.Object ? format.Clone() : null;
        }

        private static string? ReasoningEffort(ChatExchange x)
        {
            using JsonDocument doc = JsonDocument.Parse(x.Record.Body);
            return doc.RootElement.TryGetProperty("reasoning_effort", out JsonElement effort) && effort.ValueKind == JsonValueKind.String ? effort.GetString() : null;
        }

        private static string JsonAnswer(ChatExchange x)
        {
            var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, Compact))
            {
                JsonElement? format = ResponseFormat(x);
                if (format is { } f && f.TryGetProperty("json_schema", out JsonElement wrapper) && wrapper.ValueKind == JsonValueKind.Object
                    && wrapper.TryGetProperty("schema", out JsonElement schema))
                {
                    WriteFromSchema(writer, schema, 0, 0);
                }
                else
                {
                    writer.WriteStartObject();
                    writer.WriteString("answer", ChatExchange.DefaultGreeting);
                    writer.WriteEndObject();
                }
            }
            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        /// <summary>A value the schema allows, the same every time: <paramref name="index"/> is the item's place in its array.</summary>
        private static void WriteFromSchema(Utf8JsonWriter writer, JsonElement schema, int index, int depth)
        {
            if (depth > 16 || schema.ValueKind != JsonValueKind.Object)
            {
                writer.WriteNullValue();
                return;
            }
            if (schema.TryGetProperty("enum", out JsonElement choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0)
            {
                choices[index % choices.GetArrayLength()].WriteTo(writer);
                return;
            }
            switch (TypeOf(schema))
            {
                case "object":
                    writer.WriteStartObject();
                    if (schema.TryGetProperty("properties", out JsonElement properties) && properties.ValueKind == JsonValueKind.Object)
                    {
                        foreach (JsonProperty property in properties.EnumerateObject())
                        {
                            writer.WritePropertyName(property.Name);
                            WriteFromSchema(writer, property.Value, index, depth + 1);
                        }
                    }
                    writer.WriteEndObject();
                    return;
                case "array":
                    writer.WriteStartArray();
                    JsonElement items = schema.TryGetProperty("items", out JsonElement i) ? i : default;
                    for (int n = 0; n < 3; n++) WriteFromSchema(writer, items, n, depth + 1);
                    writer.WriteEndArray();
                    return;
                case "integer":
                    writer.WriteNumberValue(index + 1);
                    return;
                case "number":
                    writer.WriteNumberValue((index + 1) * 0.5);
                    return;
                case "boolean":
                    writer.WriteBooleanValue(index % 2 == 0);
                    return;
                case "null":
                    writer.WriteNullValue();
                    return;
                default:
                    writer.WriteStringValue(Words[index % Words.Length]);
                    return;
            }
        }

        private static string TypeOf(JsonElement schema)
        {
            if (schema.TryGetProperty("type", out JsonElement type))
            {
                if (type.ValueKind == JsonValueKind.String) return type.GetString() ?? "string";
                if (type.ValueKind == JsonValueKind.Array)
                {
                    foreach (JsonElement t in type.EnumerateArray())
                    {
                        if (t.ValueKind == JsonValueKind.String && t.GetString() != "null") return t.GetString()!;
                    }
                }
            }
            return schema.TryGetProperty("properties", out _) ? "object" : "string";
        }

        private static void WriteUsage(Utf8JsonWriter writer, ChatExchange x, int completion, int reasoning)
        {
            writer.WriteStartObject("usage");
            writer.WriteNumber("prompt_tokens", x.PromptTokens);
            writer.WriteNumber("completion_tokens", completion);
            writer.WriteNumber("total_tokens", x.PromptTokens + completion);
            if (IsModel(x.Model, ReasonerModel))
            {
                writer.WriteStartObject("prompt_tokens_details");
                writer.WriteNumber("cached_tokens", CachedTokens);
                writer.WriteEndObject();
                writer.WriteStartObject("completion_tokens_details");
                writer.WriteNumber("reasoning_tokens", reasoning);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }

        private static string ReasoningField(ChatExchange x) => x.Flavour == Flavour.WorkersAI ? "reasoning_content" : "reasoning";

        private static async Task CompleteAsync(HttpContext ctx, ChatExchange x, List<string> reasoning, string content, int contentPieces)
        {
            var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, Compact))
            {
                writer.WriteStartObject();
                writer.WriteString("id", x.Id);
                writer.WriteString("object", "chat.completion");
                writer.WriteNumber("created", x.Created);
                writer.WriteString("model", x.Model);
                writer.WriteStartArray("choices");
                writer.WriteStartObject();
                writer.WriteNumber("index", 0);
                writer.WriteStartObject("message");
                writer.WriteString("role", "assistant");
                writer.WriteString("content", content);
                if (reasoning.Count > 0) writer.WriteString(ReasoningField(x), string.Concat(reasoning));
                writer.WriteEndObject();
                writer.WriteString("finish_reason", "stop");
                writer.WriteEndObject();
                writer.WriteEndArray();
                WriteUsage(writer, x, reasoning.Count + contentPieces, reasoning.Count);
                writer.WriteEndObject();
            }
            ctx.Response.StatusCode = StatusCodes.Status200OK;
            ctx.Response.ContentType = "application/json";
            ctx.Response.ContentLength = buffer.Length;
            await ctx.Response.Body.WriteAsync(buffer.ToArray(), ctx.RequestAborted);
        }

        private static async Task StreamAsync(HttpContext ctx, ChatExchange x, List<string> reasoning, List<string> content)
        {
            ctx.Response.StatusCode = StatusCodes.Status200OK;
            ctx.Response.ContentType = "text/event-stream";
            ctx.Response.Headers.CacheControl = "no-cache";
            foreach (string piece in reasoning) await EventAsync(ctx, Chunk(x, w => w.WriteString(ReasoningField(x), piece), null));
            foreach (string piece in content) await EventAsync(ctx, Chunk(x, w => w.WriteString("content", piece), null));
            await EventAsync(ctx, Chunk(x, _ => { }, "stop"));
            var usage = new MemoryStream();
            using (var writer = new Utf8JsonWriter(usage, Compact))
            {
                writer.WriteStartObject();
                writer.WriteString("id", x.Id);
                writer.WriteString("object", "chat.completion.chunk");
                writer.WriteString("model", x.Model);
                writer.WriteStartArray("choices");
                writer.WriteEndArray();
                WriteUsage(writer, x, reasoning.Count + content.Count, reasoning.Count);
                writer.WriteEndObject();
            }
            await EventAsync(ctx, Encoding.UTF8.GetString(usage.ToArray()));
            await EventAsync(ctx, "[DONE]");
        }

        private static string Chunk(ChatExchange x, Action<Utf8JsonWriter> delta, string? finish)
        {
            var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, Compact))
            {
                writer.WriteStartObject();
                writer.WriteString("id", x.Id);
                writer.WriteString("object", "chat.completion.chunk");
                writer.WriteNumber("created", x.Created);
                writer.WriteString("model", x.Model);
                writer.WriteStartArray("choices");
                writer.WriteStartObject();
                writer.WriteNumber("index", 0);
                writer.WriteStartObject("delta");
                delta(writer);
                writer.WriteEndObject();
                if (finish is null) writer.WriteNull("finish_reason");
                else writer.WriteString("finish_reason", finish);
                writer.WriteEndObject();
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        private static async Task EventAsync(HttpContext ctx, string data)
        {
            byte[] bytes = Encoding.UTF8.GetBytes("data: " + data + "\n\n");
            await ctx.Response.Body.WriteAsync(bytes, ctx.RequestAborted);
            await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
        }
    }
}
