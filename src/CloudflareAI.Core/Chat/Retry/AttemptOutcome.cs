namespace CloudflareAI.Chat.Retry
{
    /// <summary>How one attempt ended: a result, or an error with the decision whether to try again.</summary>
    internal sealed class AttemptOutcome<T> where T : class
    {
        private AttemptOutcome() { }

        /// <summary>The attempt's result; null when it failed.</summary>
        public T? Result { get; private set; }

        public ChatException? Error { get; private set; }

        public RetryDecision? Decision { get; private set; }

        /// <summary>Why it failed, for -Verbose ("HTTP 503 Service Unavailable", "no answer in time").</summary>
        public string Why { get; private set; } = string.Empty;

        /// <summary>A 429 that is not a quota error: a batch should send less at once.</summary>
        public bool Throttled { get; set; }

        public static AttemptOutcome<T> Succeeded(T result) => new AttemptOutcome<T> { Result = result };

        public static AttemptOutcome<T> Failed(ChatException error, RetryDecision decision, string why) =>
            new AttemptOutcome<T> { Error = error, Decision = decision, Why = why };
    }
}
