using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace CloudflareAI.Embeddings
{
    /// <summary>
    /// Reads an embeddings answer: OpenAI's <c>{"data":[{"index":i,"embedding":[...]}],"model","usage"}</c>, or the
    /// Cloudflare v4 envelope of the native route (<c>{"result":{"shape":[n,d],"data":[[...],...]},"success":true}</c>).
    /// Vectors are put back in the order the texts were sent, by their index, whatever order the server lists them in.
    /// </summary>
    internal static class EmbeddingResponseParser
    {
        /// <exception cref="ResponseFormatException">Not JSON, or not one vector for each text sent.</exception>
        /// <exception cref="ErrorInResponseException">The body is an error object.</exception>
        public static EmbeddingReply Parse(ReadOnlyMemory<byte> utf8Json, int expected, SecretRedactor? redactor = null)
        {
            // The usual answer is read straight off the bytes: 100 texts of 1,024 numbers are 100,000 numbers, and a
            // document tree of them costs more than the numbers themselves. Anything else takes the general path below.
            if (TryReadOpenAiShape(utf8Json.Span, expected, out EmbeddingReply? fast)) return fast!;

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(utf8Json);
            }
            catch (JsonException ex)
            {
                throw new ResponseFormatException("the body is not JSON: " + ApiErrorBody.Preview(Encoding.UTF8.GetString(utf8Json.ToArray()), redactor), ex);
            }

            using (document)
            {
                JsonElement root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object) throw new ResponseFormatException("the body is not a JSON object");
                if (IsErrorObject(root)) throw new ErrorInResponseException(ApiErrorBody.FromJson(root, redactor));

                string? model = root.TryGetProperty("model", out JsonElement m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                ChatUsage? usage = ReadUsage(root);
                float[]?[] vectors;
                if (root.TryGetProperty("data", out JsonElement data) && data.ValueKind == JsonValueKind.Array)
                {
                    vectors = ReadItems(data, expected);
                }
                else if (root.TryGetProperty("result", out JsonElement result) && result.ValueKind == JsonValueKind.Object && result.TryGetProperty("data", out JsonElement rows)
                    && rows.ValueKind == JsonValueKind.Array)
                {
                    vectors = ReadRows(rows, expected);
                    usage ??= ReadUsage(result);
                }
                else
                {
                    throw new ResponseFormatException("the body has neither data[] nor result.data");
                }

                for (int i = 0; i < vectors.Length; i++)
                {
                    if (vectors[i] == null) throw new ResponseFormatException($"the answer has no embedding for input {i} of {expected}");
                }
                return new EmbeddingReply(vectors!, model, usage);
            }
        }

        /// <summary>
        /// OpenAI's list read with a forward-only reader: true with the reply when the body is exactly that shape (an
        /// object with data[] of {index, embedding:[numbers]} and one vector per text), false for anything else, which the
        /// general path then reads and reports. Unknown properties are skipped.
        /// </summary>
        private static bool TryReadOpenAiShape(ReadOnlySpan<byte> json, int expected, out EmbeddingReply? reply)
        {
            reply = null;
            try
            {
                var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 16 });
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
                float[]?[]? vectors = null;
                string? model = null;
                ChatUsage? usage = null;
                var numbers = new List<float>(1024);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("data"))
                    {
                        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray) return false;
                        vectors = new float[expected][];
                        int position = 0;
                        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                        {
                            int index = position;
                            float[]? vector = null;
                            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                            {
                                if (reader.ValueTextEquals("index"))
                                {
                                    if (!reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out index)) return false;
                                }
                                else if (reader.ValueTextEquals("embedding"))
                                {
                                    if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray) return false;
                                    numbers.Clear();
                                    while (reader.Read() && reader.TokenType == JsonTokenType.Number)
                                    {
                                        if (!reader.TryGetSingle(out float value) || float.IsInfinity(value)) return false;
                                        numbers.Add(value);
                                    }
                                    if (reader.TokenType != JsonTokenType.EndArray || numbers.Count == 0) return false;
                                    vector = numbers.ToArray();
                                }
                                else if (!reader.TrySkip()) return false;
                            }
                            if (reader.TokenType != JsonTokenType.EndObject || vector == null) return false;
                            if (index < 0 || index >= expected || vectors[index] != null) return false;
                            vectors[index] = vector;
                            position++;
                        }
                        if (reader.TokenType != JsonTokenType.EndArray || position != expected) return false;
                    }
                    else if (reader.ValueTextEquals("model"))
                    {
                        if (!reader.Read()) return false;
                        if (reader.TokenType == JsonTokenType.String) model = reader.GetString();
                        else if (!reader.TrySkip()) return false;
                    }
                    else if (reader.ValueTextEquals("usage"))
                    {
                        if (!reader.Read()) return false;
                        if (reader.TokenType == JsonTokenType.StartObject) usage = ReadUsage(ref reader);
                        else if (!reader.TrySkip()) return false;
                    }
                    else if (reader.ValueTextEquals("error") || reader.ValueTextEquals("errors") || reader.ValueTextEquals("success"))
                    {
                        // An error object, or the envelope: the general path knows those.
                        return false;
                    }
                    else if (!reader.TrySkip()) return false;
                }
                if (reader.TokenType != JsonTokenType.EndObject || vectors == null || reader.Read()) return false;
                reply = new EmbeddingReply(vectors!, model == null ? null : JsonText.ReplaceLoneSurrogates(model), usage);
                return true;
            }
            catch (JsonException)
            {
                return false;
            }
            catch (InvalidOperationException)
            {
                // A string where a number was expected, and the like.
                return false;
            }
        }

        private static ChatUsage ReadUsage(ref Utf8JsonReader reader)
        {
            int? prompt = null, completion = null, total = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isPrompt = reader.ValueTextEquals("prompt_tokens"), isCompletion = reader.ValueTextEquals("completion_tokens"), isTotal = reader.ValueTextEquals("total_tokens");
                reader.Read();
                if (reader.TokenType == JsonTokenType.Number && (isPrompt || isCompletion || isTotal))
                {
                    int value = reader.TryGetInt32(out int whole) ? whole : reader.TryGetDouble(out double number) && number >= int.MinValue && number <= int.MaxValue ? (int)number : 0;
                    if (isPrompt) prompt = value;
                    else if (isCompletion) completion = value;
                    else total = value;
                }
                else
                {
                    reader.TrySkip();
                }
            }
            int p = prompt ?? 0, c = completion ?? 0;
            return new ChatUsage { PromptTokens = p, CompletionTokens = c, TotalTokens = total ?? p + c };
        }

        /// <summary>An error object and no answer: OpenAI's error, Cloudflare's errors, or success:false, without data[].</summary>
        private static bool IsErrorObject(JsonElement root)
        {
            if (root.TryGetProperty("data", out JsonElement data) && data.ValueKind == JsonValueKind.Array) return false;
            bool errorNotNull = root.TryGetProperty("error", out JsonElement error) && error.ValueKind != JsonValueKind.Null;
            bool successFalse = root.TryGetProperty("success", out JsonElement success) && success.ValueKind == JsonValueKind.False;
            return errorNotNull || successFalse;
        }

        private static ChatUsage? ReadUsage(JsonElement container)
        {
            if (!container.TryGetProperty("usage", out JsonElement usage) || usage.ValueKind != JsonValueKind.Object) return null;
            int prompt = Int(usage, "prompt_tokens") ?? Int(usage, "input_tokens") ?? 0;
            int completion = Int(usage, "completion_tokens") ?? Int(usage, "output_tokens") ?? 0;
            return new ChatUsage { PromptTokens = prompt, CompletionTokens = completion, TotalTokens = Int(usage, "total_tokens") ?? prompt + completion };
        }

        private static int? Int(JsonElement element, string name) =>
            element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int whole) ? whole : (int?)null;

        private static float[]?[] ReadItems(JsonElement data, int expected)
        {
            var vectors = new float[expected][];
            int position = 0;
            foreach (JsonElement item in data.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("embedding", out JsonElement embedding))
                {
                    throw new ResponseFormatException($"data[{position}] has no embedding");
                }
                // Without an index the list order is the input order.
                int index = position;
                if (item.TryGetProperty("index", out JsonElement indexElement))
                {
                    if (indexElement.ValueKind != JsonValueKind.Number || !indexElement.TryGetInt32(out index))
                    {
                        throw new ResponseFormatException($"data[{position}].index is not a whole number");
                    }
                }
                if (index < 0 || index >= expected) throw new ResponseFormatException($"data[{position}].index is {index}, but {expected} input(s) were sent");
                if (vectors[index] != null) throw new ResponseFormatException($"the answer has two embeddings for input {index}");
                vectors[index] = ReadVector(embedding, $"data[{position}].embedding");
                position++;
            }
            if (position != expected) throw new ResponseFormatException($"the answer has {position} embedding(s) for {expected} input(s)");
            return vectors;
        }

        private static float[]?[] ReadRows(JsonElement rows, int expected)
        {
            int count = rows.GetArrayLength();
            if (count != expected) throw new ResponseFormatException($"the answer has {count} embedding(s) for {expected} input(s)");
            var vectors = new float[expected][];
            int i = 0;
            foreach (JsonElement row in rows.EnumerateArray())
            {
                vectors[i] = ReadVector(row, $"result.data[{i}]");
                i++;
            }
            return vectors;
        }

        private static float[] ReadVector(JsonElement element, string where)
        {
            if (element.ValueKind != JsonValueKind.Array) throw new ResponseFormatException($"{where} is not an array of numbers");
            var vector = new float[element.GetArrayLength()];
            int i = 0;
            foreach (JsonElement number in element.EnumerateArray())
            {
                if (number.ValueKind != JsonValueKind.Number || !number.TryGetSingle(out float value) || float.IsInfinity(value))
                {
                    throw new ResponseFormatException($"{where}[{i}] is not a number");
                }
                vector[i++] = value;
            }
            if (vector.Length == 0) throw new ResponseFormatException($"{where} is empty");
            return vector;
        }
    }
}
