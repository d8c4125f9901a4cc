using System;
using Xunit;

namespace CloudflareAI.Tests.Chat.Retry
{
    public class RetryPolicyTests
    {
        private static RetryPolicy Policy(int maxRetries = 3, double random = 0.5) => new RetryPolicy(maxRetries, () => random);

        [Theory]
        [InlineData(408, true)]
        [InlineData(429, true)]
        [InlineData(500, true)]
        [InlineData(502, true)]
        [InlineData(503, true)]
        [InlineData(504, true)]
        [InlineData(400, false)]
        [InlineData(401, false)]
        [InlineData(403, false)]
        [InlineData(404, false)]
        [InlineData(409, false)]
        [InlineData(413, false)]
        [InlineData(422, false)]
        [InlineData(501, false)]
        [InlineData(505, false)]
        public void EachStatus(int status, bool retried)
        {
            Assert.Equal(retried, Policy().AfterStatus(1, status, isQuota: false, retryAfter: null).Retry);
        }

        [Fact]
        public void QuotaIsNeverRetried()
        {
            RetryDecision decision = Policy().AfterStatus(1, 429, isQuota: true, retryAfter: TimeSpan.FromSeconds(1));

            Assert.False(decision.Retry);
            Assert.False(decision.RetryAfterTooLong);
        }

        [Theory]
        [InlineData(429)]
        [InlineData(500)]
        [InlineData(503)]
        public void AReasonFromTheBodyStopsRetriesOnAnyStatus(int status)
        {
            RetryDecision decision = Policy().AfterStatus(1, status, "the model was retired", retryAfter: TimeSpan.FromSeconds(1));

            Assert.False(decision.Retry);
            Assert.False(decision.RetryAfterTooLong);
            Assert.True(Policy().AfterStatus(1, status, (string?)null, retryAfter: null).Retry);
        }

        [Fact]
        public void RetryAfterUpToTheCapIsHonoured()
        {
            Assert.Equal(TimeSpan.FromSeconds(1), Policy().AfterStatus(1, 429, false, TimeSpan.FromSeconds(1)).Delay);
            Assert.Equal(TimeSpan.FromSeconds(60), Policy().AfterStatus(1, 503, false, TimeSpan.FromSeconds(60)).Delay);
            Assert.Equal(TimeSpan.Zero, Policy().AfterStatus(1, 429, false, TimeSpan.Zero).Delay);
        }

        [Fact]
        public void RetryAfterAboveTheCapFailsAtOnce()
        {
            RetryDecision decision = Policy().AfterStatus(1, 429, false, TimeSpan.FromSeconds(61));

            Assert.False(decision.Retry);
            Assert.True(decision.RetryAfterTooLong);
        }

        [Fact]
        public void AttemptsAreCappedAtMaxRetriesPlusOne()
        {
            RetryPolicy policy = Policy(maxRetries: 3);

            Assert.Equal(4, policy.MaxAttempts);
            Assert.True(policy.AfterStatus(3, 503, false, null).Retry);
            Assert.False(policy.AfterStatus(4, 503, false, null).Retry);
            Assert.False(Policy(maxRetries: 0).AfterStatus(1, 503, false, null).Retry);
            Assert.Equal(1, Policy(maxRetries: -5).MaxAttempts);
        }

        [Theory]
        [InlineData(1, 1.0)]
        [InlineData(2, 2.0)]
        [InlineData(3, 4.0)]
        [InlineData(5, 16.0)]
        [InlineData(6, 30.0)]
        [InlineData(20, 30.0)]
        public void BackoffIsFullJitterUnderAnExponentialCeiling(int attempt, double ceilingSeconds)
        {
            Assert.Equal(TimeSpan.Zero, Policy(random: 0).Backoff(attempt));
            Assert.Equal(TimeSpan.FromSeconds(ceilingSeconds / 2), Policy(random: 0.5).Backoff(attempt));
            Assert.Equal(TimeSpan.FromSeconds(ceilingSeconds), Policy(random: 1).Backoff(attempt));
        }

        [Fact]
        public void BackoffStaysInBoundsWhateverRandomSays()
        {
            Assert.Equal(TimeSpan.Zero, Policy(random: -3).Backoff(2));
            Assert.Equal(TimeSpan.FromSeconds(2), Policy(random: 7).Backoff(2));
            Assert.Equal(TimeSpan.Zero, Policy(random: double.NaN).Backoff(2));
        }

        [Fact]
        public void WithoutRetryAfterTheBackoffIsUsed()
        {
            Assert.Equal(TimeSpan.FromSeconds(0.25 * 2), Policy(random: 0.25).AfterStatus(2, 502, false, null).Delay);
        }

        [Fact]
        public void ConnectionFailuresBeforeAResponseAreRetried()
        {
            Assert.True(Policy().AfterConnectionFailure(1, responseStarted: false, textDelivered: false).Retry);
            Assert.False(Policy().AfterConnectionFailure(4, responseStarted: false, textDelivered: false).Retry);
        }

        [Fact]
        public void NothingIsRetriedOnceTheAnswerStartedOrTextWasShown()
        {
            Assert.False(Policy().AfterConnectionFailure(1, responseStarted: true, textDelivered: false).Retry);
            Assert.False(Policy().AfterConnectionFailure(1, responseStarted: true, textDelivered: true).Retry);
        }
    }

    public class RetryAfterHeaderTests
    {
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero);

        [Theory]
        [InlineData("1", 1)]
        [InlineData(" 30 ", 30)]
        [InlineData("0", 0)]
        [InlineData("-5", 0)]
        [InlineData("1.2", 2)]
        [InlineData("3600", 3600)]
        public void Seconds(string value, int expected)
        {
            Assert.Equal(TimeSpan.FromSeconds(expected), RetryAfterHeader.Parse(value, Now));
        }

        [Fact]
        public void HttpDate()
        {
            Assert.Equal(TimeSpan.FromSeconds(45), RetryAfterHeader.Parse("Wed, 01 Jul 2026 12:00:45 GMT", Now));
            Assert.Equal(TimeSpan.Zero, RetryAfterHeader.Parse("Wed, 01 Jul 2026 11:00:00 GMT", Now));
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("soon")]
        public void NothingReadable(string? value)
        {
            Assert.Null(RetryAfterHeader.Parse(value, Now));
        }
    }
}
