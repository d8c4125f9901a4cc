using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CloudflareAI.Chat.Tools
{
    /// <summary>The text of a tool message: the tool's output as JSON, cut to a size a model can take, or an error object.</summary>
    internal static class ToolResultText
    {
        /// <summary>The most UTF-8 bytes of one tool result sent back to the model.</summary>
        public const int MaxBytes = 32 * 1024;

        /// <summary>What ends a result that was cut.</summary>
        public const string CutMarker = "...[cut: the tool's output was larger than 32 KB]";

        private static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        /// <summary><c>{"error": "<paramref name="message"/>"}</c>, the shape models are told failures in.</summary>
        public static string Error(string message)
        {
            using (var buffer = new MemoryStream())
            {
                using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
                {
                    writer.WriteStartObject();
                    writer.WriteString("error", message ?? string.Empty);
                    writer.WriteEndObject();
                }
                return Encoding.UTF8.GetString(buffer.ToArray());
            }
        }

        /// <summary><paramref name="text"/> when it fits in <see cref="MaxBytes"/>; else its start, on a character boundary, and the marker.</summary>
        public static string Limit(string text)
        {
            if (text == null) return string.Empty;
            if (Encoding.UTF8.GetMaxByteCount(text.Length) <= MaxBytes || Encoding.UTF8.GetByteCount(text) <= MaxBytes) return text;
            int budget = MaxBytes - Encoding.UTF8.GetByteCount(CutMarker);
            int bytes = 0;
            int end = 0;
            while (end < text.Length)
            {
                int width = char.IsHighSurrogate(text[end]) && end + 1 < text.Length && char.IsLowSurrogate(text[end + 1]) ? 2 : 1;
                int size = Encoding.UTF8.GetByteCount(text.ToCharArray(end, width));
                if (bytes + size > budget) break;
                bytes += size;
                end += width;
            }
            return text.Substring(0, end) + CutMarker;
        }
    }
}
