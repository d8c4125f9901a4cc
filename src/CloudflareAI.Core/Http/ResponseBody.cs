using System;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace CloudflareAI.Http
{
    /// <summary>Reads a response body as bytes or text, honouring the cancellation token on every read.</summary>
    internal static class ResponseBody
    {
        /// <summary>Error bodies beyond this are cut: a proxy's HTML page needs only its start to be recognised.</summary>
        public const int ErrorBodyLimit = 64 * 1024;

        /// <summary>The default of -MaxResponseMB, in bytes.</summary>
        public const long DefaultMaxBodyBytes = 32L * 1024 * 1024;

        private const int ReadSize = 81920;

        /// <summary>Reads at most <paramref name="limit"/> bytes and decodes them as UTF-8.</summary>
        public static async Task<string> ReadLimitedAsync(HttpContent? content, int limit, CancellationToken cancellationToken)
        {
            string text = (await ReadLimitedWithCutAsync(content, limit, cancellationToken).ConfigureAwait(false)).Text;
            return text;
        }

        /// <summary>Reads at most <paramref name="limit"/> bytes and decodes them as UTF-8; Cut says whether more followed.</summary>
        public static async Task<(string Text, bool Cut)> ReadLimitedWithCutAsync(HttpContent? content, int limit, CancellationToken cancellationToken)
        {
            if (content == null) return (string.Empty, false);
            using (Stream stream = await content.ReadAsStreamAsync().ConfigureAwait(false))
            {
                var buffer = new byte[Math.Min(limit, 16 * 1024)];
                using (var collected = new MemoryStream())
                {
                    while (collected.Length < limit)
                    {
                        int want = (int)Math.Min(buffer.Length, limit - collected.Length);
                        int read = await stream.ReadAsync(buffer, 0, want, cancellationToken).ConfigureAwait(false);
                        if (read == 0) return (Decode(collected), false);
                        collected.Write(buffer, 0, read);
                    }
                    return (Decode(collected), true);
                }
            }
        }

        /// <summary>Reads the whole body, at most <paramref name="maxBytes"/> after decompression.</summary>
        /// <exception cref="ResponseFormatException">The body is larger than the cap; reading stops there.</exception>
        public static async Task<MemoryStream> ReadAllAsync(HttpContent? content, long maxBytes, CancellationToken cancellationToken)
        {
            var collected = new MemoryStream();
            if (content == null) return collected;
            using (Stream stream = await content.ReadAsStreamAsync().ConfigureAwait(false))
            {
                // A declared length is a good first guess for the buffer, never a reason to reserve more than the cap.
                long? declared = content.Headers.ContentLength;
                if (declared > 0 && declared <= maxBytes && content.Headers.ContentEncoding.Count == 0) collected.Capacity = (int)declared.Value;

                var buffer = new byte[ReadSize];
                while (true)
                {
                    int read = await stream.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
                    if (read == 0) break;
                    if (collected.Length + read > maxBytes) throw ResponseFormatException.TooLarge(" (-MaxResponseMB)", maxBytes, RecommendedActions.AnswerTooLarge);
                    collected.Write(buffer, 0, read);
                }
            }
            collected.Position = 0;
            return collected;
        }

        private static string Decode(MemoryStream collected) => Encoding.UTF8.GetString(collected.GetBuffer(), 0, (int)collected.Length);
    }
}
