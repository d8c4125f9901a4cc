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
                if (CompletionJson.IsErrorObject(root)) throw new ErrorInResponseException(ApiErrorBody.FromJson(root, redactor));

                string? model = CompletionJson.GetString(root, "model");
                ChatUsage? usage = CompletionJson.ReadUsage(root);
                float[]?[] vectors;
                if (root.TryGetProperty("data", out JsonElement data) && data.ValueKind == JsonValueKind.Array)
                {
                    vectors = ReadItems(data, expected);
                }
                else if (CompletionJson.TryGetObject(root, "result", out JsonElement result) && result.TryGetProperty("data", out JsonElement rows)
                    && rows.ValueKind == JsonValueKind.Array)
                {
                    vectors = ReadRows(rows, expected);
                    usage ??= CompletionJson.ReadUsage(result);
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
