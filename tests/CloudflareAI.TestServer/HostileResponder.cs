using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace CloudflareAI.TestServer
{
    /// <summary>
    /// Answers the way a hostile or broken server does: escape sequences in the answer, a byte-order mark, bytes that
    /// are not UTF-8, surrogate pairs cut between chunks, a gzip bomb, a body without end, corrupt gzip, oversized
    /// headers, and error pages that echo the caller's token in disguise. Every answer follows the request's stream
    /// flag where that makes sense, so one scenario tests both readers.
    /// </summary>
    internal static class HostileResponder
    {
        /// <summary>What the control-chars scenario answers: clear screen, window title, OSC 52 clipboard write, an
        /// OSC 8 hyperlink, an 8-bit CSI, a bell, a lone CR, and a CRLF that must survive.</summary>
        public const string ControlText =
            "safe \u001b[2J\u001b[H\u001b]0;pwned\u0007\u001b]52;c;ZWNobyBwd25lZA==\u0007\u001b]8;;https://evil.example/\u001b\\click\u001b]8;;\u001b\\ \u009b31mred\u009b0m\rover\r\nend";

        public static readonly IReadOnlyDictionary<string, string[]> Scenarios = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
        {
            ["control-chars"] = new[] { "status" },
            ["bom"] = Array.Empty<string>(),
            ["invalid-utf8"] = Array.Empty<string>(),
            ["split-surrogate"] = Array.Empty<string>(),
            ["lone-surrogate"] = Array.Empty<string>(),
            ["gzip-bomb"] = new[] { "sizeMB" },
            ["endless"] = Array.Empty<string>(),
            ["corrupt-gzip"] = new[] { "coding" },
            ["huge-headers"] = new[] { "kb" },
            ["echo-token-entities"] = Array.Empty<string>(),
            ["echo-token-long"] = new[] { "offset" },
            ["redirect-token-case"] = Array.Empty<string>(),
        };

        private static readonly byte[] Bom = { 0xEF, 0xBB, 0xBF };

        // A bomb takes a while to compress; the same one serves every request of the process (nothing is stored on disk).
        private static readonly ConcurrentDictionary<string, Lazy<byte[]>> Bombs = new ConcurrentDictionary<string, Lazy<byte[]>>();

        public static bool Handles(string name) => Scenarios.ContainsKey(name);

        public static void Validate(Scenario s)
        {
            switch (s.Name)
            {
                case "control-chars": s.IntParam("status", 200, 200, 599); break;
                case "gzip-bomb": s.IntParam("sizeMB", 512, 1, 4096); break;
                case "corrupt-gzip": s.ChoiceParam("coding", "gzip", "br"); break;
                case "huge-headers": s.IntParam("kb", 128, 1, 16_384); break;
                case "echo-token-long": s.IntParam("offset", 190, 0, 10_000); break;
            }
        }

        public static async Task RespondAsync(HttpContext ctx, ChatExchange x, Scenario s)
        {
            CancellationToken ct = ctx.RequestAborted;
            switch (s.Name)
            {
                case "control-chars":
                {
                    int status = s.IntParam("status", 200, 200, 599);
                    if (status >= 300)
                    {
                        await WriteAsync(ctx, status, "application/json", Utf8("{\"error\":{\"message\":" + Quote("Bad input: " + ControlText) + ",\"code\":\"bad_input\"}}"), ct);
                    }
                    else if (x.Stream)
                    {
                        // ESC ends the first piece: a client that escaped per piece with a lookahead would miss it.
                        int esc = ControlText.IndexOf('\u001b');
                        await WriteAsync(ctx, 200, "text/event-stream", Utf8(Sse(x, ControlText.Substring(0, esc + 1), ControlText.Substring(esc + 1, 20),
                            ControlText.Substring(esc + 21))), ct);
                    }
                    else
                    {
                        await WriteAsync(ctx, 200, "application/json", Utf8(Completion(x, Quote(ControlText))), ct);
                    }
                    break;
                }
                case "bom":
                {
                    byte[] body = Utf8(x.Stream ? Sse(x, "after ", "the BOM") : Completion(x, Quote("after the BOM")));
                    await WriteAsync(ctx, 200, x.Stream ? "text/event-stream" : "application/json", Concat(Bom, body), ct);
                    break;
                }
                case "invalid-utf8":
                {
                    byte[] body = Utf8(x.Stream ? Sse(x, "bad ", "XX bytes") : Completion(x, Quote("bad XX bytes")));
                    int at = Array.IndexOf(body, (byte)'X');
                    body[at] = 0xC3;
                    body[at + 1] = 0x28;
                    await WriteAsync(ctx, 200, x.Stream ? "text/event-stream" : "application/json", body, ct);
                    break;
                }
                case "split-surrogate":
                case "lone-surrogate":
                {
                    // What a JavaScript server that cuts text by UTF-16 units sends: the high half ends one chunk.
                    bool lone = s.Name == "lone-surrogate";
                    string first = "\"smile \\ud83d\"";
                    string second = lone ? "\"!\"" : "\"\\ude00!\"";
                    string body = x.Stream
                        ? SseRaw(x, first, second)
                        : Completion(x, lone ? "\"smile \\ud83d!\"" : "\"smile \\ud83d\\ude00!\"");
                    await WriteAsync(ctx, 200, x.Stream ? "text/event-stream" : "application/json", Utf8(body), ct);
                    break;
                }
                case "gzip-bomb":
                {
                    int sizeMb = s.IntParam("sizeMB", 512, 1, 4096);
                    byte[] bomb = Bombs.GetOrAdd((x.Stream ? "sse/" : "json/") + sizeMb.ToString(CultureInfo.InvariantCulture),
                        key => new Lazy<byte[]>(() => Bomb(x.Stream, sizeMb), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
                    ctx.Response.Headers.ContentEncoding = "gzip";
                    await WriteAsync(ctx, 200, x.Stream ? "text/event-stream" : "application/json", bomb, ct);
                    break;
                }
                case "endless":
                    await EndlessAsync(ctx, x, ct);
                    break;
                case "corrupt-gzip":
                {
                    byte[] valid = Gzip(Utf8(x.Stream ? Sse(x, "never ", "seen") : Completion(x, Quote("never seen"))));
                    // A valid gzip header, then deflate data with its block bits scrambled.
                    for (int i = 10; i < valid.Length - 8; i++) valid[i] ^= 0x5A;
                    // br: a coding the client never offered (it asks for gzip and deflate only), as a misconfigured proxy sends.
                    ctx.Response.Headers.ContentEncoding = s.ChoiceParam("coding", "gzip", "br");
                    await WriteAsync(ctx, 200, x.Stream ? "text/event-stream" : "application/json", valid, ct);
                    break;
                }
                case "huge-headers":
                {
                    int kb = s.IntParam("kb", 128, 1, 16_384);
                    ctx.Response.Headers["x-emulator-padding"] = new string('p', kb * 1024);
                    await WriteAsync(ctx, 200, "application/json", Utf8(Completion(x, Quote("headers too large to read"))), ct);
                    break;
                }
                case "echo-token-entities":
                {
                    var encoded = new StringBuilder();
                    foreach (char c in x.Record.BareCredential()) encoded.Append("&#").Append(((int)c).ToString(CultureInfo.InvariantCulture)).Append(';');
                    await WriteAsync(ctx, 502, "text/html", Utf8("<html><body><h1>502 Bad Gateway</h1><p>Upstream refused key " + encoded + "</p></body></html>"), ct);
                    break;
                }
                case "echo-token-long":
                {
                    int offset = s.IntParam("offset", 190, 0, 10_000);
                    string page = "<html><body><p>" + new string('x', offset) + x.Record.BareCredential() + new string('y', 400) + "</p></body></html>";
                    await WriteAsync(ctx, 502, "text/html", Utf8(page), ct);
                    break;
                }
                case "redirect-token-case":
                {
                    string key = x.Record.BareCredential();
                    ctx.Response.StatusCode = 307;
                    ctx.Response.Headers.Location = "https://" + SwapCase(key) + ".elsewhere.example/v1/chat/completions?key=" + SwapCase(key);
                    ctx.Response.ContentLength = 0;
                    break;
                }
                default:
                    throw new InvalidOperationException("Hostile scenario without a responder: " + s.Name);
            }
        }

        private static async Task EndlessAsync(HttpContext ctx, ChatExchange x, CancellationToken ct)
        {
            HttpResponse response = ctx.Response;
            response.StatusCode = 200;
            response.ContentType = x.Stream ? "text/event-stream" : "application/json";
            byte[] unit = x.Stream
                ? Utf8("data: " + Chunk(x, "more ") + "\n\n")
                : Utf8(new string('a', 1024));
            var block = new MemoryStream();
            if (!x.Stream) block.Write(Utf8("{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""));
            while (block.Length < 64 * 1024) block.Write(unit);
            byte[] first = block.ToArray();
            block.SetLength(0);
            while (block.Length < 64 * 1024) block.Write(unit);
            byte[] rest = block.ToArray();
            try
            {
                await response.Body.WriteAsync(first, ct);
                while (!ct.IsCancellationRequested)
                {
                    await response.Body.WriteAsync(rest, ct);
                    await response.Body.FlushAsync(ct);
                }
            }
            catch (Exception e) when (e is OperationCanceledException || e is IOException)
            {
                // The client stopped reading: the only way this body ends.
            }
        }

        private static byte[] Bomb(bool stream, int sizeMb)
        {
            var output = new MemoryStream();
            using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
            {
                gzip.Write(Utf8(stream ? "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" : "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""));
                byte[] filler = new byte[1024 * 1024];
                Array.Fill(filler, (byte)'a');
                for (int i = 0; i < sizeMb; i++) gzip.Write(filler);
            }
            return output.ToArray();
        }

        private static byte[] Gzip(byte[] data)
        {
            var output = new MemoryStream();
            using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(data);
            return output.ToArray();
        }

        private static string Completion(ChatExchange x, string quotedContent) =>
            "{\"id\":" + Quote(x.Id) + ",\"object\":\"chat.completion\",\"model\":" + Quote(x.Model) +
            ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + quotedContent + "},\"finish_reason\":\"stop\"}]}";

        private static string Chunk(ChatExchange x, string content) => ChunkRaw(x, Quote(content));

        private static string ChunkRaw(ChatExchange x, string quotedContent) =>
            "{\"id\":" + Quote(x.Id) + ",\"object\":\"chat.completion.chunk\",\"model\":" + Quote(x.Model) +
            ",\"choices\":[{\"index\":0,\"delta\":{\"content\":" + quotedContent + "},\"finish_reason\":null}]}";

        private static string Sse(ChatExchange x, params string[] pieces)
        {
            var quoted = new string[pieces.Length];
            for (int i = 0; i < pieces.Length; i++) quoted[i] = Quote(pieces[i]);
            return SseRaw(x, quoted);
        }

        private static string SseRaw(ChatExchange x, params string[] quotedPieces)
        {
            var text = new StringBuilder();
            foreach (string piece in quotedPieces) text.Append("data: ").Append(ChunkRaw(x, piece)).Append("\n\n");
            text.Append("data: {\"id\":").Append(Quote(x.Id)).Append(",\"object\":\"chat.completion.chunk\",\"model\":").Append(Quote(x.Model))
                .Append(",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
            text.Append("data: [DONE]\n\n");
            return text.ToString();
        }

        private static async Task WriteAsync(HttpContext ctx, int status, string contentType, byte[] body, CancellationToken ct)
        {
            HttpResponse response = ctx.Response;
            response.StatusCode = status;
            response.ContentType = contentType;
            response.ContentLength = body.Length;
            try
            {
                await response.Body.WriteAsync(body, ct);
            }
            catch (Exception e) when (e is OperationCanceledException || e is IOException)
            {
                // The client gave up part-way (a size cap): nothing more to say.
            }
        }

        private static string SwapCase(string text)
        {
            var chars = text.ToCharArray();
            for (int i = 0; i < chars.Length; i++) chars[i] = char.IsUpper(chars[i]) ? char.ToLowerInvariant(chars[i]) : char.ToUpperInvariant(chars[i]);
            return new string(chars);
        }

        private static string Quote(string value) => JsonSink.Quote(value);

        private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

        private static byte[] Concat(byte[] a, byte[] b)
        {
            var result = new byte[a.Length + b.Length];
            Buffer.BlockCopy(a, 0, result, 0, a.Length);
            Buffer.BlockCopy(b, 0, result, a.Length, b.Length);
            return result;
        }
    }
}
