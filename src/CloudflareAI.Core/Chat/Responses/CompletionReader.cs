using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace CloudflareAI.Chat.Responses
{
    /// <summary>What one completion object carries: a whole answer's choice, or one streamed chunk's.</summary>
    internal struct CompletionFields
    {
        public string? Model;
        public string? Id;
        /// <summary>A first choice was found.</summary>
        public bool HasChoice;
        /// <summary>The choice's message (or, streamed, delta) content as text; empty when absent.</summary>
        public string Content;
        /// <summary>The legacy completions shape's <c>choices[0].text</c>; only a whole answer reads it.</summary>
        public string? LegacyText;
        /// <summary>The choice carried a message (or delta) object.</summary>
        public bool HasMessage;
        public string? Reasoning;
        public string? FinishReason;
        /// <summary>A <c>response</c> property (Workers AI's native shape) was present, of any kind.</summary>
        public bool HasResponse;
        /// <summary>Its value as text.</summary>
        public string Response;
        public ChatUsage? Usage;
        /// <summary>A <c>result</c> object (the Cloudflare v4 envelope) was present; only a whole answer reads it.</summary>
        public bool HasResult;
        /// <summary>An error object: no choices, and an error that is not null or success:false.</summary>
        public bool IsError;
        /// <summary>The message's (or delta's) <c>tool_calls</c>; null when it has none.</summary>
        public List<ToolCallDelta>? ToolCalls;
    }

    /// <summary>
    /// The one reader of completion JSON, for a whole answer and for each streamed chunk alike, in one forward pass of
    /// <see cref="Utf8JsonReader"/> (a long answer streams one chunk per token, so this is the per-chunk cost). Its rules:
    /// the last of duplicate properties wins; a value of the wrong kind counts as absent; the first choice is the first
    /// with index 0 (or none), else the first; content is a string, the text parts of a part list joined with newlines, or
    /// the JSON of an object (Workers AI's JSON mode); reasoning is <c>reasoning_content</c>, else <c>reasoning</c>;
    /// usage takes OpenAI's names, else the input/output names, and total = prompt + completion when absent.
    /// A whole answer reads <c>choices[0].message</c> (or the legacy <c>text</c>) and the v4 <c>result</c> envelope; a
    /// streamed chunk reads <c>choices[0].delta</c> and Workers AI's <c>response</c>.
    /// </summary>
    internal sealed class CompletionReader
    {
        private static readonly byte[] ChoicesName = Encoding.UTF8.GetBytes("choices");
        private static readonly byte[] ModelName = Encoding.UTF8.GetBytes("model");
        private static readonly byte[] IdName = Encoding.UTF8.GetBytes("id");
        private static readonly byte[] ResponseName = Encoding.UTF8.GetBytes("response");
        private static readonly byte[] ResultName = Encoding.UTF8.GetBytes("result");
        private static readonly byte[] UsageName = Encoding.UTF8.GetBytes("usage");
        private static readonly byte[] ErrorName = Encoding.UTF8.GetBytes("error");
        private static readonly byte[] SuccessName = Encoding.UTF8.GetBytes("success");
        private static readonly byte[] IndexName = Encoding.UTF8.GetBytes("index");
        private static readonly byte[] MessageName = Encoding.UTF8.GetBytes("message");
        private static readonly byte[] DeltaName = Encoding.UTF8.GetBytes("delta");
        private static readonly byte[] TextName = Encoding.UTF8.GetBytes("text");
        private static readonly byte[] FinishReasonName = Encoding.UTF8.GetBytes("finish_reason");
        private static readonly byte[] ContentName = Encoding.UTF8.GetBytes("content");
        private static readonly byte[] ReasoningContentName = Encoding.UTF8.GetBytes("reasoning_content");
        private static readonly byte[] ReasoningName = Encoding.UTF8.GetBytes("reasoning");
        private static readonly byte[] PromptTokensName = Encoding.UTF8.GetBytes("prompt_tokens");
        private static readonly byte[] InputTokensName = Encoding.UTF8.GetBytes("input_tokens");
        private static readonly byte[] CompletionTokensName = Encoding.UTF8.GetBytes("completion_tokens");
        private static readonly byte[] OutputTokensName = Encoding.UTF8.GetBytes("output_tokens");
        private static readonly byte[] TotalTokensName = Encoding.UTF8.GetBytes("total_tokens");
        private static readonly byte[] ToolCallsName = Encoding.UTF8.GetBytes("tool_calls");
        private static readonly byte[] FunctionName = Encoding.UTF8.GetBytes("function");
        private static readonly byte[] NameName = Encoding.UTF8.GetBytes("name");
        private static readonly byte[] ArgumentsName = Encoding.UTF8.GetBytes("arguments");

        /// <summary>Which shape is read: a whole answer or a streamed chunk.</summary>
        private enum Shape
        {
            Answer,
            Chunk,
        }

        // Reused for every chunk of the stream: the UTF-8 the reader needs.
        private byte[] utf8 = new byte[1024];

        /// <summary>Reads one streamed chunk.</summary>
        /// <param name="data">The event's data.</param>
        /// <param name="wantModel">Read <c>model</c> (only the first chunk's is kept, so later ones need not allocate it).</param>
        /// <param name="wantId">Read <c>id</c>, likewise.</param>
        /// <param name="redactor">Masks secrets in the preview of a chunk that cannot be read, and in an error object.</param>
        /// <exception cref="ResponseFormatException">The data is not JSON, or not a JSON object.</exception>
        /// <exception cref="ErrorInResponseException">The server sent an error object mid-stream.</exception>
        public CompletionFields ReadChunk(string data, bool wantModel, bool wantId, SecretRedactor redactor)
        {
            int most = Encoding.UTF8.GetMaxByteCount(data.Length);
            if (most > utf8.Length) utf8 = new byte[Math.Max(most, utf8.Length * 2)];
            int length = Encoding.UTF8.GetBytes(data, 0, data.Length, utf8, 0);
            var json = new ReadOnlySpan<byte>(utf8, 0, length);
            JsonTokenType root;
            CompletionFields chunk = default;
            try
            {
                root = ReadRoot(json, Shape.Chunk, wantModel, wantId, ref chunk);
            }
            catch (JsonException ex)
            {
                throw new ResponseFormatException("a stream chunk is not JSON: " + ApiErrorBody.Preview(data, redactor), ex);
            }
            if (root != JsonTokenType.StartObject) throw new ResponseFormatException("a stream chunk is not a JSON object: " + ApiErrorBody.Preview(data, redactor));
            if (chunk.IsError) throw ErrorIn(new ReadOnlyMemory<byte>(utf8, 0, length), redactor);
            return chunk;
        }

        /// <summary>Reads a whole answer: OpenAI's chat.completion, or the Cloudflare v4 success envelope.</summary>
        /// <exception cref="ResponseFormatException">Not JSON, or JSON without an answer in it.</exception>
        /// <exception cref="ErrorInResponseException">The body is an error object.</exception>
        public static ParsedCompletion ReadAnswer(ReadOnlyMemory<byte> utf8Json, SecretRedactor redactor)
        {
            CompletionFields root = default;
            CompletionFields result = default;
            JsonTokenType kind;
            try
            {
                kind = ReadRoot(utf8Json.Span, Shape.Answer, true, true, ref root, ref result);
            }
            catch (JsonException ex)
            {
                throw new ResponseFormatException("the body is not JSON: " + ApiErrorBody.Preview(Encoding.UTF8.GetString(utf8Json.ToArray()), redactor), ex);
            }
            if (kind != JsonTokenType.StartObject) throw new ResponseFormatException($"the body is a JSON {Describe(kind)}, not an object");
            if (root.IsError) throw ErrorIn(utf8Json, redactor);

            if (root.HasChoice) return FromChoice(ref root);
            if (root.HasResult && result.HasChoice)
            {
                ParsedCompletion reply = FromChoice(ref result);
                reply.Model ??= root.Model;
                reply.Id ??= root.Id;
                return reply;
            }
            if (root.HasResult && result.HasResponse)
            {
                return new ParsedCompletion
                {
                    Content = result.Response,
                    Usage = result.Usage ?? root.Usage,
                    Model = result.Model ?? root.Model,
                    Id = result.Id ?? root.Id,
                };
            }
            throw new ResponseFormatException("the body has neither choices[0].message nor result.response");
        }

        private static ParsedCompletion FromChoice(ref CompletionFields fields) => new ParsedCompletion
        {
            Content = fields.HasMessage ? fields.Content : fields.LegacyText ?? string.Empty,
            Reasoning = fields.HasMessage ? fields.Reasoning : null,
            FinishReason = fields.FinishReason,
            Model = fields.Model,
            Id = fields.Id,
            Usage = fields.Usage,
            ToolCalls = fields.HasMessage ? Assemble(fields.ToolCalls) : null,
        };

        /// <summary>A whole answer's calls; an entry without an index is placed by its position.</summary>
        private static List<ToolCall>? Assemble(List<ToolCallDelta>? deltas)
        {
            if (deltas == null || deltas.Count == 0) return null;
            var assembler = new ToolCallAssembler();
            for (int i = 0; i < deltas.Count; i++) assembler.Add(deltas[i].Index ?? i, deltas[i].Id, deltas[i].Name, deltas[i].Arguments);
            return assembler.ToList();
        }

        private static ErrorInResponseException ErrorIn(ReadOnlyMemory<byte> utf8Json, SecretRedactor redactor)
        {
            // Rare, so the error object is handed whole to the one reader of error bodies.
            using (JsonDocument document = JsonDocument.Parse(utf8Json))
            {
                return new ErrorInResponseException(ApiErrorBody.FromJson(document.RootElement, redactor));
            }
        }

        private static JsonTokenType ReadRoot(ReadOnlySpan<byte> json, Shape shape, bool wantModel, bool wantId, ref CompletionFields fields)
        {
            CompletionFields unused = default;
            return ReadRoot(json, shape, wantModel, wantId, ref fields, ref unused);
        }

        /// <summary>Reads the root value; the kind of its first token tells whether it was an object.</summary>
        private static JsonTokenType ReadRoot(ReadOnlySpan<byte> json, Shape shape, bool wantModel, bool wantId, ref CompletionFields fields, ref CompletionFields result)
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions());
            if (!reader.Read()) throw new JsonException("no JSON value");
            JsonTokenType kind = reader.TokenType;
            if (kind == JsonTokenType.StartObject) ReadObject(ref reader, shape, wantModel, wantId, ref fields, ref result, readResult: shape == Shape.Answer);
            else reader.Skip();
            // Anything after the value makes it malformed (Read throws), as a document parser would say.
            if (reader.Read()) throw new JsonException("more than one JSON value");
            return kind;
        }

        private static void ReadObject(ref Utf8JsonReader reader, Shape shape, bool wantModel, bool wantId, ref CompletionFields fields,
            ref CompletionFields result, bool readResult)
        {
            fields.Content = fields.Response = string.Empty;
            bool hasChoices = false;
            bool errorNotNull = false;
            bool successFalse = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals(ChoicesName))
                {
                    hasChoices = true;
                    reader.Read();
                    ReadChoices(ref reader, shape, ref fields);
                }
                else if (reader.ValueTextEquals(ModelName))
                {
                    reader.Read();
                    if (wantModel) fields.Model = StringOrNull(ref reader);
                    else reader.Skip();
                }
                else if (reader.ValueTextEquals(IdName))
                {
                    reader.Read();
                    if (wantId) fields.Id = StringOrNull(ref reader);
                    else reader.Skip();
                }
                else if (reader.ValueTextEquals(ResponseName))
                {
                    reader.Read();
                    fields.HasResponse = true;
                    fields.Response = ContentText(ref reader);
                }
                else if (reader.ValueTextEquals(UsageName))
                {
                    reader.Read();
                    fields.Usage = reader.TokenType == JsonTokenType.StartObject ? ReadUsage(ref reader) : SkipNull(ref reader);
                }
                else if (reader.ValueTextEquals(ErrorName))
                {
                    reader.Read();
                    errorNotNull = reader.TokenType != JsonTokenType.Null;
                    reader.Skip();
                }
                else if (reader.ValueTextEquals(SuccessName))
                {
                    reader.Read();
                    successFalse = reader.TokenType == JsonTokenType.False;
                    reader.Skip();
                }
                else if (readResult && reader.ValueTextEquals(ResultName))
                {
                    reader.Read();
                    result = default;
                    fields.HasResult = reader.TokenType == JsonTokenType.StartObject;
                    CompletionFields unused = default;
                    if (fields.HasResult) ReadObject(ref reader, shape, true, true, ref result, ref unused, readResult: false);
                    else reader.Skip();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            fields.IsError = !hasChoices && (errorNotNull || successFalse);
        }

        private static void ReadChoices(ref Utf8JsonReader reader, Shape shape, ref CompletionFields fields)
        {
            fields.HasChoice = fields.HasMessage = false;
            fields.Content = string.Empty;
            fields.LegacyText = fields.Reasoning = fields.FinishReason = null;
            fields.ToolCalls = null;
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                return;
            }

            bool chosen = false;
            bool haveFallback = false;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (chosen || reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }
                var choice = new CompletionFields { Content = string.Empty };
                bool otherIndex = ReadChoice(ref reader, shape, ref choice);
                if (otherIndex && haveFallback) continue;
                fields.HasChoice = true;
                fields.HasMessage = choice.HasMessage;
                fields.Content = choice.Content;
                fields.LegacyText = choice.LegacyText;
                fields.Reasoning = choice.Reasoning;
                fields.FinishReason = choice.FinishReason;
                fields.ToolCalls = choice.ToolCalls;
                if (otherIndex) haveFallback = true;
                else chosen = true;
            }
        }

        /// <summary>Reads one choice object; true when it carries an int32 index other than 0.</summary>
        private static bool ReadChoice(ref Utf8JsonReader reader, Shape shape, ref CompletionFields choice)
        {
            bool otherIndex = false;
            byte[] messageName = shape == Shape.Answer ? MessageName : DeltaName;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals(IndexName))
                {
                    reader.Read();
                    otherIndex = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int index) && index != 0;
                    reader.Skip();
                }
                else if (reader.ValueTextEquals(messageName))
                {
                    reader.Read();
                    choice.HasMessage = reader.TokenType == JsonTokenType.StartObject;
                    choice.Content = string.Empty;
                    choice.Reasoning = null;
                    choice.ToolCalls = null;
                    if (choice.HasMessage) ReadMessage(ref reader, ref choice);
                    else reader.Skip();
                }
                else if (shape == Shape.Answer && reader.ValueTextEquals(TextName))
                {
                    // The legacy completions shape; a few OpenAI-compatible servers still answer with it.
                    reader.Read();
                    choice.LegacyText = ContentText(ref reader);
                }
                else if (reader.ValueTextEquals(FinishReasonName))
                {
                    reader.Read();
                    choice.FinishReason = StringOrNull(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            return otherIndex;
        }

        private static void ReadMessage(ref Utf8JsonReader reader, ref CompletionFields choice)
        {
            string? reasoningContent = null, reasoning = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals(ContentName))
                {
                    reader.Read();
                    choice.Content = ContentText(ref reader);
                }
                else if (reader.ValueTextEquals(ReasoningContentName))
                {
                    reader.Read();
                    reasoningContent = StringOrNull(ref reader);
                }
                else if (reader.ValueTextEquals(ReasoningName))
                {
                    reader.Read();
                    reasoning = StringOrNull(ref reader);
                }
                else if (reader.ValueTextEquals(ToolCallsName))
                {
                    reader.Read();
                    choice.ToolCalls = ReadToolCalls(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            choice.Reasoning = NonEmpty(reasoningContent) ?? NonEmpty(reasoning);
        }

        /// <summary>
        /// <c>tool_calls</c>: each entry's index, id, function name and arguments piece. The arguments are JSON text; a host
        /// that sends the object itself gets its JSON.
        /// </summary>
        private static List<ToolCallDelta>? ReadToolCalls(ref Utf8JsonReader reader)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                return null;
            }
            var list = new List<ToolCallDelta>(1);
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }
                var delta = default(ToolCallDelta);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals(IndexName))
                    {
                        reader.Read();
                        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int index)) delta.Index = index;
                        else reader.Skip();
                    }
                    else if (reader.ValueTextEquals(IdName))
                    {
                        reader.Read();
                        delta.Id = StringOrNull(ref reader);
                    }
                    else if (reader.ValueTextEquals(FunctionName))
                    {
                        reader.Read();
                        if (reader.TokenType != JsonTokenType.StartObject)
                        {
                            reader.Skip();
                            continue;
                        }
                        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                        {
                            if (reader.ValueTextEquals(NameName))
                            {
                                reader.Read();
                                delta.Name = StringOrNull(ref reader);
                            }
                            else if (reader.ValueTextEquals(ArgumentsName))
                            {
                                reader.Read();
                                if (reader.TokenType == JsonTokenType.StartObject)
                                {
                                    using (JsonDocument value = JsonDocument.ParseValue(ref reader)) delta.Arguments = value.RootElement.GetRawText();
                                }
                                else delta.Arguments = StringOrNull(ref reader);
                            }
                            else
                            {
                                reader.Read();
                                reader.Skip();
                            }
                        }
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }
                list.Add(delta);
            }
            return list;
        }

        /// <summary>A content value as text: a string, the text parts of a part list joined with newlines, or an object's JSON.</summary>
        private static string ContentText(ref Utf8JsonReader reader)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    return JsonText.Read(ref reader);
                case JsonTokenType.StartArray:
                    StringBuilder? text = null;
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        string? piece = reader.TokenType == JsonTokenType.String ? JsonText.Read(ref reader)
                            : reader.TokenType == JsonTokenType.StartObject ? PartText(ref reader)
                            : SkipText(ref reader);
                        if (piece == null) continue;
                        text ??= new StringBuilder();
                        if (text.Length > 0) text.Append('\n');
                        text.Append(piece);
                    }
                    return text?.ToString() ?? string.Empty;
                case JsonTokenType.StartObject:
                    using (JsonDocument value = JsonDocument.ParseValue(ref reader))
                    {
                        return value.RootElement.GetRawText();
                    }
                default:
                    reader.Skip();
                    return string.Empty;
            }
        }

        /// <summary>A part object's <c>text</c>, when it is a string.</summary>
        private static string? PartText(ref Utf8JsonReader reader)
        {
            string? text = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isText = reader.ValueTextEquals(TextName);
                reader.Read();
                if (isText) text = StringOrNull(ref reader);
                else reader.Skip();
            }
            return text;
        }

        private static ChatUsage ReadUsage(ref Utf8JsonReader reader)
        {
            int? prompt = null, input = null, completion = null, output = null, total = null, cached = null, reasoning = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (UsageDetails.TryRead(ref reader, ref cached, ref reasoning)) continue;
                if (reader.ValueTextEquals(PromptTokensName)) prompt = ReadInt(ref reader);
                else if (reader.ValueTextEquals(CompletionTokensName)) completion = ReadInt(ref reader);
                else if (reader.ValueTextEquals(TotalTokensName)) total = ReadInt(ref reader);
                else if (reader.ValueTextEquals(InputTokensName)) input = ReadInt(ref reader);
                else if (reader.ValueTextEquals(OutputTokensName)) output = ReadInt(ref reader);
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            int promptTokens = prompt ?? input ?? 0;
            int completionTokens = completion ?? output ?? 0;
            return new ChatUsage
            {
                PromptTokens = promptTokens, CompletionTokens = completionTokens, TotalTokens = total ?? promptTokens + completionTokens,
                CachedTokens = cached, ReasoningTokens = reasoning,
            };
        }

        /// <summary>A number that fits an int, or a whole-or-not double in int range (truncated); else absent.</summary>
        private static int? ReadInt(ref Utf8JsonReader reader)
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.Number)
            {
                reader.Skip();
                return null;
            }
            if (reader.TryGetInt32(out int whole)) return whole;
            if (reader.TryGetDouble(out double number) && number >= int.MinValue && number <= int.MaxValue) return (int)number;
            return null;
        }

        private static string? StringOrNull(ref Utf8JsonReader reader)
        {
            if (reader.TokenType == JsonTokenType.String) return JsonText.Read(ref reader);
            reader.Skip();
            return null;
        }

        private static string? SkipText(ref Utf8JsonReader reader)
        {
            reader.Skip();
            return null;
        }

        private static ChatUsage? SkipNull(ref Utf8JsonReader reader)
        {
            reader.Skip();
            return null;
        }

        private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

        private static string Describe(JsonTokenType kind) => kind switch
        {
            JsonTokenType.StartArray => "array",
            JsonTokenType.String => "string",
            JsonTokenType.Number => "number",
            JsonTokenType.True or JsonTokenType.False => "boolean",
            JsonTokenType.Null => "null",
            _ => "value",
        };
    }
}
