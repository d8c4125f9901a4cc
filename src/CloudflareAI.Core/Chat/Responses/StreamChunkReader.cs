using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace CloudflareAI.Chat.Responses
{
    /// <summary>
    /// Reads a streamed chunk in one forward pass of <see cref="Utf8JsonReader"/>, without building a JsonDocument and
    /// looking each field up in it: a long answer streams one chunk per token, so this is the per-chunk cost. It reads what
    /// the accumulator's JsonDocument path reads and by the same rules: the last of duplicate properties wins, a value of the
    /// wrong kind counts as absent, the first choice is the first with index 0 (or none), else the first. It declines
    /// whatever that path treats specially - a chunk that is not an object, malformed JSON, an error object - so that path
    /// answers it, with its own exceptions.
    /// </summary>
    internal sealed class StreamChunkReader
    {
        private static readonly byte[] ChoicesName = Encoding.UTF8.GetBytes("choices");
        private static readonly byte[] ModelName = Encoding.UTF8.GetBytes("model");
        private static readonly byte[] IdName = Encoding.UTF8.GetBytes("id");
        private static readonly byte[] ResponseName = Encoding.UTF8.GetBytes("response");
        private static readonly byte[] UsageName = Encoding.UTF8.GetBytes("usage");
        private static readonly byte[] ErrorName = Encoding.UTF8.GetBytes("error");
        private static readonly byte[] SuccessName = Encoding.UTF8.GetBytes("success");
        private static readonly byte[] IndexName = Encoding.UTF8.GetBytes("index");
        private static readonly byte[] DeltaName = Encoding.UTF8.GetBytes("delta");
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

        // Reused for every chunk of the stream: the UTF-8 the reader needs.
        private byte[] utf8 = new byte[1024];

        /// <param name="data">The event's data.</param>
        /// <param name="wantModel">Read <c>model</c> (only the first chunk's is kept, so later ones need not allocate it).</param>
        /// <param name="wantId">Read <c>id</c>, likewise.</param>
        /// <param name="chunk">What the chunk carries, when the answer is true.</param>
        /// <returns>False when the JsonDocument path must read this chunk.</returns>
        public bool TryRead(string data, bool wantModel, bool wantId, out StreamChunk chunk)
        {
            chunk = default;
            int most = Encoding.UTF8.GetMaxByteCount(data.Length);
            if (most > utf8.Length) utf8 = new byte[Math.Max(most, utf8.Length * 2)];
            int length = Encoding.UTF8.GetBytes(data, 0, data.Length, utf8, 0);
            try
            {
                if (ReadRoot(new ReadOnlySpan<byte>(utf8, 0, length), wantModel, wantId, ref chunk)) return true;
            }
            catch (JsonException)
            {
                // Malformed: the JsonDocument path reports it.
            }
            catch (InvalidOperationException)
            {
                // A value of an unexpected shape; the JsonDocument path decides.
            }
            chunk = default;
            return false;
        }

        private static bool ReadRoot(ReadOnlySpan<byte> json, bool wantModel, bool wantId, ref StreamChunk chunk)
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions());
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;

            bool hasChoices = false;
            bool errorNotNull = false;
            bool successFalse = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals(ChoicesName))
                {
                    hasChoices = true;
                    reader.Read();
                    ReadChoices(ref reader, ref chunk);
                }
                else if (reader.ValueTextEquals(ModelName))
                {
                    reader.Read();
                    if (wantModel) chunk.Model = StringOrNull(ref reader);
                    else reader.Skip();
                }
                else if (reader.ValueTextEquals(IdName))
                {
                    reader.Read();
                    if (wantId) chunk.Id = StringOrNull(ref reader);
                    else reader.Skip();
                }
                else if (reader.ValueTextEquals(ResponseName))
                {
                    reader.Read();
                    chunk.Response = StringOrNull(ref reader);
                }
                else if (reader.ValueTextEquals(UsageName))
                {
                    reader.Read();
                    chunk.Usage = reader.TokenType == JsonTokenType.StartObject ? ReadUsage(ref reader) : SkipNull(ref reader);
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
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject) return false;
            // Anything after the object makes the chunk malformed (Read throws), as JsonDocument.Parse would say.
            if (reader.Read()) return false;

            // An error object (no choices, and an error or success:false): the JsonDocument path builds the error.
            return hasChoices || !(errorNotNull || successFalse);
        }

        /// <summary>The first choice, as CompletionJson.TryGetFirstChoice picks it: index 0 or no index wins at once; else the first.</summary>
        private static void ReadChoices(ref Utf8JsonReader reader, ref StreamChunk chunk)
        {
            chunk.HasChoice = false;
            chunk.Content = chunk.ReasoningContent = chunk.Reasoning = chunk.FinishReason = null;
            chunk.ToolCalls = null;
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
                var item = default(StreamChunk);
                bool otherIndex = ReadChoice(ref reader, ref item);
                if (!otherIndex)
                {
                    Take(ref chunk, ref item);
                    chosen = true;
                }
                else if (!haveFallback)
                {
                    Take(ref chunk, ref item);
                    haveFallback = true;
                }
            }
        }

        private static void Take(ref StreamChunk chunk, ref StreamChunk choice)
        {
            chunk.HasChoice = true;
            chunk.Content = choice.Content;
            chunk.ReasoningContent = choice.ReasoningContent;
            chunk.Reasoning = choice.Reasoning;
            chunk.FinishReason = choice.FinishReason;
            chunk.ToolCalls = choice.ToolCalls;
        }

        /// <summary>Reads one choice object; true when it carries an int32 index other than 0.</summary>
        private static bool ReadChoice(ref Utf8JsonReader reader, ref StreamChunk choice)
        {
            bool otherIndex = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals(IndexName))
                {
                    reader.Read();
                    otherIndex = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int index) && index != 0;
                    reader.Skip();
                }
                else if (reader.ValueTextEquals(DeltaName))
                {
                    reader.Read();
                    choice.Content = choice.ReasoningContent = choice.Reasoning = null;
                    choice.ToolCalls = null;
                    if (reader.TokenType == JsonTokenType.StartObject) ReadDelta(ref reader, ref choice);
                    else reader.Skip();
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

        private static void ReadDelta(ref Utf8JsonReader reader, ref StreamChunk choice)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals(ContentName))
                {
                    reader.Read();
                    choice.Content = StringOrNull(ref reader);
                }
                else if (reader.ValueTextEquals(ReasoningContentName))
                {
                    reader.Read();
                    choice.ReasoningContent = StringOrNull(ref reader);
                }
                else if (reader.ValueTextEquals(ReasoningName))
                {
                    reader.Read();
                    choice.Reasoning = StringOrNull(ref reader);
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
        }

        /// <summary>As ToolCallReader.AddDeltas reads them; arguments sent as an object are left to the JsonDocument path.</summary>
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
                                if (reader.TokenType == JsonTokenType.StartObject) throw new InvalidOperationException("arguments as an object");
                                delta.Arguments = StringOrNull(ref reader);
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

        /// <summary>As CompletionJson.ReadUsage: OpenAI's names, then the input/output names, total = prompt + completion when absent.</summary>
        private static ChatUsage ReadUsage(ref Utf8JsonReader reader)
        {
            int? prompt = null, input = null, completion = null, output = null, total = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
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
            return new ChatUsage { PromptTokens = promptTokens, CompletionTokens = completionTokens, TotalTokens = total ?? promptTokens + completionTokens };
        }

        /// <summary>As CompletionJson.GetInt: a number that fits an int, or a whole-or-not double in int range (truncated).</summary>
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

        private static ChatUsage? SkipNull(ref Utf8JsonReader reader)
        {
            reader.Skip();
            return null;
        }
    }
}
