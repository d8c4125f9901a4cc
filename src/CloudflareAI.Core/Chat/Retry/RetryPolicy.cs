using System;

namespace CloudflareAI.Chat.Retry
{
    /// <summary>
    /// Retries: 408, 429 (not the daily quota), 500, 502, 503 and 504, and connection failures before a response;
    /// never another 4xx, never once streamed text reached the user, never a client-side timeout (the server may have done
    /// the work). Retry-After is honoured up to 60 s; otherwise exponential backoff with full jitter, 1 s base, 30 s cap.
    /// </summary>
    internal sealed class RetryPolicy
    {
        public static readonly TimeSpan RetryAfterCap = TimeSpan.FromSeconds(60);
        public static readonly TimeSpan BaseDelay = TimeSpan.FromSeconds(1);
        public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

        private readonly Func<double> random;

        public RetryPolicy(int maxRetries, Func<double> random)
        {
            MaxAttempts = Math.Max(0, maxRetries) + 1;
            this.random = random ?? throw new ArgumentNullException(nameof(random));
        }

        public int MaxAttempts { get; }

        public static bool IsRetryableStatus(int status) =>
            status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;

        /// <summary>After attempt number <paramref name="attempt"/> (1-based) got an HTTP error status.</summary>
        public RetryDecision AfterStatus(int attempt, int status, bool isQuota, TimeSpan? retryAfter) =>
            AfterStatus(attempt, status, isQuota ? "the daily quota is used up" : null, retryAfter);

        /// <summary>After attempt number <paramref name="attempt"/> (1-based) got an HTTP error status.</summary>
        /// <param name="attempt">The attempt that failed, 1-based.</param>
        /// <param name="status">Its HTTP status.</param>
        /// <param name="notRetried">Why the error body makes another attempt pointless (a quota, a retired model), or null.</param>
        /// <param name="retryAfter">The Retry-After wait the server asked for, or null.</param>
        public RetryDecision AfterStatus(int attempt, int status, string? notRetried, TimeSpan? retryAfter)
        {
            if (notRetried != null || !IsRetryableStatus(status)) return RetryDecision.GiveUp();
            if (retryAfter.HasValue && retryAfter.Value > RetryAfterCap) return RetryDecision.WaitTooLong();
            if (attempt >= MaxAttempts) return RetryDecision.GiveUp();
            return RetryDecision.After(retryAfter ?? Backoff(attempt));
        }

        /// <summary>After a connection failure (DNS, refused, reset).</summary>
        public RetryDecision AfterConnectionFailure(int attempt, bool responseStarted, bool textDelivered)
        {
            // Not once part of the answer was shown, nor once the answer had started: the server may have done the work.
            if (textDelivered || responseStarted || attempt >= MaxAttempts) return RetryDecision.GiveUp();
            return RetryDecision.After(Backoff(attempt));
        }

        /// <summary>Full jitter: random() times min(30 s, 1 s * 2^(attempt-1)).</summary>
        public TimeSpan Backoff(int attempt)
        {
            double ceiling = Math.Min(MaxDelay.TotalSeconds, BaseDelay.TotalSeconds * Math.Pow(2, Math.Max(0, attempt - 1)));
            double r = random();
            if (double.IsNaN(r) || r < 0) r = 0;
            if (r > 1) r = 1;
            return TimeSpan.FromSeconds(r * ceiling);
        }
    }
}
