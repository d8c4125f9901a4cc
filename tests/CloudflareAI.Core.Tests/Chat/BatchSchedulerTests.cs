using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace CloudflareAI.Tests.Chat
{
    public class BatchSchedulerTests
    {
        // Only a guard against a hang when the code under test is wrong; no assertion depends on how long anything takes.
        private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

        private static HttpResponseMessage Unavailable(string retryAfter)
        {
            HttpResponseMessage response = CannedResponses.Json(HttpStatusCode.ServiceUnavailable, "{\"errors\":[{\"code\":7009,\"message\":\"Upstream service unavailable\"}]}");
            response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
            return response;
        }

        private static HttpResponseMessage PerMinute() =>
            CannedResponses.Json((HttpStatusCode)429, "{\"errors\":[{\"message\":\"AiError: AiError: rate limiting: inference request per min rate reached (8700d6e7)\",\"code\":3021}],\"success\":false}");

        private static HttpResponseMessage Quota() =>
            CannedResponses.Json((HttpStatusCode)429, "{\"errors\":[{\"message\":\"AiError: AiError: you have used up your daily free allocation of 10,000 neurons (1a2b3c4d)\",\"code\":4006}],\"success\":false}");

        [Fact]
        public async Task GivesThePlaceBackWhileARequestWaitsForItsRetry()
        {
            // One place: A fails and waits 5 s to retry; B must take the place meanwhile and finish before the clock moves.
            var timer = new FakeTimer(delaysWaitForAdvance: true);
            var handler = new FakeHandler().Then(() => Unavailable("5")).Then(() => CannedResponses.Completion("B")).Then(() => CannedResponses.Completion("A"));
            var client = new ChatClient(handler, timer, () => 0.5);
            var batch = new BatchScheduler(1, null, timer);
            var options = new ChatCallOptions { Scheduler = batch, ReportVerbose = false, ReportDebug = false };

            Task<ChatResponse> a = client.SendAsync(Endpoints.Cloudflare(), Endpoints.Request(prompt: "A"), options, new RecordingObserver(), default);
            Assert.True(SpinWait.SpinUntil(() => timer.Waiting == 1, HangGuard), "A waits for its retry");
            Assert.Equal(0, batch.InFlight);
            Assert.True(batch.CanAdmit(0, 0), "a request waiting for its retry delay holds no place");
            Task<ChatResponse> b = client.SendAsync(Endpoints.Cloudflare(), Endpoints.Request(prompt: "B"), options, new RecordingObserver(), default);

            Assert.Equal("B", (await b.WaitAsync(HangGuard)).Content);
            Assert.False(a.IsCompleted);
            Assert.Equal(new[] { TimeSpan.FromSeconds(5) }, timer.Delays);

            timer.Advance(TimeSpan.FromSeconds(5));
            ChatResponse answerA = await a.WaitAsync(HangGuard);
            Assert.Equal("A", answerA.Content);
            Assert.Equal(2, answerA.Attempts);
            Assert.Equal(new[] { "A", "B", "A" }, handler.Requests.Select(r => r.Body.Contains("\"A\"") ? "A" : "B"));
            Assert.Equal(0, batch.InFlight);
        }

        [Fact]
        public async Task KeepsAtMostThrottleLimitAttemptsInFlightAndServesWaitersInOrder()
        {
            var batch = new BatchScheduler(2, null);
            IAttemptLease first = await batch.EnterAsync(default);
            IAttemptLease second = await batch.EnterAsync(default);
            Task<IAttemptLease> third = batch.EnterAsync(default);
            Task<IAttemptLease> fourth = batch.EnterAsync(default);
            Assert.False(third.IsCompleted);
            Assert.False(fourth.IsCompleted);
            Assert.False(batch.CanAdmit(0, 0));

            first.End(AttemptSignal.Failed);
            first.End(AttemptSignal.Failed); // a second End gives nothing back twice
            IAttemptLease thirdLease = await third.WaitAsync(HangGuard);
            Assert.False(fourth.IsCompleted);
            Assert.Equal(2, batch.InFlight);

            second.End(AttemptSignal.Failed);
            IAttemptLease fourthLease = await fourth.WaitAsync(HangGuard);
            thirdLease.End(AttemptSignal.Failed);
            fourthLease.End(AttemptSignal.Failed);
            Assert.Equal(0, batch.InFlight);
        }

        [Fact]
        public async Task AmongWaitersTheMostTriedGoesFirstThenTheEarliestCall()
        {
            var batch = new BatchScheduler(1, null);
            long early = batch.Join();
            long middle = batch.Join();
            long late = batch.Join();
            IAttemptLease held = await batch.EnterAsync(batch.Join(), 1, false, default);
            // Queued in this order: the middle call's first attempt, the late call's third, the early call's first.
            Task<IAttemptLease> middleFirst = batch.EnterAsync(middle, 1, false, default);
            Task<IAttemptLease> lateThird = batch.EnterAsync(late, 3, false, default);
            Task<IAttemptLease> earlyFirst = batch.EnterAsync(early, 1, false, default);

            held.End(AttemptSignal.Failed);
            IAttemptLease one = await lateThird.WaitAsync(HangGuard);
            Assert.False(middleFirst.IsCompleted);
            Assert.False(earlyFirst.IsCompleted);

            one.End(AttemptSignal.Failed);
            IAttemptLease two = await earlyFirst.WaitAsync(HangGuard);
            Assert.False(middleFirst.IsCompleted);

            two.End(AttemptSignal.Failed);
            (await middleFirst.WaitAsync(HangGuard)).End(AttemptSignal.Failed);
            Assert.Equal(0, batch.InFlight);
        }

        [Fact]
        public async Task AnAttemptRefusedWithoutAWhenWaitsForAnAnswerNotForARaise()
        {
            var batch = new BatchScheduler(4, null);
            IAttemptLease first = await batch.EnterAsync(default);
            IAttemptLease second = await batch.EnterAsync(default);
            Assert.True(batch.CanAdmit(0, 0));

            // Two places are free, but the server's limit has no room for a third request until one of the two comes back.
            Task<IAttemptLease> refused = batch.EnterAsync(batch.Join(), 2, true, default);
            Assert.False(refused.IsCompleted);
            Assert.False(batch.CanAdmit(0, 0)); // no new call starts while it waits
            Task<IAttemptLease> other = batch.EnterAsync(batch.Join(), 2, false, default);
            IAttemptLease otherLease = await other.WaitAsync(HangGuard); // a 503's retry takes a free place as before

            // An answer that failed frees no place at the server; one that came back does, for that one attempt.
            first.End(AttemptSignal.Failed);
            Assert.False(refused.IsCompleted);
            second.End(AttemptSignal.Succeeded);
            IAttemptLease refusedLease = await refused.WaitAsync(HangGuard);
            Assert.Equal(2, batch.InFlight);

            // An answer that nobody waited for leaves its place for the next refused attempt: one, not two.
            refusedLease.End(AttemptSignal.Succeeded);
            Task<IAttemptLease> later = batch.EnterAsync(batch.Join(), 2, true, default);
            Assert.True(later.IsCompleted);
            Task<IAttemptLease> latest = batch.EnterAsync(batch.Join(), 2, true, default);
            Assert.False(latest.IsCompleted);

            otherLease.End(AttemptSignal.Succeeded);
            (await latest.WaitAsync(HangGuard)).End(AttemptSignal.Succeeded);
            (await later).End(AttemptSignal.Succeeded);
            Assert.True(batch.CanAdmit(0, 0));
            Assert.Equal(0, batch.InFlight);
        }

        [Fact]
        public async Task AnAttemptRefusedWithoutAWhenGoesAtOnceWhenNothingIsInFlightOrUnderAPace()
        {
            var adaptive = new BatchScheduler(4, null);
            Task<IAttemptLease> alone = adaptive.EnterAsync(adaptive.Join(), 2, true, default);
            Assert.True(alone.IsCompleted);

            // Waiting, it goes when the last attempt in flight ends, however that one ended.
            Task<IAttemptLease> behind = adaptive.EnterAsync(adaptive.Join(), 3, true, default);
            Assert.False(behind.IsCompleted);
            (await alone).End(AttemptSignal.Throttled);
            (await behind.WaitAsync(HangGuard)).End(AttemptSignal.Succeeded);

            var paced = new BatchScheduler(4, 600, new FakeTimer());
            IAttemptLease held = await paced.EnterAsync(default);
            Assert.True(paced.EnterAsync(paced.Join(), 2, true, default).IsCompleted);
            held.End(AttemptSignal.Succeeded);
        }

        [Fact]
        public async Task AWaiterCancelledBeforeItsTurnTakesNoPlace()
        {
            var batch = new BatchScheduler(1, null);
            IAttemptLease held = await batch.EnterAsync(default);
            using var stop = new CancellationTokenSource();
            Task<IAttemptLease> waiting = batch.EnterAsync(stop.Token);
            stop.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(HangGuard));

            held.End(AttemptSignal.Succeeded);
            Assert.Equal(0, batch.InFlight);
            Assert.True(batch.EnterAsync(default).IsCompleted);

            // The same for one waiting for an answer: cancelled, it no longer holds new calls back.
            var other = new BatchScheduler(2, null);
            IAttemptLease busy = await other.EnterAsync(default);
            using var stopAgain = new CancellationTokenSource();
            Task<IAttemptLease> refused = other.EnterAsync(other.Join(), 2, true, stopAgain.Token);
            Assert.False(other.CanAdmit(0, 0));
            stopAgain.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => refused.WaitAsync(HangGuard));
            Assert.True(other.CanAdmit(0, 0));
            busy.End(AttemptSignal.Succeeded);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(8)]
        [InlineData(32)]
        public void HoldsAtMostFourTimesThrottleLimitFinishedAnswersAndStartsAtMostEight(int throttleLimit)
        {
            var batch = new BatchScheduler(throttleLimit, null);
            Assert.True(batch.CanAdmit(4 * throttleLimit - 1, 4 * throttleLimit));
            Assert.False(batch.CanAdmit(4 * throttleLimit, 4 * throttleLimit + 1));
            Assert.False(batch.CanAdmit(4 * throttleLimit + 1, 4 * throttleLimit + 2));
            // Calls waiting for their retry delay hold no place, but only so many may be started and not yet written.
            Assert.True(batch.CanAdmit(0, 8 * throttleLimit - 1));
            Assert.False(batch.CanAdmit(0, 8 * throttleLimit));
        }

        [Theory]
        [InlineData(1, 1)]
        [InlineData(20, 1)]
        [InlineData(60, 1)]
        [InlineData(61, 2)]
        [InlineData(600, 10)]
        [InlineData(601, 11)]
        public void BurstsUpToTheRateRoundedUpAtLeastOne(int requestsPerMinute, int burst)
        {
            Assert.Equal(burst, new TokenBucket(requestsPerMinute, new FakeTimer(delaysWaitForAdvance: true)).Burst);
        }

        [Fact]
        public async Task StartsAtThePaceAndBurstsOnlyAfterAQuietSpellOnTheInjectedClock()
        {
            // 120 per minute: one at once, then one every 500 ms / 0.97 (the pace runs 3% under N, rounded up to whole
            // milliseconds: 516 and 1031 ms); a quiet spell refills the bucket to its size (2), never beyond.
            var timer = new FakeTimer(delaysWaitForAdvance: true);
            var bucket = new TokenBucket(120, timer);
            Assert.True(bucket.TakeAsync(default).IsCompleted);
            Task second = bucket.TakeAsync(default);
            Task third = bucket.TakeAsync(default);
            Assert.Equal(new[] { TimeSpan.FromMilliseconds(516), TimeSpan.FromMilliseconds(1031) }, timer.Delays);

            timer.Advance(TimeSpan.FromMilliseconds(515));
            Assert.False(second.IsCompleted);
            timer.Advance(TimeSpan.FromMilliseconds(1));
            await second.WaitAsync(HangGuard);
            Assert.False(third.IsCompleted);
            timer.Advance(TimeSpan.FromMilliseconds(515));
            await third.WaitAsync(HangGuard);

            timer.Advance(TimeSpan.FromMinutes(10));
            Assert.True(bucket.TakeAsync(default).IsCompleted);
            Assert.True(bucket.TakeAsync(default).IsCompleted);
            Assert.False(bucket.TakeAsync(default).IsCompleted);
        }

        [Fact]
        public async Task CountsRetriesAgainstThePace()
        {
            // 60 per minute (paced 3% under: 1031 ms apart), one at a time: the retry after Retry-After 0 still waits for its token.
            var timer = new FakeTimer();
            var handler = new FakeHandler().Then(() => Unavailable("0")).Then(() => CannedResponses.Completion("ok")).Then(() => CannedResponses.Completion("ok"));
            var client = new ChatClient(handler, timer, () => 0.5);
            var batch = new BatchScheduler(4, 60, timer);
            var options = new ChatCallOptions { Scheduler = batch, ReportVerbose = false, ReportDebug = false };
            DateTimeOffset start = timer.UtcNow;

            ChatResponse first = await client.SendAsync(Endpoints.Cloudflare(), Endpoints.Request(), options, new RecordingObserver(), default);
            Assert.Equal(2, first.Attempts);
            Assert.Equal(new[] { TimeSpan.Zero, TimeSpan.FromMilliseconds(1031) }, timer.Delays);

            await client.SendAsync(Endpoints.Cloudflare(), Endpoints.Request(), options, new RecordingObserver(), default);
            Assert.Equal(TimeSpan.FromMilliseconds(2062), timer.UtcNow - start);
            Assert.Equal(3, handler.Requests.Count);
        }

        [Fact]
        public async Task HalvesOnA429OncePerCrowdAndRaisesByOnePerSuccess()
        {
            var lines = new ConcurrentQueue<string>();
            var batch = new BatchScheduler(8, null, report: lines.Enqueue);
            var leases = new List<IAttemptLease>();
            for (int i = 0; i < 8; i++) leases.Add(await batch.EnterAsync(default));

            // Three refusals from the same eight in flight: one halving, not three.
            leases[0].End(AttemptSignal.Throttled);
            leases[1].End(AttemptSignal.Throttled);
            leases[2].End(AttemptSignal.Throttled);
            Assert.Equal(4, batch.CurrentLimit);
            Assert.False(batch.CanAdmit(0, 0)); // five still in flight, above the new limit

            for (int i = 3; i < 8; i++) leases[i].End(AttemptSignal.Failed);
            Assert.Equal(4, batch.CurrentLimit);

            // An attempt that started after the halving is news: halve again, then again, never below 1.
            (await batch.EnterAsync(default)).End(AttemptSignal.Throttled);
            Assert.Equal(2, batch.CurrentLimit);
            (await batch.EnterAsync(default)).End(AttemptSignal.Throttled);
            (await batch.EnterAsync(default)).End(AttemptSignal.Throttled);
            Assert.Equal(1, batch.CurrentLimit);

            for (int i = 0; i < 10; i++) (await batch.EnterAsync(default)).End(AttemptSignal.Succeeded);
            Assert.Equal(8, batch.CurrentLimit);

            Assert.Equal(new[]
            {
                "HTTP 429: lowered the batch's concurrency to 4 of 8.",
                "HTTP 429: lowered the batch's concurrency to 2 of 8.",
                "HTTP 429: lowered the batch's concurrency to 1 of 8.",
                "Raised the batch's concurrency to 2 of 8.",
                "Raised the batch's concurrency to 3 of 8.",
                "Raised the batch's concurrency to 4 of 8.",
                "Raised the batch's concurrency to 5 of 8.",
                "Raised the batch's concurrency to 6 of 8.",
                "Raised the batch's concurrency to 7 of 8.",
                "Raised the batch's concurrency to 8 of 8.",
            }, lines.ToArray());
        }

        [Fact]
        public async Task KeepsItsConcurrencyUnderAPaceAndOnOtherFailures()
        {
            var paced = new BatchScheduler(8, 600, new FakeTimer(delaysWaitForAdvance: true));
            (await paced.EnterAsync(default)).End(AttemptSignal.Throttled);
            Assert.Equal(8, paced.CurrentLimit);

            var adaptive = new BatchScheduler(8, null);
            (await adaptive.EnterAsync(default)).End(AttemptSignal.Failed);
            Assert.Equal(8, adaptive.CurrentLimit);
        }

        [Fact]
        public async Task TellsTheSchedulerWhichAttemptsWereThrottled()
        {
            // A per-minute 429 lowers the concurrency and is retried; a quota 429 is neither.
            var timer = new FakeTimer();
            var handler = new FakeHandler().Then(PerMinute).Then(() => CannedResponses.Completion("ok")).Then(Quota);
            var client = new ChatClient(handler, timer, () => 0.5);
            var lines = new ConcurrentQueue<string>();
            var batch = new BatchScheduler(4, null, timer, lines.Enqueue);
            var options = new ChatCallOptions { Scheduler = batch, ReportVerbose = false, ReportDebug = false };

            ChatResponse ok = await client.SendAsync(Endpoints.Cloudflare(), Endpoints.Request(), options, new RecordingObserver(), default);
            Assert.Equal(2, ok.Attempts);
            Assert.Equal(new[] { "HTTP 429: lowered the batch's concurrency to 2 of 4.", "Raised the batch's concurrency to 3 of 4." }, lines.ToArray());

            ChatException quota = await Assert.ThrowsAsync<ChatException>(() => client.SendAsync(Endpoints.Cloudflare(), Endpoints.Request(), options, new RecordingObserver(), default));
            Assert.Equal(ErrorIds.ChatQuotaExceeded, quota.ErrorId);
            Assert.Equal(3, batch.CurrentLimit);
            Assert.Equal(0, batch.InFlight);
        }

        [Fact]
        public async Task GivesThePlaceBackWhenTheCallIsCancelled()
        {
            var timer = new FakeTimer(delaysWaitForAdvance: true);
            var handler = new FakeHandler().Then(async (_, ct) =>
            {
                await Task.Delay(Timeout.Infinite, ct);
                return CannedResponses.Completion("never");
            });
            var client = new ChatClient(handler, timer, () => 0.5);
            var batch = new BatchScheduler(1, null, timer);
            var options = new ChatCallOptions { Scheduler = batch, ReportVerbose = false, ReportDebug = false };
            using var stop = new CancellationTokenSource();

            Task<ChatResponse> running = client.SendAsync(Endpoints.Cloudflare(), Endpoints.Request(), options, new RecordingObserver(), stop.Token);
            Task<ChatResponse> queued = client.SendAsync(Endpoints.Cloudflare(), Endpoints.Request(), options, new RecordingObserver(), stop.Token);
            Assert.Equal(1, batch.InFlight);
            stop.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running.WaitAsync(HangGuard));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued.WaitAsync(HangGuard));
            Assert.Equal(0, batch.InFlight);
            Assert.Single(handler.Requests);
        }
    }
}
