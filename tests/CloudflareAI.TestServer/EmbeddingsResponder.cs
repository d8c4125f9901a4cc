using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace CloudflareAI.TestServer
{
    /// <summary>One embeddings request, read and validated.</summary>
    internal sealed class EmbeddingsRequest
    {
        public EmbeddingsRequest(string model, List<string> inputs, int dimensions)
        {
            Model = model;
            Inputs = inputs;
            Dimensions = dimensions;
        }

        public string Model { get; }

        public List<string> Inputs { get; }

        public int Dimensions { get; }

        /// <summary>The answer's bytes, built before the latency wait.</summary>
        public ReadOnlyMemory<byte> Body { get; set; }
    }

    /// <summary>
    /// POST .../embeddings on every path flavour: OpenAI's list of embeddings, each vector a deterministic function of
    /// its text (the same text gives the same vector in any batch, on any run), unit length, 1,024 numbers unless the
    /// request sets <c>dimensions</c>. Workers AI and the gateway take at most 100 inputs a request (more is Workers AI's
    /// 400), the OpenAI flavour 2,048; an empty input is a 400 too.
    /// </summary>
    internal static class EmbeddingsResponder
    {
        public const int CloudflareInputLimit = 100;
        public const int OpenAIInputLimit = 2048;
        public const int DefaultDimensions = 1024;
        public const int MaxDimensions = 4096;

        public static EmbeddingsRequest Read(RequestRecord record, Flavour flavour)
        {
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(record.Body);
            }
            catch (JsonException e)
            {
                throw new InvalidChatBodyException("We could not parse the JSON body of your request: " + e.Message);
            }
            using (doc)
            {
                JsonElement root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object) throw new InvalidChatBodyException("The request body must be a JSON object.");
                if (!root.TryGetProperty("model", out var m) || m.ValueKind != JsonValueKind.String || m.GetString() is not { Length: > 0 } model)
                    throw new InvalidChatBodyException("You must provide a model parameter.");
                if (!root.TryGetProperty("input", out var input)) throw new InvalidChatBodyException("'input' is a required property.");
                var inputs = new List<string>();
                if (input.ValueKind == JsonValueKind.String) inputs.Add(input.GetString()!);
                else if (input.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in input.EnumerateArray())
                    {
                        if (item.ValueKind != JsonValueKind.String) throw new InvalidChatBodyException("'input' must be a string or an array of strings.");
                        inputs.Add(item.GetString()!);
                    }
                }
                else throw new InvalidChatBodyException("'input' must be a string or an array of strings.");

                int dimensions = DefaultDimensions;
                if (root.TryGetProperty("dimensions", out var d))
                {
                    if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out dimensions) || dimensions < 1 || dimensions > MaxDimensions)
                        throw new InvalidChatBodyException($"'dimensions' must be a whole number from 1 to {MaxDimensions}.");
                }

                int limit = flavour == Flavour.OpenAI ? OpenAIInputLimit : CloudflareInputLimit;
                if (inputs.Count == 0 || inputs.Count > limit) throw TooMany(flavour, inputs.Count, limit);
                if (inputs.Exists(t => t.Length == 0)) throw Refused(flavour, "input must not contain empty strings");
                return new EmbeddingsRequest(model, inputs, dimensions);
            }
        }

        // The JSON of each text's vector, kept: a benchmark sends the same texts every round, and the emulator's own work
        // should not be what it measures. Bounded, and forgotten whole when full.
        private static readonly ConcurrentDictionary<(string Text, int Dimensions), byte[]> VectorJson = new();
        private const int VectorJsonLimit = 20_000;

        public static async Task WriteAsync(HttpContext ctx, EmbeddingsRequest request)
        {
            ReadOnlyMemory<byte> body = request.Body.IsEmpty ? Build(request) : request.Body;
            HttpResponse response = ctx.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/json";
            response.ContentLength = body.Length;
            await response.Body.WriteAsync(body, ctx.RequestAborted);
        }

        public static ReadOnlyMemory<byte> Build(EmbeddingsRequest request)
        {
            var buffer = new ArrayBufferWriter<byte>(request.Inputs.Count * request.Dimensions * 12 + 256);
            long tokens = 0;
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("object", "list");
                json.WriteStartArray("data");
                for (int i = 0; i < request.Inputs.Count; i++)
                {
                    json.WriteStartObject();
                    json.WriteString("object", "embedding");
                    json.WriteNumber("index", i);
                    json.WritePropertyName("embedding");
                    json.WriteRawValue(VectorArray(request.Inputs[i], request.Dimensions), skipInputValidation: true);
                    json.WriteEndObject();
                    tokens += Math.Max(1, (request.Inputs[i].Length + 3) / 4);
                }
                json.WriteEndArray();
                json.WriteString("model", request.Model);
                json.WriteStartObject("usage");
                json.WriteNumber("prompt_tokens", tokens);
                json.WriteNumber("total_tokens", tokens);
                json.WriteEndObject();
                json.WriteEndObject();
            }
            return buffer.WrittenMemory;
        }

        private static byte[] VectorArray(string text, int dimensions)
        {
            if (VectorJson.TryGetValue((text, dimensions), out byte[]? cached)) return cached;
            var buffer = new ArrayBufferWriter<byte>(dimensions * 12 + 2);
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartArray();
                foreach (float value in Vector(text, dimensions)) json.WriteNumberValue(value);
                json.WriteEndArray();
            }
            byte[] bytes = buffer.WrittenSpan.ToArray();
            if (VectorJson.Count >= VectorJsonLimit) VectorJson.Clear();
            VectorJson[(text, dimensions)] = bytes;
            return bytes;
        }

        /// <summary>A unit vector drawn from a generator seeded with the SHA-256 of the text's UTF-8 bytes.</summary>
        public static float[] Vector(string text, int dimensions)
        {
            byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
            ulong state = BitConverter.ToUInt64(hash, 0) | 1;
            var vector = new float[dimensions];
            double sum = 0;
            for (int i = 0; i < dimensions; i++)
            {
                // xorshift64*
                state ^= state >> 12;
                state ^= state << 25;
                state ^= state >> 27;
                ulong r = state * 2685821657736338717UL;
                double value = (r >> 11) / (double)(1UL << 53) * 2 - 1;
                vector[i] = (float)value;
                sum += value * value;
            }
            float norm = (float)Math.Sqrt(sum);
            for (int i = 0; i < dimensions; i++) vector[i] /= norm;
            return vector;
        }

        private static EmulatedErrorException TooMany(Flavour flavour, int count, int limit) =>
            Refused(flavour, count == 0 ? "input must not be empty" : $"input must have at most {limit} items, got {count}");

        private static EmulatedErrorException Refused(Flavour flavour, string detail) =>
            flavour == Flavour.OpenAI
                ? new EmulatedErrorException(400, "{\"error\":{\"message\":" + JsonSink.Quote("Invalid 'input': " + detail + ".") + ",\"type\":\"invalid_request_error\",\"param\":\"input\",\"code\":null}}")
                : new EmulatedErrorException(400, CodeFaultResponder.AiErrorBody("AiError: AiError: Bad input: " + detail + " (5006e100)", 5006));
    }
}
