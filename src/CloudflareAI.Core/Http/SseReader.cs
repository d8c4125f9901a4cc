using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace CloudflareAI.Http
{
    /// <summary>
    /// Reads a server-sent event stream (text/event-stream) one event at a time and returns each event's data.
    /// Only <c>data:</c> matters for chat streams; <c>event:</c>, <c>id:</c> and <c>retry:</c> are ignored, and a
    /// <c>data: [DONE]</c> event ends the stream. Bytes are decoded with one <see cref="Decoder"/> for the whole stream,
    /// so a multi-byte character split between two reads survives, and a CR at the end of one read still pairs with an
    /// LF at the start of the next. Bytes that are not UTF-8 fail the stream instead of turning into U+FFFD, a byte-order
    /// mark before the first event is skipped, and the body and each line are capped, so a server cannot make the
    /// client buffer without end.
    /// </summary>
    internal sealed class SseReader
    {
        private const string DoneMarker = "[DONE]";

        /// <summary>The longest event-stream line (and event data) read, in characters.</summary>
        public const int DefaultMaxLineChars = 8 * 1024 * 1024;

        private readonly Stream stream;
        private readonly Action? afterRead;
        private readonly Decoder decoder = new UTF8Encoding(false, true).GetDecoder();
        private readonly long maxBodyBytes;
        private readonly int maxLineChars;
        private long bodyBytes;
        private bool atStart = true;
        private readonly byte[] bytes;
        private readonly char[] chars;
        private readonly StringBuilder data = new StringBuilder();
        private char[] line = new char[256];
        private int lineLength;
        private int charPos;
        private int charCount;
        private bool skipLineFeed;
        private bool hasData;
        private bool endOfStream;
        private bool finished;

        /// <param name="stream">The response body.</param>
        /// <param name="afterRead">Called after every read that returned data, so the caller can restart its idle timer.</param>
        /// <param name="bufferSize">Bytes per read.</param>
        /// <param name="maxBodyBytes">The most bytes read from the stream (after decompression).</param>
        /// <param name="maxLineChars">The longest line, and the most data one event may carry.</param>
        public SseReader(Stream stream, Action? afterRead = null, int bufferSize = 16 * 1024, long maxBodyBytes = ResponseBody.DefaultMaxBodyBytes,
            int maxLineChars = DefaultMaxLineChars)
        {
            this.maxBodyBytes = maxBodyBytes;
            this.maxLineChars = maxLineChars;
            this.stream = stream ?? throw new ArgumentNullException(nameof(stream));
            this.afterRead = afterRead;
            bytes = new byte[bufferSize];
            chars = new char[Encoding.UTF8.GetMaxCharCount(bufferSize)];
        }

        /// <summary>True once a <c>data: [DONE]</c> event was read.</summary>
        public bool ReachedDone { get; private set; }

        /// <summary>True when the last event returned was cut off by the end of the stream instead of a blank line,
        /// so its data may be incomplete.</summary>
        public bool LastEventUnterminated { get; private set; }

        /// <summary>The data of the next event (several data lines joined with "\n"), or null at [DONE] or the end of the stream.</summary>
        public async Task<string?> ReadEventAsync(CancellationToken cancellationToken)
        {
            while (!finished)
            {
                while (charPos < charCount)
                {
                    if (skipLineFeed)
                    {
                        skipLineFeed = false;
                        if (chars[charPos] == '\n')
                        {
                            charPos++;
                            continue;
                        }
                    }

                    int end = IndexOfLineBreak(chars, charPos, charCount);
                    if (end < 0)
                    {
                        AppendToLine(chars, charPos, charCount - charPos);
                        charPos = charCount;
                        break;
                    }

                    AppendToLine(chars, charPos, end - charPos);
                    skipLineFeed = chars[end] == '\r';
                    charPos = end + 1;
                    if (EndLine(out string? completed)) return Dispatch(completed, unterminated: false);
                }

                if (endOfStream)
                {
                    finished = true;
                    // An unterminated last line still counts: a server that closes right after "data: [DONE]" or after its
                    // final chunk has said everything; a cut JSON chunk is caught by the caller through LastEventUnterminated.
                    if (lineLength > 0) EndLine(out _);
                    if (hasData) return Dispatch(TakeData(), unterminated: true);
                    return null;
                }

                int read = await stream.ReadAsync(bytes, 0, bytes.Length, cancellationToken).ConfigureAwait(false);
                charPos = 0;
                if (read == 0)
                {
                    endOfStream = true;
                    charCount = Decode(0, true);
                }
                else
                {
                    afterRead?.Invoke();
                    bodyBytes += read;
                    if (bodyBytes > maxBodyBytes) throw ResponseFormatException.TooLarge(" (-MaxResponseMB)", maxBodyBytes, RecommendedActions.AnswerTooLarge);
                    charCount = Decode(read, false);
                }
                if (atStart && charCount > 0)
                {
                    atStart = false;
                    // A BOM is not part of the first field name: left in, it would hide the first event.
                    if (chars[0] == '\uFEFF') charPos = 1;
                }
            }
            return null;
        }

        private int Decode(int count, bool flush)
        {
            try
            {
                return decoder.GetChars(bytes, 0, count, chars, 0, flush);
            }
            catch (DecoderFallbackException ex)
            {
                throw ResponseFormatException.Undecodable("the stream is not valid UTF-8", ex);
            }
        }

        private string? Dispatch(string? eventData, bool unterminated)
        {
            LastEventUnterminated = unterminated;
            if (eventData != null && string.Equals(eventData.Trim(), DoneMarker, StringComparison.Ordinal))
            {
                ReachedDone = true;
                finished = true;
                return null;
            }
            return eventData;
        }

        private static int IndexOfLineBreak(char[] buffer, int start, int end)
        {
            for (int i = start; i < end; i++)
            {
                char c = buffer[i];
                if (c == '\n' || c == '\r') return i;
            }
            return -1;
        }

        private void AppendToLine(char[] source, int start, int count)
        {
            if (count == 0) return;
            if (lineLength + count > maxLineChars) throw LineTooLarge();
            if (lineLength + count > line.Length)
            {
                Array.Resize(ref line, Math.Min(Math.Max(line.Length * 2, lineLength + count), maxLineChars));
            }
            Array.Copy(source, start, line, lineLength, count);
            lineLength += count;
        }

        /// <summary>Handles one complete line; true with the event's data when the line was the blank line ending an event.</summary>
        private bool EndLine(out string? completed)
        {
            completed = null;
            int length = lineLength;
            lineLength = 0;

            if (length == 0)
            {
                if (!hasData) return false;
                completed = TakeData();
                return true;
            }

            if (line[0] == ':') return false;

            int colon = Array.IndexOf(line, ':', 0, length);
            int nameLength = colon < 0 ? length : colon;
            if (nameLength != 4 || line[0] != 'd' || line[1] != 'a' || line[2] != 't' || line[3] != 'a') return false;

            int valueStart = colon < 0 ? length : colon + 1;
            if (valueStart < length && line[valueStart] == ' ') valueStart++;
            if (data.Length + 1 + length - valueStart > maxLineChars) throw LineTooLarge();
            if (hasData) data.Append('\n');
            data.Append(line, valueStart, length - valueStart);
            hasData = true;
            return false;
        }

        private ResponseFormatException LineTooLarge() =>
            ResponseFormatException.TooLarge(" in one event-stream line", maxLineChars, RecommendedActions.LineTooLarge);

        private string TakeData()
        {
            string value = data.ToString();
            data.Clear();
            hasData = false;
            return value;
        }
    }
}
