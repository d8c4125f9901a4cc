using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using CloudflareAI.Http;

namespace CloudflareAI.Chat
{
    /// <summary>Reads a 2xx response: an SSE stream chunk by chunk, or a JSON completion.</summary>
    internal static class ChatResponseReader
    {
        /// <param name="response">The response, status 2xx.</param>
        /// <param name="streamRequested">Whether the request asked for a stream.</param>
        /// <param name="onText">Receives each piece of streamed text as it arrives.</param>
        /// <param name="afterRead">Called after every read of the stream (restarts the idle timeout).</param>
        /// <exception cref="ResponseFormatException">Unreadable, or a stream that ended early.</exception>
        /// <exception cref="ErrorInResponseException">An error object instead of an answer.</exception>
        public static async Task<ChatReply> ReadAsync(HttpResponseMessage response, bool streamRequested, Action<string> onText, Action afterRead,
            CancellationToken cancellationToken)
        {
            string? mediaType = response.Content?.Headers?.ContentType?.MediaType;
            bool isEventStream = string.Equals(mediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase);
            bool isJson = mediaType != null && (mediaType.EndsWith("/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

            // Text reaches the observer only when the user asked for a stream, even if a server streams unasked.
            Action<string> textSink = streamRequested ? onText : (_ => { });

            if (isEventStream || (streamRequested && !isJson))
            {
                return await ReadStreamAsync(response, textSink, afterRead, cancellationToken).ConfigureAwait(false);
            }

            ChatReply reply = await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
            // Some servers ignore "stream": true and answer in one piece; the user still sees the text.
            if (reply.Content.Length > 0) textSink(reply.Content);
            return reply;
        }

        private static async Task<ChatReply> ReadStreamAsync(HttpResponseMessage response, Action<string> onText, Action afterRead,
            CancellationToken cancellationToken)
        {
            if (response.Content == null) throw ResponseFormatException.StreamEndedEarly();
            using (Stream stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
            {
                var reader = new SseReader(stream, afterRead);
                var accumulator = new ChatStreamAccumulator(onText);
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
                return accumulator.ToReply();
            }
        }

        private static async Task<ChatReply> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
        {
            using (MemoryStream body = await ResponseText.ReadAllAsync(response.Content, cancellationToken).ConfigureAwait(false))
            {
                if (body.Length == 0) throw new ResponseFormatException("the body is empty");
                return ChatCompletionParser.Parse(new ReadOnlyMemory<byte>(body.GetBuffer(), 0, (int)body.Length));
            }
        }
    }
}
