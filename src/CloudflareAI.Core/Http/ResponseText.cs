using System;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace CloudflareAI.Http
{
    /// <summary>Reads a response body as bytes or text, honouring the cancellation token on every read.</summary>
    internal static class ResponseText
    {
        /// <summary>Error bodies beyond this are cut: a proxy's HTML page needs only its start to be recognised.</summary>
        public const int ErrorBodyLimit = 64 * 1024;

        /// <summary>Reads at most <paramref name="limit"/> bytes and decodes them as UTF-8.</summary>
        public static async Task<string> ReadLimitedAsync(HttpContent? content, int limit, CancellationToken cancellationToken)
        {
            if (content == null) return string.Empty;
            using (Stream stream = await content.ReadAsStreamAsync().ConfigureAwait(false))
            {
                var buffer = new byte[Math.Min(limit, 16 * 1024)];
                using (var collected = new MemoryStream())
                {
                    while (collected.Length < limit)
                    {
                        int want = (int)Math.Min(buffer.Length, limit - collected.Length);
                        int read = await stream.ReadAsync(buffer, 0, want, cancellationToken).ConfigureAwait(false);
                        if (read == 0) break;
                        collected.Write(buffer, 0, read);
                    }
                    return Encoding.UTF8.GetString(collected.GetBuffer(), 0, (int)collected.Length);
                }
            }
        }

        /// <summary>Reads the whole body.</summary>
        public static async Task<MemoryStream> ReadAllAsync(HttpContent? content, CancellationToken cancellationToken)
        {
            var collected = new MemoryStream();
            if (content == null) return collected;
            using (Stream stream = await content.ReadAsStreamAsync().ConfigureAwait(false))
            {
                await stream.CopyToAsync(collected, 81920, cancellationToken).ConfigureAwait(false);
            }
            collected.Position = 0;
            return collected;
        }
    }
}
