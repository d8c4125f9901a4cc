using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace CloudflareAI.Tests.Chat
{
    /// <summary>A request as the fake handler saw it.</summary>
    internal sealed class RecordedRequest
    {
        public HttpMethod Method { get; set; } = HttpMethod.Get;

        public Uri? Uri { get; set; }

        public Dictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        public string Body { get; set; } = string.Empty;
    }

    /// <summary>Answers each request with the next scripted responder; records what was sent.</summary>
    internal sealed class FakeHandler : HttpMessageHandler
    {
        private readonly Queue<Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>> responders =
            new Queue<Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>>();

        public List<RecordedRequest> Requests { get; } = new List<RecordedRequest>();

        public FakeHandler Then(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> responder)
        {
            responders.Enqueue(responder);
            return this;
        }

        public FakeHandler Then(Func<HttpResponseMessage> responder) => Then((_, _) => Task.FromResult(responder()));

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var recorded = new RecordedRequest { Method = request.Method, Uri = request.RequestUri };
            foreach (var header in request.Headers) recorded.Headers[header.Key] = string.Join(", ", header.Value);
            if (request.Content != null)
            {
                foreach (var header in request.Content.Headers) recorded.Headers[header.Key] = string.Join(", ", header.Value);
                recorded.Body = await request.Content.ReadAsStringAsync(cancellationToken);
            }
            lock (Requests) Requests.Add(recorded);
            if (responders.Count == 0) throw new InvalidOperationException("The test scripted no more responses.");
            HttpResponseMessage response = await responders.Dequeue()(request, cancellationToken);
            response.RequestMessage = request;
            return response;
        }
    }

    /// <summary>
    /// The one test clock: it moves only when the test or a wait moves it, so no test depends on the speed of the machine.
    /// Timeouts fire when <see cref="Advance"/> passes their deadline (a restart replaces the source's earlier deadline).
    /// By default a wait moves the clock on by its length and ends at once; made with <c>delaysWaitForAdvance</c>, a wait
    /// instead stays pending until <see cref="Advance"/> reaches its time (for tests that look at what happens meanwhile).
    /// </summary>
    internal sealed class FakeTimer : IChatClock
    {
        private readonly object gate = new object();
        private readonly bool delaysWaitForAdvance;
        private readonly Dictionary<CancellationTokenSource, DateTimeOffset> deadlines = new Dictionary<CancellationTokenSource, DateTimeOffset>();
        private readonly List<(DateTimeOffset Due, TaskCompletionSource<bool> Done)> waits = new List<(DateTimeOffset, TaskCompletionSource<bool>)>();
        private readonly List<TimeSpan> delays = new List<TimeSpan>();
        private DateTimeOffset now = new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero);

        public FakeTimer(bool delaysWaitForAdvance = false) => this.delaysWaitForAdvance = delaysWaitForAdvance;

        /// <summary>Every wait asked for, in order (a copy).</summary>
        public TimeSpan[] Delays
        {
            get { lock (gate) return delays.ToArray(); }
        }

        public DateTimeOffset UtcNow
        {
            get { lock (gate) return now; }
            set { lock (gate) now = value; }
        }

        /// <summary>How many waits are pending (only with <c>delaysWaitForAdvance</c>).</summary>
        public int Waiting
        {
            get { lock (gate) return waits.Count; }
        }

        /// <summary>How many times a timeout was started or restarted.</summary>
        public int TimeoutStarts { get; private set; }

        /// <summary>How many timeouts ran out and cancelled their source.</summary>
        public int TimeoutsFired { get; private set; }

        /// <summary>The time left until the nearest pending timeout, or null when none is pending.</summary>
        public TimeSpan? NextTimeoutIn
        {
            get
            {
                lock (gate)
                {
                    if (deadlines.Count == 0) return null;
                    return deadlines.Values.Min() - now;
                }
            }
        }

        public Task Delay(TimeSpan delay, CancellationToken ct)
        {
            ct.ThrowIfCancellationRequested();
            lock (gate) delays.Add(delay);
            if (!delaysWaitForAdvance)
            {
                Advance(delay);
                return Task.CompletedTask;
            }
            if (delay <= TimeSpan.Zero) return Task.CompletedTask;
            var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (gate) waits.Add((now + delay, done));
            ct.Register(() => done.TrySetCanceled(ct));
            return done.Task;
        }

        public void CancelAfter(CancellationTokenSource source, TimeSpan delay)
        {
            // As CancellationTokenSource.CancelAfter does, refuse a disposed source.
            _ = source.Token;
            lock (gate)
            {
                deadlines[source] = now + delay;
                TimeoutStarts++;
            }
        }

        /// <summary>Moves the clock on: ends every wait and cancels every source whose time came.</summary>
        public void Advance(TimeSpan by)
        {
            List<CancellationTokenSource> due;
            List<TaskCompletionSource<bool>> ended;
            lock (gate)
            {
                now += by;
                due = deadlines.Where(d => d.Value <= now).Select(d => d.Key).ToList();
                foreach (CancellationTokenSource source in due) deadlines.Remove(source);
                ended = waits.Where(w => w.Due <= now).Select(w => w.Done).ToList();
                waits.RemoveAll(w => w.Due <= now);
            }
            foreach (TaskCompletionSource<bool> wait in ended) wait.TrySetResult(true);
            foreach (CancellationTokenSource source in due)
            {
                try
                {
                    source.Cancel();
                    lock (gate) TimeoutsFired++;
                }
                catch (ObjectDisposedException)
                {
                    // That attempt is over; its timeout no longer matters.
                }
            }
        }

        /// <summary>Moves the clock to the nearest pending timeout, which fires.</summary>
        public void AdvanceToNextTimeout() =>
            Advance(NextTimeoutIn ?? throw new InvalidOperationException("No timeout is pending."));
    }

    internal sealed class RecordingObserver : IChatObserver
    {
        public ConcurrentQueue<string> Texts { get; } = new ConcurrentQueue<string>();

        public ConcurrentQueue<string> Verbose { get; } = new ConcurrentQueue<string>();

        public ConcurrentQueue<string> Debug { get; } = new ConcurrentQueue<string>();

        public ConcurrentQueue<string> Warnings { get; } = new ConcurrentQueue<string>();

        public string StreamedText => string.Concat(Texts);

        public IEnumerable<string> Everything => Texts.Concat(Verbose).Concat(Debug).Concat(Warnings);

        public void OnText(string text) => Texts.Enqueue(text);

        public void OnVerbose(string message) => Verbose.Enqueue(message);

        public void OnDebug(string message) => Debug.Enqueue(message);

        public void OnWarning(string message) => Warnings.Enqueue(message);
    }

    /// <summary>What a scripted stream does once its segments run out.</summary>
    internal enum StreamEnd
    {
        EndOfStream,
        Throw,
        HangUntilCancelled,
        HangIgnoringTokenUntilDisposed,
    }

    /// <summary>A stream read once, front to back, as an HTTP response body is. Test streams derive from it and supply
    /// Read and ReadAsync.</summary>
    internal abstract class ReadOnlyTestStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A response body that returns one scripted segment per read.</summary>
    internal sealed class ScriptedStream : ReadOnlyTestStream
    {
        private readonly Queue<byte[]> segments;
        private readonly StreamEnd end;
        private readonly Action? onHang;
        private readonly TaskCompletionSource<int> disposed = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        private byte[]? current;
        private int offset;

        /// <param name="onHang">Called once a hanging end is reached, before the read starts to wait (tests move the fake clock there).</param>
        public ScriptedStream(IEnumerable<byte[]> segments, StreamEnd end = StreamEnd.EndOfStream, Action? onHang = null)
        {
            this.segments = new Queue<byte[]>(segments);
            this.end = end;
            this.onHang = onHang;
        }

        public ScriptedStream(string text, StreamEnd end = StreamEnd.EndOfStream, Action? onHang = null)
            : this(new[] { Encoding.UTF8.GetBytes(text) }, end, onHang)
        {
        }

        public bool IsDisposed { get; private set; }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            if (IsDisposed) throw new ObjectDisposedException(nameof(ScriptedStream));
            while (current == null || this.offset >= current.Length)
            {
                if (segments.Count == 0)
                {
                    switch (end)
                    {
                        case StreamEnd.Throw:
                            throw new IOException("The connection was reset by the test.");
                        case StreamEnd.HangUntilCancelled:
                            onHang?.Invoke();
                            await Task.Delay(Timeout.Infinite, cancellationToken);
                            return 0;
                        case StreamEnd.HangIgnoringTokenUntilDisposed:
                            onHang?.Invoke();
                            await disposed.Task;
                            throw new ObjectDisposedException(nameof(ScriptedStream));
                        default:
                            return 0;
                    }
                }
                current = segments.Dequeue();
                this.offset = 0;
            }
            int n = Math.Min(count, current.Length - this.offset);
            Array.Copy(current, this.offset, buffer, offset, n);
            this.offset += n;
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            IsDisposed = true;
            disposed.TrySetResult(0);
            base.Dispose(disposing);
        }
    }

    /// <summary>Builders for responses and streams.</summary>
    internal static class CannedResponses
    {
        public const string Greeting = "Hello from Cloudflare — ¡hola! 👋 你好";

        public static HttpResponseMessage Json(HttpStatusCode status, string json)
        {
            return new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        }

        public static HttpResponseMessage Completion(string content, string finishReason = "stop", string model = "@cf/meta/llama-3.3-70b-instruct-fp8-fast") =>
            Json(HttpStatusCode.OK, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":" + Quote(model)
                + ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + Quote(content) + "},\"finish_reason\":" + Quote(finishReason) + "}],"
                + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7,\"total_tokens\":12}}");

        public static HttpResponseMessage EventStream(Stream body)
        {
            var content = new StreamContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/event-stream");
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        }

        public static string Chunk(string? content, string? finishReason = null, string model = "@cf/meta/llama-3.3-70b-instruct-fp8-fast") =>
            "{\"id\":\"chatcmpl-test\",\"object\":\"chat.completion.chunk\",\"model\":" + Quote(model) + ",\"choices\":[{\"index\":0,\"delta\":"
            + (content == null ? "{}" : "{\"content\":" + Quote(content) + "}") + ",\"finish_reason\":" + (finishReason == null ? "null" : Quote(finishReason)) + "}]}";

        public static string Event(string data) => "data: " + data + "\n\n";

        /// <summary>The greeting split after each space, one chunk each, then a stop chunk and [DONE].</summary>
        public static string GreetingStream(string newline = "\n")
        {
            var text = new StringBuilder();
            foreach (string piece in SplitAfterSpaces(Greeting))
            {
                text.Append("data: ").Append(Chunk(piece)).Append(newline).Append(newline);
            }
            text.Append("data: ").Append(Chunk(null, "stop")).Append(newline).Append(newline);
            text.Append("data: [DONE]").Append(newline).Append(newline);
            return text.ToString();
        }

        public static IEnumerable<string> SplitAfterSpaces(string text)
        {
            int start = 0;
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] != ' ') continue;
                yield return text.Substring(start, i + 1 - start);
                start = i + 1;
            }
            if (start < text.Length) yield return text.Substring(start);
        }

        public static string Quote(string value) => System.Text.Json.JsonSerializer.Serialize(value);
    }

    internal static class Endpoints
    {
        public const string Token = "cf-test-secret-token-0123456789abcdef";

        public static ChatEndpoint Cloudflare(string baseUrl = "https://api.cloudflare.com/client/v4/accounts/0123456789abcdef0123456789abcdef/ai/v1",
            IEnumerable<KeyValuePair<string, string>>? extraHeaders = null) =>
            new ChatEndpoint("cloudflare-workers-ai", new Uri(baseUrl),
                new[] { new KeyValuePair<string, string>("Authorization", "Bearer " + Token) }.Concat(extraHeaders ?? Array.Empty<KeyValuePair<string, string>>()).ToList(),
                new[] { Token }, coalescesSystemMessages: true, omitEmptySystemMessages: true, isCloudflare: true);

        public static ChatEndpoint OpenAi() =>
            new ChatEndpoint("openai", new Uri("https://api.openai.com/v1"),
                new[] { new KeyValuePair<string, string>("Authorization", "Bearer sk-test") },
                new[] { "sk-test" }, coalescesSystemMessages: false, omitEmptySystemMessages: false, isCloudflare: false);

        public static ChatRequest Request(bool stream = false, string prompt = "PING") => new ChatRequest
        {
            Model = "@cf/meta/llama-3.3-70b-instruct-fp8-fast",
            Messages = new[] { new ChatMessage("user", prompt) },
            Stream = stream,
        };
    }
}
