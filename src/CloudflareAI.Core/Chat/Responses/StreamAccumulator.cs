using System;
using System.Text;

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
        private readonly Action<string>? onReasoning;
        private readonly StringBuilder content = new StringBuilder();
        private readonly CompletionReader chunkReader = new CompletionReader();
        private readonly SecretRedactor redactor;
        // Servers that cut text by UTF-16 units may end one chunk with the high half of a pair and begin the next with the low half.
        private readonly SurrogatePairJoiner contentPairs = new SurrogatePairJoiner();
        private readonly SurrogatePairJoiner reasoningPairs = new SurrogatePairJoiner();
        private StringBuilder? reasoning;
        private ToolCallAssembler? toolCalls;

        /// <param name="onText">Receives each piece of text as it arrives.</param>
        /// <param name="redactor">Masks secrets in the preview of a chunk that cannot be read.</param>
        /// <param name="onReasoning">Receives each piece of reasoning as it arrives; null when nobody shows it.</param>
        public StreamAccumulator(Action<string> onText, SecretRedactor? redactor = null, Action<string>? onReasoning = null)
        {
            this.onText = onText ?? throw new ArgumentNullException(nameof(onText));
            this.redactor = redactor ?? SecretRedactor.None;
            this.onReasoning = onReasoning;
        }

        public string? FinishReason { get; private set; }

        public string? Model { get; private set; }

        public string? Id { get; private set; }

        public ChatUsage? Usage { get; private set; }

        /// <summary>Reads one event's data.</summary>
        /// <exception cref="ResponseFormatException">The data is not a JSON object.</exception>
        /// <exception cref="ErrorInResponseException">The server sent an error object mid-stream.</exception>
        public void Add(string data)
        {
            CompletionFields chunk = chunkReader.ReadChunk(data, Model == null, Id == null, redactor);
            if (Model == null) Model = NonEmpty(chunk.Model);
            if (Id == null) Id = NonEmpty(chunk.Id);
            if (chunk.HasChoice)
            {
                AppendText(chunk.Content);
                AppendReasoning(chunk.Reasoning);
                if (chunk.ToolCalls != null)
                {
                    toolCalls ??= new ToolCallAssembler();
                    foreach (ToolCallDelta delta in chunk.ToolCalls) toolCalls.Add(delta.Index, delta.Id, delta.Name, delta.Arguments);
                }
                if (!string.IsNullOrEmpty(chunk.FinishReason)) FinishReason = chunk.FinishReason;
            }
            // Workers AI's native stream (and its closing event on the OpenAI route) carries text in "response".
            AppendText(chunk.Response);
            if (chunk.Usage != null) Usage = chunk.Usage;
        }

        /// <summary>The stream is over: a high surrogate still waiting for its other half becomes U+FFFD.</summary>
        public void Finish()
        {
            Emit(contentPairs.Flush());
            EmitReasoning(reasoningPairs.Flush());
        }

        public ParsedCompletion ToReply() => new ParsedCompletion
        {
            ToolCalls = toolCalls != null && toolCalls.HasCalls ? toolCalls.ToList() : null,
            Content = content.ToString(),
            Reasoning = reasoning?.ToString(),
            FinishReason = Repair(FinishReason),
            Model = Repair(Model),
            Id = Repair(Id),
            Usage = Usage,
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
            EmitReasoning(reasoningPairs.Push(text!));
        }

        private void EmitReasoning(string text)
        {
            if (text.Length == 0) return;
            (reasoning ??= new StringBuilder()).Append(text);
            onReasoning?.Invoke(text);
        }

        private static string? Repair(string? value) => value == null ? null : JsonText.ReplaceLoneSurrogates(value);

        private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
    }
}
