using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CloudflareAI.Embeddings
{
    /// <summary>The body of POST {base}/embeddings in OpenAI's shape: model, input as an array, and dimensions when set.</summary>
    internal static class EmbeddingRequestBody
    {
        // The body goes over HTTP, never into HTML, so non-ASCII text is written as is instead of as \uXXXX escapes.
        private static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        public static byte[] Write(EmbeddingRequest request)
        {
            using (var buffer = new MemoryStream())
            {
                using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
                {
                    writer.WriteStartObject();
                    writer.WriteString("model", request.Model);
                    // Always an array, also for one text: the answer's data[].index then maps back without a special case.
                    writer.WriteStartArray("input");
                    foreach (string text in request.Texts) writer.WriteStringValue(text);
                    writer.WriteEndArray();
                    if (request.Dimensions.HasValue) writer.WriteNumber("dimensions", request.Dimensions.Value);
                    writer.WriteEndObject();
                }
                return buffer.ToArray();
            }
        }
    }
}
