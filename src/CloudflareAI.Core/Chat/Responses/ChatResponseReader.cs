using System;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace CloudflareAI.Chat.Responses
{
    /// <summary>Reads a 2xx response: an SSE stream chunk by chunk, or a JSON completion.</summary>
    internal static class ChatResponseReader
    {
        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, true);

        /// <param name="response">The response, status 2xx.</param>
        /// <param name="streamRequested">Whether the request asked for a stream.</param>
        /// <param name="onText">Receives each piece of streamed text as it arrives.</param>
        /// <param name="afterRead">Called after every read of the stream (restarts the idle timeout).</param>
        /// <param name="cancellationToken">Stops the read.</param>
        /// <param name="maxBodyBytes">The most bytes read from the body, after decompression (-MaxResponseMB).</param>
        /// <param name="redactor">Masks secrets in previews of an unreadable body.</param>
        /// <param name="onReasoning">Receives each piece of streamed reasoning; null when nobody shows it.</param>
        /// <exception cref="ResponseFormatException">Unreadable, too large, or a stream that ended early.</exception>
        /// <exception cref="ErrorInResponseException">An error object instead of an answer.</exception>
        public static async Task<ParsedCompletion> ReadAsync(HttpResponseMessage response, bool streamRequested, Action<string> onText, Action afterRead,
            CancellationToken cancellationToken, long maxBodyBytes = ResponseBody.DefaultMaxBodyBytes, SecretRedactor? redactor = null,
            Action<string>? onReasoning = null)
        {
            string? mediaType = response.Content?.Headers?.ContentType?.MediaType;
            bool isEventStream = string.Equals(mediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase);
            bool isJson = mediaType != null && (mediaType.EndsWith("/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

            // Text reaches the observer only when the user asked for a stream, even if a server streams unasked.
            Action<string> textSink = streamRequested ? onText : (_ => { });

            string? undecoded = UndecodedCoding(response);
            if (undecoded != null)
            {
                // The handler decodes gzip and deflate, the only codings the request offers; anything else would be read as
                // garbage (and fail later, less clearly).
                throw ResponseFormatException.Undecodable($"the body is {undecoded}-encoded, which the request did not offer and this client does not decode", null);
            }

            try
            {
                if (isEventStream || (streamRequested && !isJson))
                {
                    return await ReadStreamAsync(response, textSink, streamRequested ? onReasoning : null, afterRead, maxBodyBytes, redactor, cancellationToken).ConfigureAwait(false);
                }

                ParsedCompletion reply = await ReadJsonAsync(response, maxBodyBytes, redactor, cancellationToken).ConfigureAwait(false);
                // Some servers ignore "stream": true and answer in one piece; the user still sees the text (and the reasoning first).
                if (streamRequested && onReasoning != null && !string.IsNullOrEmpty(reply.Reasoning)) onReasoning(reply.Reasoning!);
                if (reply.Content.Length > 0) textSink(reply.Content);
                return reply;
            }
            catch (InvalidDataException ex)
            {
                // What the runtime's gzip and deflate streams throw for a body that does not decompress.
                throw ResponseFormatException.Undecodable($"the {ContentCoding(response)} body does not decompress", ex);
            }
        }

        private static async Task<ParsedCompletion> ReadStreamAsync(HttpResponseMessage response, Action<string> onText, Action<string>? onReasoning, Action afterRead, long maxBodyBytes,
            SecretRedactor? redactor, CancellationToken cancellationToken)
        {
            if (response.Content == null) throw ResponseFormatException.StreamEndedEarly();
            using (Stream stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
            {
                var reader = new SseReader(stream, afterRead, maxBodyBytes: maxBodyBytes);
                var accumulator = new StreamAccumulator(onText, redactor, onReasoning);
                string? data;
                while ((data = await reader.ReadEventAsync(cancellationToken).ConfigureAwait(false)) != null)
                {
                    if (string.IsNullOrWhiteSpace(data)) continue;
                    try
                    {
                        accumulator.Add(data);
                    }
                    catch (ResponseFormatException ex) when (reader.LastEventUnterminated)
                    {
                        // A chunk cut off by the end of the stream is a truncated stream, not a malformed one.
                        throw ResponseFormatException.StreamEndedEarly(ex);
                    }
                }

                // A finish reason without [DONE] is a complete answer from a server that skips the marker.
                if (!reader.ReachedDone && accumulator.FinishReason == null) throw ResponseFormatException.StreamEndedEarly();
                accumulator.Finish();
                return accumulator.ToReply();
            }
        }

        private static Task<ParsedCompletion> ReadJsonAsync(HttpResponseMessage response, long maxBodyBytes, SecretRedactor? redactor, CancellationToken cancellationToken) =>
            ReadJsonBodyAsync(response, maxBodyBytes, json => CompletionParser.Parse(json, redactor), cancellationToken);

        /// <summary>
        /// Reads a whole JSON body (at most <paramref name="maxBodyBytes"/>), skips a byte-order mark, checks that it is
        /// UTF-8, and hands it to <paramref name="parse"/>: the one reader of JSON answers, for chat and embeddings alike.
        /// </summary>
        /// <exception cref="ResponseFormatException">Empty, too large, not UTF-8, or not decompressible.</exception>
        internal static async Task<T> ReadJsonBodyAsync<T>(HttpResponseMessage response, long maxBodyBytes, Func<ReadOnlyMemory<byte>, T> parse,
            CancellationToken cancellationToken)
        {
            string? undecoded = UndecodedCoding(response);
            if (undecoded != null)
            {
                throw ResponseFormatException.Undecodable($"the body is {undecoded}-encoded, which the request did not offer and this client does not decode", null);
            }
            try
            {
                using (MemoryStream body = await ResponseBody.ReadAllAsync(response.Content, maxBodyBytes, cancellationToken).ConfigureAwait(false))
                {
                    byte[] buffer = body.GetBuffer();
                    int length = (int)body.Length;
                    int start = 0;
                    // JSON has no byte-order mark, but Windows tools write one; the parser would reject the whole body for it.
                    if (length >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF) start = 3;
                    if (length - start == 0) throw new ResponseFormatException("the body is empty");
                    try
                    {
                        // The JSON parser checks UTF-8 only where it looks; an invalid byte inside a string would surface later,
                        // as a failure to read that string.
                        StrictUtf8.GetCharCount(buffer, start, length - start);
                    }
                    catch (DecoderFallbackException ex)
                    {
                        throw ResponseFormatException.Undecodable("the body is not valid UTF-8", ex);
                    }
                    return parse(new ReadOnlyMemory<byte>(buffer, start, length - start));
                }
            }
            catch (InvalidDataException ex)
            {
                throw ResponseFormatException.Undecodable($"the {ContentCoding(response)} body does not decompress", ex);
            }
        }

        private static string? UndecodedCoding(HttpResponseMessage response)
        {
            var encodings = response.Content?.Headers?.ContentEncoding;
            if (encodings == null) return null;
            foreach (string coding in encodings)
            {
                if (!string.Equals(coding, "identity", StringComparison.OrdinalIgnoreCase) && !string.Equals(coding, "gzip", StringComparison.OrdinalIgnoreCase)
                    && !string.Equals(coding, "deflate", StringComparison.OrdinalIgnoreCase) && !string.Equals(coding, "x-gzip", StringComparison.OrdinalIgnoreCase))
                {
                    return coding;
                }
            }
            return null;
        }

        private static string ContentCoding(HttpResponseMessage response)
        {
            var encodings = response.Content?.Headers?.ContentEncoding;
            return encodings == null || encodings.Count == 0 ? "compressed" : string.Join(", ", encodings);
        }
    }
}
