using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading;

namespace CloudflareAI.TestServer
{
    /// <summary>One request as the emulator received it. Header names are lower-cased; repeated
    /// headers are joined with ", " as HTTP allows.</summary>
    internal sealed class RequestRecord
    {
        public RequestRecord(long seq, DateTime receivedAt, string method, string path, string query,
            IReadOnlyDictionary<string, string> headers, string body)
        {
            Seq = seq;
            ReceivedAt = receivedAt;
            Method = method;
            Path = path;
            Query = query;
            Headers = headers;
            Body = body;
        }

        public long Seq { get; }
        public DateTime ReceivedAt { get; }
        public string Method { get; }
        public string Path { get; }
        public string Query { get; }
        public IReadOnlyDictionary<string, string> Headers { get; }
        public string Body { get; }

        public string? Header(string lowerCaseName) => Headers.TryGetValue(lowerCaseName, out var v) ? v : null;

        /// <summary>The first credential sent (Authorization, api-key, then cf-aig-authorization), without its scheme
        /// ("Bearer "): what a host that echoes the key back repeats.</summary>
        public string BareCredential()
        {
            foreach (var name in new[] { "authorization", "api-key", "cf-aig-authorization" })
            {
                if (Header(name) is not { } value) continue;
                int space = value.IndexOf(' ');
                return space > 0 ? value.Substring(space + 1) : value;
            }
            return "(none)";
        }
    }

    /// <summary>Keeps the most recent requests for tests to inspect. Thread-safe.</summary>
    internal sealed class RequestRecorder
    {
        public const int Capacity = 10_000;

        private static readonly JsonWriterOptions WriterOptions = new()
        {
            // The reader is a test, not a browser: keep non-ASCII readable instead of \u-escaping it.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };

        private readonly Queue<RequestRecord> _records = new();
        private readonly object _gate = new();
        private long _seq;

        /// <summary>Sequence numbers keep growing across <see cref="Clear"/>, so an id never repeats
        /// within one emulator process.</summary>
        public long NextSeq() => Interlocked.Increment(ref _seq);

        /// <summary>The last sequence number handed out (0 before the first request).</summary>
        public long LastSeq => Interlocked.Read(ref _seq);

        public int Count
        {
            get
            {
                lock (_gate) return _records.Count;
            }
        }

        public void Add(RequestRecord record)
        {
            lock (_gate)
            {
                _records.Enqueue(record);
                while (_records.Count > Capacity) _records.Dequeue();
            }
        }

        public int Clear()
        {
            lock (_gate)
            {
                int n = _records.Count;
                _records.Clear();
                return n;
            }
        }

        public RequestRecord[] Snapshot()
        {
            lock (_gate) return _records.ToArray();
        }

        public static void WriteJson(System.Buffers.IBufferWriter<byte> output, IEnumerable<RequestRecord> records)
        {
            using var w = new Utf8JsonWriter(output, WriterOptions);
            w.WriteStartArray();
            foreach (var r in records)
            {
                w.WriteStartObject();
                w.WriteNumber("seq", r.Seq);
                w.WriteString("receivedAt", r.ReceivedAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                w.WriteString("method", r.Method);
                w.WriteString("path", r.Path);
                w.WriteString("query", r.Query);
                w.WriteStartObject("headers");
                foreach (var h in r.Headers) w.WriteString(h.Key, h.Value);
                w.WriteEndObject();
                w.WriteString("body", r.Body);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
    }
}
