using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CloudflareAI.TestServer
{
    /// <summary>Which real service the answer imitates; decided by the request path.</summary>
    internal enum Flavour
    {
        /// <summary>Plain OpenAI-compatible host.</summary>
        OpenAI,

        /// <summary><c>.../ai/v1/...</c>: Workers AI, with its streaming quirks.</summary>
        WorkersAI,

        /// <summary><c>.../compat/...</c>: AI Gateway's unified endpoint, with cf-aig-* headers.</summary>
        Gateway,
    }

    /// <summary>One chat request, read and validated: what was asked and how the test wants it answered.</summary>
    internal sealed class ChatExchange
    {
        public const string DefaultGreeting = "Hello from the CloudflareAI emulator";
        private const int MaxChunks = 10_000_000;
        private const int MaxDelayMs = 600_000;

        private readonly List<string> _greetingPieces;
        private readonly List<string> _reasoningPieces;

        private ChatExchange(RequestRecord record, Flavour flavour, string model, bool stream, bool includeUsage,
            List<string> greetingPieces, int? chunks, string? reasoning, string finishReason,
            int chunkDelayMs, int latencyMs, bool crlf, int promptTokens)
        {
            Record = record;
            Flavour = flavour;
            Model = model;
            Stream = stream;
            IncludeUsage = includeUsage;
            _greetingPieces = greetingPieces;
            Chunks = chunks;
            Reasoning = reasoning;
            _reasoningPieces = reasoning is null ? new List<string>() : SplitAfterSpaces(reasoning);
            FinishReason = finishReason;
            ChunkDelayMs = chunkDelayMs;
            LatencyMs = latencyMs;
            Crlf = crlf;
            PromptTokens = promptTokens;
            Created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        }

        public RequestRecord Record { get; }
        public Flavour Flavour { get; }
        public string Model { get; }
        public bool Stream { get; }

        /// <summary>The request asked for <c>stream_options.include_usage</c>.</summary>
        public bool IncludeUsage { get; }

        /// <summary>X-Emulator-Chunks: answer with tok1..tokN instead of the greeting.</summary>
        public int? Chunks { get; }

        public string? Reasoning { get; }
        public string FinishReason { get; }
        public int ChunkDelayMs { get; }
        public int LatencyMs { get; }
        public bool Crlf { get; }
        public int PromptTokens { get; }
        public long Created { get; }
        public string Id => "chatcmpl-emulator-" + Record.Seq.ToString(CultureInfo.InvariantCulture);

        public int ReasoningCount => _reasoningPieces.Count;
        public string ReasoningPiece(int i) => _reasoningPieces[i];

        public int ContentCount => Chunks ?? _greetingPieces.Count;

        public string ContentPiece(int i) =>
            Chunks is null ? _greetingPieces[i] : "tok" + (i + 1).ToString(CultureInfo.InvariantCulture) + " ";

        /// <summary>All deltas a stream carries (reasoning first, then content); also the completion token count.</summary>
        public int DeltaCount => ReasoningCount + ContentCount;

        /// <summary>Reads the body and the X-Emulator-* headers. Throws <see cref="EmulatorUsageException"/>
        /// for a bad emulator header and <see cref="InvalidChatBodyException"/> for a body no real server
        /// would accept either.</summary>
        public static ChatExchange Create(RequestRecord record, Flavour flavour)
        {
            string greeting = DecodedHeader(record, EmulatorHeaders.GreetingBase64, EmulatorHeaders.Greeting) ?? DefaultGreeting;
            string? reasoning = DecodedHeader(record, EmulatorHeaders.ReasoningBase64, EmulatorHeaders.Reasoning);
            string finish = record.Header(EmulatorHeaders.FinishReason) is { Length: > 0 } f ? f : "stop";
            int? chunks = IntHeader(record, EmulatorHeaders.Chunks, MaxChunks);
            int chunkDelay = IntHeader(record, EmulatorHeaders.ChunkDelayMs, MaxDelayMs) ?? 0;
            int latency = IntHeader(record, EmulatorHeaders.LatencyMs, MaxDelayMs) ?? 0;
            bool crlf = record.Header(EmulatorHeaders.Crlf) is { } c && (c.Trim() == "1" || c.Trim().Equals("true", StringComparison.OrdinalIgnoreCase));

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
                if (!root.TryGetProperty("model", out var modelElement) || modelElement.ValueKind != JsonValueKind.String || modelElement.GetString() is not { Length: > 0 } model)
                    throw new InvalidChatBodyException("You must provide a model parameter.");
                if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
                    throw new InvalidChatBodyException("'messages' is a required property.");

                // The vision model checks its images even when a test scripts the answer text.
                if (VisionResponder.IsVision(model))
                {
                    string seen = VisionResponder.Describe(messages, flavour);
                    if (record.Header(EmulatorHeaders.GreetingBase64) is null && record.Header(EmulatorHeaders.Greeting) is null) greeting = seen;
                }

                bool stream = root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
                bool includeUsage = root.TryGetProperty("stream_options", out var so) && so.ValueKind == JsonValueKind.Object
                    && so.TryGetProperty("include_usage", out var iu) && iu.ValueKind == JsonValueKind.True;

                return new ChatExchange(record, flavour, model, stream, includeUsage, SplitAfterSpaces(greeting), chunks,
                    reasoning, finish, chunkDelay, latency, crlf, EstimatePromptTokens(messages));
            }
        }

        /// <summary>An embeddings request seen as an exchange, so that the fault scenarios, latency and gateway headers of
        /// chat apply to it unchanged.</summary>
        public static ChatExchange ForEmbeddings(RequestRecord record, Flavour flavour, string model)
        {
            int latency = IntHeader(record, EmulatorHeaders.LatencyMs, MaxDelayMs) ?? 0;
            return new ChatExchange(record, flavour, model, false, false, SplitAfterSpaces(DefaultGreeting), null, null, "stop", 0, latency, false, 1);
        }

        /// <summary>"Hello from you" → "Hello ", "from ", "you": each piece ends after a space.</summary>
        public static List<string> SplitAfterSpaces(string text)
        {
            var pieces = new List<string>();
            int start = 0;
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] != ' ') continue;
                pieces.Add(text.Substring(start, i - start + 1));
                start = i + 1;
            }
            if (start < text.Length) pieces.Add(text.Substring(start));
            return pieces;
        }

        /// <summary>A rough, deterministic count (4 characters a token) so usage numbers are plausible.</summary>
        private static int EstimatePromptTokens(JsonElement messages)
        {
            long chars = 0;
            foreach (var m in messages.EnumerateArray())
            {
                if (m.ValueKind != JsonValueKind.Object || !m.TryGetProperty("content", out var content)) continue;
                if (content.ValueKind == JsonValueKind.String)
                {
                    chars += content.GetString()!.Length;
                }
                else if (content.ValueKind == JsonValueKind.Array)
                {
                    foreach (var part in content.EnumerateArray())
                    {
                        if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
                            chars += t.GetString()!.Length;
                    }
                }
            }
            return (int)Math.Max(1, Math.Min(int.MaxValue / 2, (chars + 3) / 4));
        }

        /// <summary>The base64 form wins: header values travel as Latin-1/ASCII, so UTF-8 text that must
        /// survive intact comes base64-encoded. The plain form is read as UTF-8 where the bytes are valid
        /// UTF-8, else as Latin-1 (see <see cref="HeaderEncoding"/>).</summary>
        private static string? DecodedHeader(RequestRecord record, string base64Name, string plainName)
        {
            if (record.Header(base64Name) is { } encoded)
            {
                try
                {
                    return new UTF8Encoding(false, true).GetString(Convert.FromBase64String(encoded.Trim()));
                }
                catch (Exception e) when (e is FormatException || e is ArgumentException)
                {
                    throw new EmulatorUsageException($"{base64Name} is not base64 of UTF-8 text: {e.Message}");
                }
            }
            return record.Header(plainName);
        }

        private static int? IntHeader(RequestRecord record, string name, int max)
        {
            if (record.Header(name) is not { } text) return null;
            if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value > max)
                throw new EmulatorUsageException($"{name} must be a whole number from 0 to {max}, not '{text}'.");
            return value;
        }
    }

    /// <summary>The body is not a chat request a real server would take (not JSON, no model, no messages).</summary>
    internal sealed class InvalidChatBodyException : Exception
    {
        public InvalidChatBodyException(string message) : base(message)
        {
        }
    }
}
