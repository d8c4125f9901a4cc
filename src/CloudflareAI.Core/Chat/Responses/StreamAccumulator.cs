using System;
using System.Text;
using System.Text.Json;

namespace CloudflareAI.Chat.Responses
{
    /// <summary>
    /// Builds the answer from streamed chunks (OpenAI chat.completion.chunk, plus Workers AI's native
    /// <c>{"response":"...","usage":{...}}</c> events) and hands each piece of text on as it arrives.
    /// Unknown fields, such as Workers AI's random <c>p</c> padding, are ignored; the last usage seen wins, because
    /// Workers AI repeats a growing usage on every chunk and ends with the cumulative one.
    /// </summary>
    internal sealed class StreamAccumulator
    {
        private readonly Action<string> onText;
        private readonly StringBuilder content = new StringBuilder();
        private readonly StreamChunkReader chunkReader = new StreamChunkReader();
        private readonly SecretRedactor redactor;
        // Servers that cut text by UTF-16 units may end one chunk with the high half of a pair and begin the next with the low half.
        private readonly SurrogatePairJoiner contentPairs = new SurrogatePairJoiner();
        private readonly SurrogatePairJoiner reasoningPairs = new SurrogatePairJoiner();
        private StringBuilder? reasoning;
        private ToolCallAssembler? toolCalls;

        /// <param name="onText">Receives each piece of text as it arrives.</param>
        /// <param name="redactor">Masks secrets in the preview of a chunk that cannot be read.</param>
        public StreamAccumulator(Action<string> onText, SecretRedactor? redactor = null)
        {
            this.onText = onText ?? throw new ArgumentNullException(nameof(onText));
            this.redactor = redactor ?? SecretRedactor.None;
        }

        public string? FinishReason { get; private set; }

        public string? Model { get; private set; }

        public string? Id { get; private set; }

        public ChatUsage? Usage { get; private set; }

        public int ChunkCount { get; private set; }

        /// <summary>Reads one event's data.</summary>
        /// <exception cref="ResponseFormatException">The data is not a JSON object.</exception>
        /// <exception cref="ErrorInResponseException">The server sent an error object mid-stream.</exception>
        public void Add(string data)
        {
            // The one-pass reader serves the usual chunk; whatever it declines is read below, which then answers or throws.
            if (chunkReader.TryRead(data, Model == null, Id == null, out StreamChunk chunk))
            {
                ChunkCount++;
                if (Model == null) Model = NonEmpty(chunk.Model);
                if (Id == null) Id = NonEmpty(chunk.Id);
                if (chunk.HasChoice)
                {
                    AppendText(chunk.Content);
                    AppendReasoning(chunk.ReasoningContent ?? chunk.Reasoning);
                    if (chunk.ToolCalls != null)
                    {
                        toolCalls ??= new ToolCallAssembler();
                        foreach (ToolCallDelta delta in chunk.ToolCalls) toolCalls.Add(delta.Index, delta.Id, delta.Name, delta.Arguments);
                    }
                    if (!string.IsNullOrEmpty(chunk.FinishReason)) FinishReason = chunk.FinishReason;
                }
                AppendText(chunk.Response);
                if (chunk.Usage != null) Usage = chunk.Usage;
                return;
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(data);
            }
            catch (JsonException ex)
            {
                throw new ResponseFormatException("a stream chunk is not JSON: " + ApiErrorBody.Preview(data, redactor), ex);
            }

            using (document)
            {
                JsonElement root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object) throw new ResponseFormatException("a stream chunk is not a JSON object: " + ApiErrorBody.Preview(data, redactor));
                if (CompletionJson.IsErrorObject(root)) throw new ErrorInResponseException(ApiErrorBody.FromJson(root, redactor));
                ChunkCount++;

                if (Model == null) Model = NonEmpty(CompletionJson.GetString(root, "model"));
                if (Id == null) Id = NonEmpty(CompletionJson.GetString(root, "id"));

                if (CompletionJson.TryGetFirstChoice(root, out JsonElement choice))
                {
                    if (CompletionJson.TryGetObject(choice, "delta", out JsonElement delta))
                    {
                        AppendText(CompletionJson.GetString(delta, "content"));
                        AppendReasoning(CompletionJson.GetString(delta, "reasoning_content") ?? CompletionJson.GetString(delta, "reasoning"));
                        if (delta.TryGetProperty("tool_calls", out _)) ToolCallReader.AddDeltas(toolCalls ??= new ToolCallAssembler(), delta);
                    }
                    string? finish = CompletionJson.GetString(choice, "finish_reason");
                    if (!string.IsNullOrEmpty(finish)) FinishReason = finish;
                }

                // Workers AI's native stream (and its closing event on the OpenAI route) carries text in "response".
                AppendText(CompletionJson.GetString(root, "response"));

                ChatUsage? usage = CompletionJson.ReadUsage(root);
                if (usage != null) Usage = usage;
            }
        }

        /// <summary>The stream is over: a high surrogate still waiting for its other half becomes U+FFFD.</summary>
        public void Finish()
        {
            Emit(contentPairs.Flush());
            string rest = reasoningPairs.Flush();
            if (rest.Length > 0) (reasoning ??= new StringBuilder()).Append(rest);
        }

        public ParsedCompletion ToReply() => new ParsedCompletion
        {
            Content = content.ToString(),
            Reasoning = reasoning?.ToString(),
            FinishReason = Repair(FinishReason),
            Model = Repair(Model),
            Id = Repair(Id),
            Usage = Usage,
            ToolCalls = toolCalls != null && toolCalls.HasCalls ? toolCalls.ToList() : null,
        };

        private void AppendText(string? text)
        {
            if (string.IsNullOrEmpty(text)) return;
            Emit(contentPairs.Push(text!));
        }

        private void Emit(string text)
        {
            if (text.Length == 0) return;
            content.Append(text);
            onText(text);
        }

        private void AppendReasoning(string? text)
        {
            if (string.IsNullOrEmpty(text)) return;
            string joined = reasoningPairs.Push(text!);
            if (joined.Length > 0) (reasoning ??= new StringBuilder()).Append(joined);
        }

        private static string? Repair(string? value) => value == null ? null : JsonText.ReplaceLoneSurrogates(value);

        private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
    }
}
