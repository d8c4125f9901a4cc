using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace CloudflareAI.Tests.Chat
{
    public class PostAttemptsTests
    {
        private readonly FakeHandler handler = new FakeHandler();
        private readonly FakeTimer timer = new FakeTimer();
        private readonly RecordingScheduler scheduler = new RecordingScheduler();

        private PostAttempts Loop()
        {
            ChatEndpoint endpoint = Endpoints.Cloudflare();
            var redactor = new SecretRedactor(endpoint.Secrets);
            var observer = new RedactingObserver(new RecordingObserver(), redactor);
            var http = new HttpClient(handler);
            return new PostAttempts(http, timer, new Uri(endpoint.BaseUrl, "embeddings"), endpoint.Headers, stream: false,
                new ChatCallOptions { Scheduler = scheduler }, ChatCall.ForEndpoint(endpoint, redactor, null), redactor, observer, () => 0.5, CancellationToken.None);
        }

        private static Task<string> ReadText(HttpResponseMessage response, Action restart, CancellationToken token) => response.Content.ReadAsStringAsync();

        [Fact]
        public async Task TheTwoStepReadParsesAfterThePlaceIsGivenBack()
        {
            handler.Then(() => CannedResponses.Json(HttpStatusCode.OK, "{\"n\":1}"));
            bool placeFreeWhileParsing = false;

            AttemptResult<int> result = await Loop().RunAsync(Array.Empty<byte>(), ReadText, text =>
            {
                placeFreeWhileParsing = scheduler.InFlight == 0;
                return text.Length;
            });

            Assert.True(placeFreeWhileParsing);
            Assert.Equal(7, result.Value);
            Assert.Equal(1, result.Attempts);
            Assert.Equal(new[] { AttemptSignal.Succeeded }, scheduler.Signals);
        }

        [Fact]
        public async Task AParseFailureIsTheAttemptsChatResponseInvalidAndNotRetried()
        {
            handler.Then(() => CannedResponses.Json(HttpStatusCode.OK, "{}"));

            var e = await Assert.ThrowsAsync<ChatException>(() => Loop().RunAsync<string, int>(Array.Empty<byte>(), ReadText,
                _ => throw new ResponseFormatException("the answer has 0 embedding(s) for 2 input(s)")));

            Assert.Equal(ErrorIds.ChatResponseInvalid, e.ErrorId);
            Assert.Contains("0 embedding(s) for 2 input(s)", e.Message);
            Assert.Equal(200, e.StatusCode);
            Assert.Single(handler.Requests);
        }

        [Fact]
        public async Task AnErrorObjectFoundByTheParseIsTheServersError()
        {
            handler.Then(() => CannedResponses.Json(HttpStatusCode.OK, "{}"));

            var e = await Assert.ThrowsAsync<ChatException>(() => Loop().RunAsync<string, int>(Array.Empty<byte>(), ReadText,
                _ => throw new ErrorInResponseException(ApiErrorBody.Parse("{\"error\":{\"message\":\"Incorrect API key\",\"code\":\"invalid_api_key\"}}"))));

            Assert.Equal(ErrorIds.ChatAuthenticationFailed, e.ErrorId);
        }

        [Fact]
        public async Task AnAttemptAfterA429ThatDidNotSayWhenTellsTheSchedulerSo()
        {
            const string perMinute = "{\"errors\":[{\"message\":\"AiError: AiError: rate limiting: inference request per min rate reached (8700d6e7)\",\"code\":3021}],\"success\":false}";
            handler.Then(() => CannedResponses.Json((HttpStatusCode)429, perMinute));
            handler.Then(() =>
            {
                HttpResponseMessage told = CannedResponses.Json((HttpStatusCode)429, perMinute);
                told.Headers.TryAddWithoutValidation("Retry-After", "0");
                return told;
            });
            handler.Then(() => CannedResponses.Json(HttpStatusCode.ServiceUnavailable, "{}"));
            handler.Then(() => CannedResponses.Json(HttpStatusCode.OK, "{\"n\":1}"));

            AttemptResult<int> result = await Loop().RunAsync(Array.Empty<byte>(), ReadText, text => text.Length);

            Assert.Equal(4, result.Attempts);
            // The second attempt follows a 429 without Retry-After; the third one that said when; the fourth a 503.
            Assert.Equal(new[] { false, true, false, false }, scheduler.AfterUntoldRefusal);
            Assert.Equal(new[] { AttemptSignal.Throttled, AttemptSignal.Throttled, AttemptSignal.Failed, AttemptSignal.Succeeded }, scheduler.Signals);
        }

        private sealed class RecordingScheduler : IAttemptScheduler
        {
            private int inFlight;

            public List<AttemptSignal> Signals { get; } = new List<AttemptSignal>();

            public int InFlight => Volatile.Read(ref inFlight);

            public long Join() => 0;

            public List<bool> AfterUntoldRefusal { get; } = new List<bool>();

            public Task<IAttemptLease> EnterAsync(long call, int attempt, bool afterUntoldRefusal, CancellationToken cancellationToken)
            {
                lock (AfterUntoldRefusal) AfterUntoldRefusal.Add(afterUntoldRefusal);
                Interlocked.Increment(ref inFlight);
                return Task.FromResult<IAttemptLease>(new Lease(this));
            }

            private sealed class Lease : IAttemptLease
            {
                private readonly RecordingScheduler owner;

                public Lease(RecordingScheduler owner) => this.owner = owner;

                public void End(AttemptSignal signal)
                {
                    lock (owner.Signals) owner.Signals.Add(signal);
                    Interlocked.Decrement(ref owner.inFlight);
                }
            }
        }
    }
}
