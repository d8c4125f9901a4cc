using System;

namespace CloudflareAI.Chat.Retry
{
    /// <summary>Whether to try again after a failed attempt, and after how long.</summary>
    internal sealed class RetryDecision
    {
        private RetryDecision(bool retry, TimeSpan delay, bool retryAfterTooLong, string reason)
        {
            Retry = retry;
            Delay = delay;
            RetryAfterTooLong = retryAfterTooLong;
            Reason = reason;
        }

        public bool Retry { get; }

        public TimeSpan Delay { get; }

        /// <summary>The server demanded a wait above the cap: fail now and tell the user the wait.</summary>
        public bool RetryAfterTooLong { get; }

        /// <summary>Why, in words, for -Verbose.</summary>
        public string Reason { get; }

        public static RetryDecision After(TimeSpan delay, string reason) => new RetryDecision(true, delay, false, reason);

        public static RetryDecision GiveUp(string reason) => new RetryDecision(false, TimeSpan.Zero, false, reason);

        public static RetryDecision WaitTooLong(string reason) => new RetryDecision(false, TimeSpan.Zero, true, reason);
    }
}
