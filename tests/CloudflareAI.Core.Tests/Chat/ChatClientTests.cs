using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace CloudflareAI.Tests.Chat
{
    public class ChatClientTests
    {
        private readonly FakeHandler handler = new FakeHandler();
        private readonly FakeTimer timer = new FakeTimer();
        private readonly RecordingObserver observer = new RecordingObserver();

        private ChatClient Client(double random = 0.5) => new ChatClient(handler, timer, () => random);

        private Task<ChatResponse> Send(ChatEndpoint endpoint, ChatRequest request, ChatCallOptions? options = null, CancellationToken token = default) =>
            Client().SendAsync(endpoint, request, options ?? new ChatCallOptions(), observer, token);

        private static HttpResponseMessage Status(HttpStatusCode status, string body = "", string? retryAfter = null)
        {
            HttpResponseMessage response = CannedResponses.Json(status, body);
            if (retryAfter != null) response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
            return response;
        }

        [Theory]
        [InlineData(true, true)]
        [InlineData(true, false)]
        [InlineData(false, true)]
        [InlineData(false, false)]
        public async Task ReportsOnlyTheLinesTheCallerShows(bool verbose, bool debug)
        {
            // The cmdlet says which lines it will show; the others are not built, but warnings always are.
            handler.Then(() => CannedResponses.Completion("cut short", finishReason: "length"));

            await Send(Endpoints.Cloudflare(), Endpoints.Request(), new ChatCallOptions { ReportVerbose = verbose, ReportDebug = debug });

            Assert.Equal(verbose, observer.Verbose.Any(line => line.StartsWith("POST https://api.cloudflare.com/", StringComparison.Ordinal)));
            Assert.Equal(verbose, !observer.Verbose.IsEmpty);
            Assert.Equal(debug, observer.Debug.Any(line => line.StartsWith("Request body: {", StringComparison.Ordinal)));
            Assert.Equal(debug, !observer.Debug.IsEmpty);
            Assert.Contains(observer.Warnings, w => w.Contains("finish_reason 'length'"));
        }

        [Fact]
        public async Task PostsTheRequestAndReadsTheCompletion()
        {
            handler.Then(() =>
            {
                HttpResponseMessage response = CannedResponses.Completion("Hi there!");
                response.Headers.TryAddWithoutValidation("cf-aig-log-id", "01JADMCQQQBWH3NXZ5GCRN98DP");
                response.Headers.TryAddWithoutValidation("cf-aig-cache-status", "MISS");
                return response;
            });
            var history = new[]
            {
                new ChatMessage("system", "AGENT-INSTRUCTION: you are helpful."),
                new ChatMessage("system", "TOOLSET-INSTRUCTION: use tools wisely."),
                new ChatMessage("user", "PING-MARKER"),
            };
            ChatRequest request = Endpoints.Request();
            request.Messages = history;

            ChatResponse response = await Send(Endpoints.Cloudflare(), request);

            RecordedRequest sent = Assert.Single(handler.Requests);
            Assert.Equal(HttpMethod.Post, sent.Method);
            Assert.Equal("https://api.cloudflare.com/client/v4/accounts/0123456789abcdef0123456789abcdef/ai/v1/chat/completions", sent.Uri!.AbsoluteUri);
            Assert.Equal("Bearer " + Endpoints.Token, sent.Headers["Authorization"]);
            Assert.Equal("application/json", sent.Headers["Accept"]);
            Assert.Equal("application/json", sent.Headers["Content-Type"]);
            Assert.Matches(@"^CloudflareAI/\d+\.\d+\.\d+[^+]*$", sent.Headers["User-Agent"]);

            JsonElement body = JsonDocument.Parse(sent.Body).RootElement;
            Assert.Equal(new[] { "model", "messages" }, body.EnumerateObject().Select(p => p.Name));
            Assert.Equal(2, body.GetProperty("messages").GetArrayLength());
            Assert.Equal("AGENT-INSTRUCTION: you are helpful.\nTOOLSET-INSTRUCTION: use tools wisely.", body.GetProperty("messages")[0].GetProperty("content").GetString());

            Assert.Equal("Hi there!", response.Content);
            Assert.Equal("Hi there!", response.ToString());
            Assert.Equal("assistant", response.Role);
            Assert.Equal("@cf/meta/llama-3.3-70b-instruct-fp8-fast", response.Model);
            Assert.Equal("cloudflare-workers-ai", response.Provider);
            Assert.Equal("stop", response.FinishReason);
            Assert.Equal("chatcmpl-1", response.Id);
            Assert.Equal(12, response.Usage!.TotalTokens);
            Assert.Equal(1, response.Attempts);
            Assert.Equal("01JADMCQQQBWH3NXZ5GCRN98DP", response.GatewayLogId);
            Assert.Equal("MISS", response.CacheStatus);
            Assert.True(response.Duration > TimeSpan.Zero);

            // The history as given (not coalesced), plus the reply.
            Assert.Equal(4, response.Messages.Count);
            Assert.Same(history[1], response.Messages[1]);
            Assert.Equal("assistant", response.Messages[3].Role);
            Assert.Equal("Hi there!", response.Messages[3].Content);
        }

        [Fact]
        public async Task NonCoalescingEndpointSendsTheMessagesAsGiven()
        {
            handler.Then(() => CannedResponses.Completion("ok"));
            ChatRequest request = Endpoints.Request();
            request.Messages = new[] { new ChatMessage("system", "a"), new ChatMessage("system", ""), new ChatMessage("user", "b") };

            await Send(Endpoints.OpenAi(), request);

            Assert.Equal(3, JsonDocument.Parse(handler.Requests[0].Body).RootElement.GetProperty("messages").GetArrayLength());
        }

        [Fact]
        public async Task ServiceUnavailableThenSuccessTakesTwoAttempts()
        {
            handler.Then(() => Status(HttpStatusCode.ServiceUnavailable)).Then(() => CannedResponses.Completion("ok"));

            ChatResponse response = await Send(Endpoints.Cloudflare(), Endpoints.Request());

            Assert.Equal(2, response.Attempts);
            Assert.Equal(2, handler.Requests.Count);
            Assert.Equal(new[] { TimeSpan.FromSeconds(0.5) }, timer.Delays);
            Assert.Contains("Attempt 1 failed (HTTP 503 Service Unavailable); retrying in 0.5 s", observer.Verbose);
            Assert.Contains(observer.Verbose, v => v.StartsWith("HTTP 503 Service Unavailable after ", StringComparison.Ordinal) && v.EndsWith("(attempt 1 of 4)", StringComparison.Ordinal));
            Assert.Equal(2, observer.Verbose.Count(v => v.StartsWith("POST https://api.cloudflare.com/", StringComparison.Ordinal)));
            Assert.Contains(observer.Verbose, v => v.StartsWith("Finished in ", StringComparison.Ordinal) && v.EndsWith("after 2 attempts.", StringComparison.Ordinal));
            Assert.Empty(observer.Warnings);
        }

        [Fact]
        public async Task RetryAfterIsHonoured()
        {
            handler.Then(() => Status((HttpStatusCode)429, "{\"errors\":[{\"code\":3040,\"message\":\"Capacity temporarily exceeded\"}]}", "1"))
                .Then(() => CannedResponses.Completion("ok"));

            ChatResponse response = await Send(Endpoints.Cloudflare(), Endpoints.Request());

            Assert.Equal(new[] { TimeSpan.FromSeconds(1) }, timer.Delays);
            Assert.Equal(2, response.Attempts);
        }

        [Fact]
        public async Task RetryAfterAsAnHttpDateIsHonoured()
        {
            handler.Then(() => Status((HttpStatusCode)429, "", timer.UtcNow.AddSeconds(7).ToString("r")))
                .Then(() => CannedResponses.Completion("ok"));

            await Send(Endpoints.Cloudflare(), Endpoints.Request());

            Assert.Equal(new[] { TimeSpan.FromSeconds(7) }, timer.Delays);
        }

        [Fact]
        public async Task RetryAfterAboveTheCapFailsAtOnce()
        {
            handler.Then(() => Status((HttpStatusCode)429, "{\"errors\":[{\"code\":3021,\"message\":\"rate limiting\"}]}", "3600"));

            ChatException ex = await Assert.ThrowsAsync<ChatException>(() => Send(Endpoints.Cloudflare(), Endpoints.Request()));

            Assert.Equal(ErrorIds.ChatRateLimited, ex.ErrorId);
            Assert.Equal(ErrorKind.LimitsExceeded, ex.Kind);
            Assert.Equal(TimeSpan.FromHours(1), ex.RetryAfter);
            Assert.Contains("60 min 0 s", ex.Message);
            Assert.Single(handler.Requests);
            Assert.Empty(timer.Delays);
        }

        [Fact]
        public async Task DailyQuotaIsNotRetried()
        {
            handler.Then(() => Status((HttpStatusCode)429, "{\"errors\":[{\"message\":\"AiError: AiError: you have used up your daily free allocation of 10,000 neurons, please upgrade (abcdef01)\",\"code\":4006}]}"));

            ChatException ex = await Assert.ThrowsAsync<ChatException>(() => Send(Endpoints.Cloudflare(), Endpoints.Request()));

            Assert.Equal(ErrorIds.ChatQuotaExceeded, ex.ErrorId);
            Assert.Equal(ErrorKind.QuotaExceeded, ex.Kind);
            Assert.Equal("4006", ex.ProviderCode);
            Assert.Equal("abcdef01", ex.RequestId);
            Assert.Equal(1, ex.Attempts);
            Assert.Single(handler.Requests);
        }

        [Fact]
        public async Task ServerErrorsAreRetriedUntilTheAttemptsRunOut()
        {
            for (int i = 0; i < 4; i++) handler.Then(() => Status(HttpStatusCode.BadGateway, "<html><body><h1>502 Bad Gateway</h1></body></html>"));

            ChatException ex = await Assert.ThrowsAsync<ChatException>(() => Send(Endpoints.Cloudflare(), Endpoints.Request()));

            Assert.Equal(ErrorIds.ChatServerError, ex.ErrorId);
            Assert.Equal(ErrorKind.ResourceUnavailable, ex.Kind);
            Assert.Equal(4, ex.Attempts);
            Assert.Equal(502, ex.StatusCode);
            Assert.Equal(4, handler.Requests.Count);
            Assert.Equal(new[] { 0.5, 1.0, 2.0 }, timer.Delays.Select(d => d.TotalSeconds));
            Assert.Contains("502 Bad Gateway", ex.Message);
            Assert.Contains("Gave up after 4 attempts", ex.Message);
        }

        [Fact]
        public async Task MaxRetriesLimitsTheAttempts()
        {
            handler.Then(() => Status(HttpStatusCode.ServiceUnavailable)).Then(() => Status(HttpStatusCode.ServiceUnavailable));

            ChatException ex = await Assert.ThrowsAsync<ChatException>(() =>
                Send(Endpoints.Cloudflare(), Endpoints.Request(), new ChatCallOptions { MaxRetries = 1 }));

            Assert.Equal(2, ex.Attempts);
            Assert.Equal(2, handler.Requests.Count);
        }

        [Fact]
        public async Task OtherClientErrorsAreNotRetried()
        {
            handler.Then(() => Status(HttpStatusCode.BadRequest, "{\"errors\":[{\"code\":5006,\"message\":\"AiError: Bad input\"}]}"));

            ChatException ex = await Assert.ThrowsAsync<ChatException>(() => Send(Endpoints.Cloudflare(), Endpoints.Request()));

            Assert.Equal(ErrorIds.ChatBadRequest, ex.ErrorId);
            Assert.Equal("HTTP 400 from cloudflare-workers-ai: Bad input (code 5006).", ex.Message);
            Assert.Single(handler.Requests);
        }

        [Fact]
        public async Task ConnectionFailuresAreRetriedThenReported()
        {
            for (int i = 0; i < 4; i++) handler.Then((_, _) => throw new HttpRequestException("Connection refused (localhost:11434)"));

            ChatException ex = await Assert.ThrowsAsync<ChatException>(() => Send(Endpoints.Cloudflare(), Endpoints.Request()));

            Assert.Equal(ErrorIds.ChatConnectionFailed, ex.ErrorId);
            Assert.Equal(ErrorKind.ConnectionError, ex.Kind);
            Assert.Equal(4, ex.Attempts);
            Assert.Contains("Connection refused", ex.Message);
            Assert.Null(ex.StatusCode);
        }

        [Fact]
        public async Task ConnectionFailureThenSuccess()
        {
            handler.Then((_, _) => throw new HttpRequestException("reset")).Then(() => CannedResponses.Completion("ok"));

            ChatResponse response = await Send(Endpoints.Cloudflare(), Endpoints.Request());

            Assert.Equal(2, response.Attempts);
        }

        [Fact]
        public async Task StreamedGreetingArrivesPieceByPiece()
        {
            string stream = CannedResponses.GreetingStream();
            byte[] bytes = Encoding.UTF8.GetBytes(stream);
            var random = new Random(7);
            var segments = new List<byte[]>();
            for (int i = 0; i < bytes.Length;)
            {
                int n = Math.Min(bytes.Length - i, random.Next(1, 9));
                segments.Add(bytes.Skip(i).Take(n).ToArray());
                i += n;
            }
            handler.Then(() => CannedResponses.EventStream(new ScriptedStream(segments)));

            ChatResponse response = await Send(Endpoints.Cloudflare(), Endpoints.Request(stream: true));

            Assert.Equal(CannedResponses.Greeting, response.Content);
            Assert.Equal(CannedResponses.Greeting, observer.StreamedText);
            Assert.Equal(CannedResponses.SplitAfterSpaces(CannedResponses.Greeting), observer.Texts);
            Assert.Equal("stop", response.FinishReason);
            Assert.Equal("chatcmpl-test", response.Id);

            RecordedRequest sent = handler.Requests[0];
            Assert.Equal("text/event-stream", sent.Headers["Accept"]);
            JsonElement body = JsonDocument.Parse(sent.Body).RootElement;
            Assert.True(body.GetProperty("stream").GetBoolean());
            Assert.True(body.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        }

        [Fact]
        public async Task WorkersAiStreamQuirksEndToEnd()
        {
            string stream =
                ": OPENROUTER PROCESSING\r\n\r\n"
                + "data: {\"id\":\"id-1\",\"model\":\"@cf/google/gemma-4-26b-a4b-it-external\",\"p\":\"abcdefghij\",\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"Think.\"},\"finish_reason\":null}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":1,\"total_tokens\":10}}\r\n\r\n"
                + "data: {\"id\":\"id-1\",\"p\":\"ab\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"¡hola! 👋\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":4,\"total_tokens\":13}}\r\n\r\n"
                + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":4,\"total_tokens\":13}}\r\n\r\n"
                + "data: {\"response\":\"\",\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":5,\"total_tokens\":14}}\r\n\r\n"
                + "data: [DONE]\r\n\r\n";
            handler.Then(() => CannedResponses.EventStream(new ScriptedStream(Encoding.UTF8.GetBytes(stream).Select(b => new[] { b }))));

            ChatResponse response = await Send(Endpoints.Cloudflare(), Endpoints.Request(stream: true));

            Assert.Equal("¡hola! 👋", response.Content);
            Assert.Equal("Think.", response.Reasoning);
            Assert.Equal("@cf/google/gemma-4-26b-a4b-it-external", response.Model);
            Assert.Equal(14, response.Usage!.TotalTokens);
            Assert.Equal(5, response.Usage.CompletionTokens);
            Assert.Equal("¡hola! 👋", observer.StreamedText);
        }

        [Fact]
        public async Task StreamBrokenAfterTheFirstChunkIsNotRetried()
        {
            handler.Then(() => CannedResponses.EventStream(new ScriptedStream(CannedResponses.Event(CannedResponses.Chunk("Hello ")), StreamEnd.Throw)))
                .Then(() => CannedResponses.Completion("must not be asked"));

            ChatException ex = await Assert.ThrowsAsync<ChatException>(() => Send(Endpoints.Cloudflare(), Endpoints.Request(stream: true)));

            Assert.Equal(ErrorIds.ChatResponseInvalid, ex.ErrorId);
            Assert.StartsWith("The stream ended early", ex.Message);
            Assert.Equal(1, ex.Attempts);
            Assert.Single(handler.Requests);
            Assert.Equal("Hello ", observer.StreamedText);
        }

        [Fact]
        public async Task ServerErrorEventAfterTheFirstChunkIsNotRetried()
        {
            string stream = CannedResponses.Event(CannedResponses.Chunk("Hello ")) + CannedResponses.Event("{\"error\":{\"message\":\"Internal error\",\"code\":500}}");
            handler.Then(() => CannedResponses.EventStream(new ScriptedStream(stream)))
                .Then(() => CannedResponses.Completion("must not be asked"));

            ChatException ex = await Assert.ThrowsAsync<ChatException>(() => Send(Endpoints.Cloudflare(), Endpoints.Request(stream: true)));

            Assert.Equal(ErrorIds.ChatServerError, ex.ErrorId);
            Assert.Contains("Internal error", ex.Message);
            Assert.Single(handler.Requests);
        }

        [Fact]
        public async Task StreamWithoutDoneOrFinishReasonEndedEarly()
        {
            handler.Then(() => CannedResponses.EventStream(new ScriptedStream(CannedResponses.Event(CannedResponses.Chunk("Hello ")))));

            ChatException ex = await Assert.ThrowsAsync<ChatException>(() => Send(Endpoints.Cloudflare(), Endpoints.Request(stream: true)));

            Assert.Equal(ErrorIds.ChatResponseInvalid, ex.ErrorId);
            Assert.Equal(ErrorKind.InvalidResult, ex.Kind);
            Assert.StartsWith("The stream ended early", ex.Message);
            Assert.Single(handler.Requests);
        }

        [Fact]
        public async Task StreamCutInsideAChunkEndedEarly()
        {
            handler.Then(() => CannedResponses.EventStream(new ScriptedStream(CannedResponses.Event(CannedResponses.Chunk("Hello ")) + "data: {\"choices\":[{\"del")));

            ChatException ex = await Assert.ThrowsAsync<ChatException>(() => Send(Endpoints.Cloudflare(), Endpoints.Request(stream: true)));

            Assert.StartsWith("The stream ended early", ex.Message);
        }

        [Fact]
        public async Task StreamWithFinishReasonButNoDoneIsComplete()
        {
            handler.Then(() => CannedResponses.EventStream(new ScriptedStream(CannedResponses.Event(CannedResponses.Chunk("Hi", "stop")))));

            ChatResponse response = await Send(Endpoints.Cloudflare(), Endpoints.Request(stream: true));

            Assert.Equal("Hi", response.Content);
        }

        [Fact]
        public async Task ServerThatIgnoresStreamStillShowsTheText()
        {
            handler.Then(() => CannedResponses.Completion("all at once"));

            ChatResponse response = await Send(Endpoints.Cloudflare(), Endpoints.Request(stream: true));

            Assert.Equal("all at once", response.Content);
            Assert.Equal("all at once", observer.StreamedText);
        }

        [Fact]
        public async Task CloudflareSuccessEnvelopeIsRead()
        {
            handler.Then(() => CannedResponses.Json(HttpStatusCode.OK,
                "{\"result\":{\"response\":\"From the envelope\",\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3}},\"success\":true,\"errors\":[],\"messages\":[]}"));

            ChatResponse response = await Send(Endpoints.Cloudflare(), Endpoints.Request());

            Assert.Equal("From the envelope", response.Content);
            Assert.Equal(3, response.Usage!.TotalTokens);
            Assert.Equal("@cf/meta/llama-3.3-70b-instruct-fp8-fast", response.Model);
        }

        [Fact]
        public async Task UnreadableBodyIsResponseInvalid()
        {
            handler.Then(() => CannedResponses.Json(HttpStatusCode.OK, "<html>not json</html>"));

            ChatException ex = await Assert.ThrowsAsync<ChatException>(() => Send(Endpoints.Cloudflare(), Endpoints.Request()));

            Assert.Equal(ErrorIds.ChatResponseInvalid, ex.ErrorId);
            Assert.Contains("not JSON", ex.Message);
        }

        [Fact]
        public async Task LengthFinishReasonWarns()
        {
            handler.Then(() => CannedResponses.Completion("cut", "length"));

            await Send(Endpoints.Cloudflare(), Endpoints.Request());

            string warning = Assert.Single(observer.Warnings);
            Assert.Equal("The answer was cut at the token limit (finish_reason 'length'). Raise -MaxTokens, for example -MaxTokens 2048; many Workers AI models stop at 256 tokens unless told otherwise.", warning);
        }

        [Fact]
        public async Task SecretsNeverReachTheObserverOrTheException()
        {
            const string token = Endpoints.Token;
            handler.Then(() => Status(HttpStatusCode.Unauthorized,
                "{\"errors\":[{\"code\":10000,\"message\":\"Authentication error for Bearer " + token + "\"}],\"echo\":\"" + token + "\"}"));
            var headers = new[] { new KeyValuePair<string, string>("x-custom-key", "custom-" + token), new KeyValuePair<string, string>("X-Trace", "trace-1") };
            ChatRequest request = Endpoints.Request(prompt: "my token is " + token);

            ChatException ex = await Assert.ThrowsAsync<ChatException>(() => Send(Endpoints.Cloudflare(extraHeaders: headers), request));

            Assert.Equal(ErrorIds.ChatAuthenticationFailed, ex.ErrorId);
            Assert.Equal(ErrorKind.PermissionDenied, ex.Kind);
            Assert.DoesNotContain(token, ex.Message);
            Assert.DoesNotContain(token, ex.RecommendedAction);
            Assert.DoesNotContain(token, ex.ToString());
            Assert.All(observer.Everything, text => Assert.DoesNotContain(token, text));

            string headerDump = observer.Debug.First(d => d.StartsWith("Request headers:", StringComparison.Ordinal));
            Assert.Contains("Authorization: ***", headerDump);
            Assert.Contains("x-custom-key: ***", headerDump);
            Assert.Contains("X-Trace: trace-1", headerDump);
            Assert.Contains("User-Agent: CloudflareAI/", headerDump);
            string bodyDump = observer.Debug.First(d => d.StartsWith("Request body:", StringComparison.Ordinal));
            Assert.Contains("my token is ***", bodyDump);
            Assert.Equal("custom-" + token, handler.Requests[0].Headers["x-custom-key"]);
        }

        [Fact]
        public async Task SecretsInTheStreamedTextAreRedactedEvenWhenSplit()
        {
            string token = Endpoints.Token;
            string stream = CannedResponses.Event(CannedResponses.Chunk("token: " + token.Substring(0, 5))) + CannedResponses.Event(CannedResponses.Chunk(token.Substring(5) + " end", "stop"));
            handler.Then(() => CannedResponses.EventStream(new ScriptedStream(stream)));

            ChatResponse response = await Send(Endpoints.Cloudflare(), Endpoints.Request(stream: true));

            Assert.Equal("token: *** end", observer.StreamedText);
            Assert.Equal("token: *** end", response.Content);
        }

        [Fact]
        public async Task CancellationBeforeHeadersThrowsOperationCanceledQuickly()
        {
            using var cts = new CancellationTokenSource();
            handler.Then(async (_, ct) =>
            {
                cts.Cancel();
                await Task.Delay(Timeout.Infinite, ct);
                return CannedResponses.Completion("never");
            });

            // The fake clock never reaches the 5-minute timeout, so only the caller's cancellation can end this call.
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                Send(Endpoints.Cloudflare(), Endpoints.Request(), new ChatCallOptions { Timeout = TimeSpan.FromMinutes(5) }, cts.Token));

            Assert.Equal(0, timer.TimeoutsFired);
            Assert.Single(handler.Requests);
        }

        [Fact]
        public async Task CancellationMidStreamThrowsOperationCanceled()
        {
            using var cts = new CancellationTokenSource();
            var observerThatCancels = new CancellingObserver(cts);
            handler.Then(() => CannedResponses.EventStream(new ScriptedStream(CannedResponses.Event(CannedResponses.Chunk("Hello ")), StreamEnd.HangUntilCancelled)));

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                Client().SendAsync(Endpoints.Cloudflare(), Endpoints.Request(stream: true), new ChatCallOptions(), observerThatCancels, cts.Token));
        }

        [Fact]
        public async Task CancellationDuringARetryWaitThrowsOperationCanceled()
        {
            using var cts = new CancellationTokenSource();
            handler.Then((_, _) =>
            {
                cts.Cancel();
                return Task.FromResult(Status(HttpStatusCode.ServiceUnavailable));
            });

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                Send(Endpoints.Cloudflare(), Endpoints.Request(), token: cts.Token));
        }

        [Fact]
        public async Task NoHeadersWithinTheTimeoutIsChatTimeoutAndNotRetried()
        {
            bool cancelledEarly = true;
            handler.Then(async (_, ct) =>
            {
                // Just short of the limit the request still waits; at the limit it is cancelled.
                timer.Advance(TimeSpan.FromMilliseconds(199));
                cancelledEarly = ct.IsCancellationRequested;
                timer.Advance(TimeSpan.FromMilliseconds(1));
                await Task.Delay(Timeout.Infinite, ct);
                return CannedResponses.Completion("never");
            });

            ChatException ex = await Assert.ThrowsAsync<ChatException>(() =>
                Send(Endpoints.Cloudflare(), Endpoints.Request(), new ChatCallOptions { Timeout = TimeSpan.FromMilliseconds(200) }));

            Assert.False(cancelledEarly, "the attempt was cancelled before its timeout ran out");
            Assert.Equal(ErrorIds.ChatTimeout, ex.ErrorId);
            Assert.Equal(ErrorKind.OperationTimeout, ex.Kind);
            Assert.Equal("No answer within 0.2 s from cloudflare-workers-ai.", ex.Message);
            Assert.Contains("-TimeoutSec", ex.RecommendedAction);
            Assert.Equal(1, ex.Attempts);
            Assert.Equal(1, timer.TimeoutsFired);
            Assert.Empty(timer.Delays);
            Assert.Single(handler.Requests);
        }

        [Fact]
        public async Task StreamThatGoesQuietTimesOut()
        {
            TimeSpan? quietFor = null;
            var body = new ScriptedStream(CannedResponses.Event(CannedResponses.Chunk("Hello ")), StreamEnd.HangUntilCancelled, onHang: () =>
            {
                quietFor = timer.NextTimeoutIn;
                timer.AdvanceToNextTimeout();
            });
            handler.Then(() => CannedResponses.EventStream(body));

            ChatException ex = await Assert.ThrowsAsync<ChatException>(() =>
                Send(Endpoints.Cloudflare(), Endpoints.Request(stream: true), new ChatCallOptions { Timeout = TimeSpan.FromMilliseconds(300) }));

            Assert.Equal(ErrorIds.ChatTimeout, ex.ErrorId);
            Assert.StartsWith("No answer within 0.3 s", ex.Message);
            Assert.Equal("Hello ", observer.StreamedText);
            // The limit counts from the last read, not from the start of the attempt.
            Assert.Equal(TimeSpan.FromMilliseconds(300), quietFor);
            Assert.Equal(1, timer.TimeoutsFired);
        }

        [Fact]
        public async Task ReadThatIgnoresItsTokenIsEndedByDisposingTheResponse()
        {
            var body = new ScriptedStream(CannedResponses.Event(CannedResponses.Chunk("Hello ")), StreamEnd.HangIgnoringTokenUntilDisposed,
                onHang: () => timer.AdvanceToNextTimeout());
            handler.Then(() => CannedResponses.EventStream(body));

            // The read waits only for the body to be disposed; the call ends only because the timeout disposes it.
            ChatException ex = await Assert.ThrowsAsync<ChatException>(() =>
                Send(Endpoints.Cloudflare(), Endpoints.Request(stream: true), new ChatCallOptions { Timeout = TimeSpan.FromMilliseconds(300) }));

            Assert.Equal(ErrorIds.ChatTimeout, ex.ErrorId);
            Assert.True(body.IsDisposed);
            Assert.Equal(1, timer.TimeoutsFired);
        }

        [Fact]
        public async Task StreamIdleTimeoutRestartsAfterEveryRead()
        {
            // Eight chunks 200 ms apart on the fake clock: each wait is well under the 1 s limit although the whole stream takes longer.
            var stream = new SlowStream(Enumerable.Range(0, 8).Select(i => CannedResponses.Event(CannedResponses.Chunk("x", i == 7 ? "stop" : null))),
                TimeSpan.FromMilliseconds(200), timer);
            handler.Then(() => CannedResponses.EventStream(stream));
            DateTimeOffset start = timer.UtcNow;

            ChatResponse response = await Send(Endpoints.Cloudflare(), Endpoints.Request(stream: true), new ChatCallOptions { Timeout = TimeSpan.FromSeconds(1) });

            Assert.Equal("xxxxxxxx", response.Content);
            Assert.True(timer.UtcNow - start > TimeSpan.FromSeconds(1), "the stream should outlast one timeout period");
            Assert.Equal(0, timer.TimeoutsFired);
            // One start before sending, one when the body begins, and one after each of the eight reads that returned a chunk.
            Assert.Equal(2 + 8, timer.TimeoutStarts);
        }

        [Fact]
        public async Task RedirectIsBadRequestNamingTheHost()
        {
            handler.Then(() =>
            {
                var response = new HttpResponseMessage(HttpStatusCode.Found);
                response.Headers.Location = new Uri("https://evil.example.com/v1/chat/completions");
                return response;
            });

            ChatException ex = await Assert.ThrowsAsync<ChatException>(() => Send(Endpoints.Cloudflare(), Endpoints.Request()));

            Assert.Equal(ErrorIds.ChatBadRequest, ex.ErrorId);
            Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
            Assert.Contains("evil.example.com", ex.Message);
            Assert.Contains("automatic redirects are off", ex.Message);
            Assert.Single(handler.Requests);
        }

        [Fact]
        public async Task RelativeRedirectNamesTheEndpointHost()
        {
            handler.Then(() =>
            {
                var response = new HttpResponseMessage(HttpStatusCode.PermanentRedirect);
                response.Headers.Location = new Uri("/v2/chat/completions", UriKind.Relative);
                return response;
            });

            ChatException ex = await Assert.ThrowsAsync<ChatException>(() => Send(Endpoints.Cloudflare(), Endpoints.Request()));

            Assert.Equal(ErrorIds.ChatBadRequest, ex.ErrorId);
            Assert.Contains("redirects to api.cloudflare.com", ex.Message);
        }

        [Fact]
        public async Task CallerHeadersOverrideUserAgentAndAccept()
        {
            handler.Then(() => CannedResponses.Completion("ok"));
            var headers = new[]
            {
                new KeyValuePair<string, string>("User-Agent", "MyScript/1.0"),
                new KeyValuePair<string, string>("Accept", "application/json; q=1"),
                new KeyValuePair<string, string>("Content-Type", "application/json; charset=utf-8"),
                new KeyValuePair<string, string>("cf-aig-authorization", "Bearer gw-token"),
            };

            await Send(Endpoints.Cloudflare(extraHeaders: headers), Endpoints.Request());

            RecordedRequest sent = handler.Requests[0];
            Assert.Equal("MyScript/1.0", sent.Headers["User-Agent"]);
            Assert.Equal("application/json; q=1", sent.Headers["Accept"]);
            Assert.Equal("application/json; charset=utf-8", sent.Headers["Content-Type"]);
            Assert.Equal("Bearer gw-token", sent.Headers["cf-aig-authorization"]);
            Assert.Contains("cf-aig-authorization: ***", observer.Debug.First());
        }

        [Fact]
        public async Task ContentJsonCannotHoldIsRefusedBeforeSending()
        {
            ChatRequest request = Endpoints.Request();
            request.Messages = new[] { new ChatMessage("user", new object?[] { double.PositiveInfinity }) };

            ChatException ex = await Assert.ThrowsAsync<ChatException>(() => Send(Endpoints.Cloudflare(), request));

            Assert.Equal(ErrorIds.ChatBadRequest, ex.ErrorId);
            Assert.Empty(handler.Requests);
        }

        private sealed class CancellingObserver : IChatObserver
        {
            private readonly CancellationTokenSource source;

            public CancellingObserver(CancellationTokenSource source) => this.source = source;

            public void OnText(string text) => source.Cancel();

            public void OnVerbose(string message)
            {
            }

            public void OnDebug(string message)
            {
            }

            public void OnWarning(string message)
            {
            }
        }

        /// <summary>Returns one segment per read, each after a pause, honouring the token.</summary>
        /// <summary>A body whose every chunk arrives after a pause on the fake clock.</summary>
        private sealed class SlowStream : ReadOnlyTestStream
        {
            private readonly Queue<byte[]> segments;
            private readonly TimeSpan pause;
            private readonly FakeTimer clock;

            public SlowStream(IEnumerable<string> segments, TimeSpan pause, FakeTimer clock)
            {
                this.segments = new Queue<byte[]>(segments.Select(Encoding.UTF8.GetBytes));
                this.pause = pause;
                this.clock = clock;
            }

            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            {
                if (segments.Count == 0) return Task.FromResult(0);
                clock.Advance(pause);
                cancellationToken.ThrowIfCancellationRequested();
                byte[] segment = segments.Dequeue();
                Array.Copy(segment, 0, buffer, offset, segment.Length);
                return Task.FromResult(segment.Length);
            }
        }
    }
}
