using System;

namespace CloudflareAI.Chat.Retry
{
    /// <summary>Whether to try again after a failed attempt, and after how long.</summary>
    internal sealed class RetryDecision
    {
        private RetryDecision(bool retry, TimeSpan delay, bool retryAfterTooLong)
        {
            Retry = retry;
            Delay = delay;
            RetryAfterTooLong = retryAfterTooLong;
        }

        public bool Retry { get; }

        public TimeSpan Delay { get; }

        /// <summary>The server demanded a wait above the cap: fail now and tell the user the wait.</summary>
        public bool RetryAfterTooLong { get; }

        /// <summary>Try again after <paramref name="delay"/>.</summary>
        public static RetryDecision After(TimeSpan delay) => new RetryDecision(true, delay, false);

        /// <summary>Stop: the attempt's error is final (the attempt's outcome says why, for -Verbose).</summary>
        public static RetryDecision GiveUp() => new RetryDecision(false, TimeSpan.Zero, false);

        /// <summary>Stop, because the server asks for a wait above the cap.</summary>
        public static RetryDecision WaitTooLong() => new RetryDecision(false, TimeSpan.Zero, true);
    }
}
