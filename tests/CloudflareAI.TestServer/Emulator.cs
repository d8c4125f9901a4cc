using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;

namespace CloudflareAI.TestServer
{
    /// <summary>Routes every request: the /_emulator/ control endpoints, chat requests (any POST whose
    /// path ends in /chat/completions), and Cloudflare's 404 for everything else.</summary>
    internal sealed class Emulator
    {
        private const string ControlPrefix = "/_emulator/";
        private const string ChatSuffix = "/chat/completions";
        private const string EmbeddingsSuffix = "/embeddings";

        private readonly RequestRecorder _recorder = new();
        private readonly GatewayResponder _gateway = new();
        private readonly ConcurrentDictionary<string, int> _faultCounts = new(StringComparer.Ordinal);
        private readonly LoadKnobs _load = new();
        private readonly Gathering _gathering = new();
        private readonly IHostApplicationLifetime _lifetime;
        private int _inFlight;

        public Emulator(IHostApplicationLifetime lifetime) => _lifetime = lifetime;

        public async Task HandleAsync(HttpContext ctx)
        {
            try
            {
                await DispatchAsync(ctx);
            }
            catch (EmulatorUsageException e)
            {
                await PlainAsync(ctx, StatusCodes.Status400BadRequest, "CloudflareAI emulator: " + e.Message);
            }
            catch (EmulatedErrorException e)
            {
                await JsonAsync(ctx, e.Status, e.Body);
            }
            catch (InvalidChatBodyException e)
            {
                await JsonAsync(ctx, StatusCodes.Status400BadRequest,
                    "{\"error\":{\"message\":" + JsonSink.Quote(e.Message) + ",\"type\":\"invalid_request_error\",\"code\":null}}");
            }
            catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
            {
                // The client gave up (timeout test, Ctrl+C): nothing left to answer.
            }
            catch (IOException)
            {
                // The connection went away while writing.
            }
            catch (Exception e)
            {
                // An emulator bug: say so loudly on stderr and to the client, never silently.
                Console.Error.WriteLine("CloudflareAI emulator: unhandled error on " + ctx.Request.Method + " " + ctx.Request.Path + ": " + e);
                if (!ctx.Response.HasStarted)
                {
                    await PlainAsync(ctx, StatusCodes.Status500InternalServerError, "CloudflareAI emulator bug: " + e.Message);
                }
                else
                {
                    ctx.Abort();
                }
            }
        }

        private async Task DispatchAsync(HttpContext ctx)
        {
            (string path, string query) = RawTarget(ctx);
            string method = ctx.Request.Method;

            if (path.StartsWith(ControlPrefix, StringComparison.Ordinal))
            {
                await ControlAsync(ctx, path, method);
                return;
            }

            RequestRecord record = await RecordAsync(ctx, path, query);
            if (await AccountApiResponder.TryRespondAsync(ctx, record)) return;
            bool embeddings = path.EndsWith(EmbeddingsSuffix, StringComparison.Ordinal);
            if (HttpMethods.IsPost(method) && (embeddings || path.EndsWith(ChatSuffix, StringComparison.Ordinal)))
            {
                Interlocked.Increment(ref _inFlight);
                _load.Enter(record);
                try
                {
                    await ChatAsync(ctx, record, embeddings);
                }
                finally
                {
                    _load.Exit(record);
                    Interlocked.Decrement(ref _inFlight);
                }
                return;
            }
            if (ModelsResponder.Handles(method, path))
            {
                await ModelsResponder.RespondAsync(ctx, record, ShouldFail);
                return;
            }
            await JsonAsync(ctx, StatusCodes.Status404NotFound, FaultResponder.NoRouteBody);
        }

        private async Task ControlAsync(HttpContext ctx, string path, string method)
        {
            if (path == "/_emulator/requests" && HttpMethods.IsGet(method))
            {
                IEnumerable<RequestRecord> records = _recorder.Snapshot();
                string? run = ctx.Request.Query["run"].FirstOrDefault();
                if (run is not null) records = records.Where(r => r.Header(EmulatorHeaders.Run) == run);
                ctx.Response.StatusCode = StatusCodes.Status200OK;
                ctx.Response.ContentType = "application/json; charset=utf-8";
                RequestRecorder.WriteJson(ctx.Response.BodyWriter, records);
                await ctx.Response.BodyWriter.FlushAsync(ctx.RequestAborted);
                return;
            }
            if (path == "/_emulator/requests" && HttpMethods.IsDelete(method))
            {
                // Also forgets the times=N budgets and the gateway cache keys, so a cleared emulator behaves like a fresh one.
                _recorder.Clear();
                _faultCounts.Clear();
                _load.Clear();
                _gathering.Clear();
                _gateway.Clear();
                ctx.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            }
            if (path == "/_emulator/status" && HttpMethods.IsGet(method))
            {
                // inFlight lets a test prove that a client which gave up also freed the server.
                string? gaugeRun = ctx.Request.Query["run"].FirstOrDefault();
                string? gauge = gaugeRun is null ? null : _load.RunJson(gaugeRun);
                await JsonAsync(ctx, StatusCodes.Status200OK,
                    "{\"inFlight\":" + Volatile.Read(ref _inFlight).ToString(CultureInfo.InvariantCulture) +
                    ",\"recorded\":" + _recorder.Count.ToString(CultureInfo.InvariantCulture) +
                    ",\"lastSeq\":" + _recorder.LastSeq.ToString(CultureInfo.InvariantCulture) +
                    (gaugeRun is null ? "" : ",\"run\":" + (gauge ?? "null")) + "}");
                return;
            }
            if (path == "/_emulator/shutdown" && HttpMethods.IsPost(method))
            {
                ctx.Response.OnCompleted(() =>
                {
                    _lifetime.StopApplication();
                    return Task.CompletedTask;
                });
                await JsonAsync(ctx, StatusCodes.Status200OK, "{\"shuttingDown\":true}");
                return;
            }
            await JsonAsync(ctx, StatusCodes.Status404NotFound, FaultResponder.NoRouteBody);
        }

        /// <summary>A chat or an embeddings request: both take the same fault scenarios, load knobs, latency and gateway headers.</summary>
        private async Task ChatAsync(HttpContext ctx, RequestRecord record, bool embeddings)
        {
            string path = record.Path;
            Flavour flavour = path.Contains("/ai/v1/", StringComparison.Ordinal) ? Flavour.WorkersAI
                : path.Contains("/compat/", StringComparison.Ordinal) ? Flavour.Gateway
                : Flavour.OpenAI;

            Scenario? scenario = record.Header(EmulatorHeaders.Scenario) is { } header && header.Trim().Length > 0
                ? Scenario.Parse(header)
                : null;
            if (scenario is not null) FaultResponder.Validate(scenario);
            LoadKnobs.Validate(record);
            Gathering.Validate(record);
            long arrived = System.Diagnostics.Stopwatch.GetTimestamp();
            EmbeddingsRequest? embedding = embeddings ? EmbeddingsResponder.Read(record, flavour) : null;
            ChatExchange x = embedding is null ? ChatExchange.Create(record, flavour) : ChatExchange.ForEmbeddings(record, flavour, embedding.Model);
            // A rate limiter at the edge answers before any work is done.
            if (await _load.TryRefuseAsync(ctx, record)) return;
            bool fail = scenario is not null && ShouldFail(scenario, record);

            await _gathering.WaitAsync(record, ctx.RequestAborted);
            if (embedding is not null)
            {
                // A model computes its vectors within its latency: the body is built first and the wait is what is left, so
                // the latency knob is the time to the answer and a benchmark's ideal holds however busy the machine is.
                embedding.Body = EmbeddingsResponder.Build(embedding);
                int left = x.LatencyMs - (int)System.Diagnostics.Stopwatch.GetElapsedTime(arrived).TotalMilliseconds;
                if (left > 0) await Task.Delay(left, ctx.RequestAborted);
            }
            else if (x.LatencyMs > 0) await WaitSinceAsync(System.Diagnostics.Stopwatch.GetTimestamp(), x.LatencyMs, ctx.RequestAborted);

            ctx.Response.Headers["x-emulator-seq"] = record.Seq.ToString(CultureInfo.InvariantCulture);
            // A proxy's HTML page or a dropped connection never passed through the gateway.
            bool fromGateway = GatewayResponder.IsGateway(record, flavour, x.Model) && !(fail && scenario!.Name is "html-502" or "reset");
            if (fromGateway) _gateway.AddHeaders(ctx, record, x.Model, fail);

            if (fail) await FaultResponder.RespondAsync(ctx, x, scenario!);
            else if (CodeFaultResponder.IsRetired(x.Model)) await CodeFaultResponder.RetiredAsync(ctx);
            else if (embedding is null && ToolResponder.Handles(x.Model, record.Body)) await ToolResponder.RespondAsync(ctx, x);
            else if (embedding is null && StructuredResponder.Handles(x)) await StructuredResponder.RespondAsync(ctx, x);
            else if (await _load.TryInjectAsync(ctx, record)) return;
            else if (embedding is not null) await EmbeddingsResponder.WriteAsync(ctx, embedding);
            else await ChatResponder.WriteAsync(ctx, x, AnswerShape.Normal);
        }

        /// <summary>Without times=N the fault always happens; with it, only for the first N requests
        /// of this (scenario, X-Emulator-Run) pair, so "503 then success" needs no server state in the test.</summary>
        private bool ShouldFail(Scenario scenario, RequestRecord record)
        {
            if (scenario.Times is not { } times) return true;
            string key = scenario.Name + "\n" + (record.Header(EmulatorHeaders.Run) ?? string.Empty);
            int seen = _faultCounts.AddOrUpdate(key, 1, (_, n) => n + 1);
            return seen <= times;
        }

        private async Task<RequestRecord> RecordAsync(HttpContext ctx, string path, string query)
        {
            var headers = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var h in ctx.Request.Headers)
            {
                headers[h.Key.ToLowerInvariant()] = string.Join(", ", h.Value.ToArray());
            }
            string body;
            using (var reader = new StreamReader(ctx.Request.Body, new UTF8Encoding(false, false)))
            {
                body = await reader.ReadToEndAsync(ctx.RequestAborted);
            }
            var record = new RequestRecord(_recorder.NextSeq(), DateTime.UtcNow, ctx.Request.Method, path, query, headers, body);
            _recorder.Add(record);
            return record;
        }

        /// <summary>The path and query as the client sent them (not percent-decoded), so a test sees
        /// exactly how the module escaped an account or gateway id.</summary>
        private static (string Path, string Query) RawTarget(HttpContext ctx)
        {
            string? raw = ctx.Features.Get<IHttpRequestFeature>()?.RawTarget;
            if (raw is null || !raw.StartsWith('/'))
            {
                return (ctx.Request.PathBase.Add(ctx.Request.Path).Value ?? "/", ctx.Request.QueryString.Value ?? string.Empty);
            }
            int q = raw.IndexOf('?');
            return q < 0 ? (raw, string.Empty) : (raw.Substring(0, q), raw.Substring(q));
        }

        /// <summary>Waits until <paramref name="ms"/> have passed since <paramref name="since"/> on the stopwatch, the clock the
        /// rate limit's window runs on. Task.Delay alone runs on a coarser clock and may end a few milliseconds early, which
        /// would answer a request before its place in a one-second window is free again.</summary>
        private static async Task WaitSinceAsync(long since, int ms, CancellationToken token)
        {
            while (true)
            {
                double left = ms - System.Diagnostics.Stopwatch.GetElapsedTime(since).TotalMilliseconds;
                if (left <= 0) return;
                await Task.Delay(Math.Max(1, (int)Math.Ceiling(left)), token);
            }
        }

        private static Task JsonAsync(HttpContext ctx, int status, string body) =>
            WriteTextAsync(ctx, status, "application/json", body);

        private static Task PlainAsync(HttpContext ctx, int status, string text) =>
            WriteTextAsync(ctx, status, "text/plain; charset=utf-8", text);

        private static async Task WriteTextAsync(HttpContext ctx, int status, string contentType, string text)
        {
            if (ctx.Response.HasStarted) return;
            ctx.Response.Clear();
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = contentType;
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            ctx.Response.ContentLength = bytes.Length;
            await ctx.Response.Body.WriteAsync(bytes, ctx.RequestAborted);
        }
    }
}
