using System.Security;

namespace CloudflareAI.Chat
{
    /// <summary>
    /// What every call to a host takes, chat and embeddings alike, with the one set of defaults: the batch's places and
    /// pace, each attempt's time and size limits, the retries, and a token given instead of the alias's variable.
    /// </summary>
    internal abstract class CallSettings
    {
        /// <summary>-ThrottleLimit: requests in flight at once.</summary>
        public int ThrottleLimit { get; set; } = 1;

        /// <summary>-RequestsPerMinute; no pacing when null.</summary>
        public int? RequestsPerMinute { get; set; }

        /// <summary>-TimeoutSec: seconds each attempt may take.</summary>
        public int TimeoutSec { get; set; } = 300;

        /// <summary>-MaxRetries: retries after a retryable failure.</summary>
        public int MaxRetries { get; set; } = 3;

        /// <summary>-MaxResponseMB: the largest answer read.</summary>
        public int MaxResponseMB { get; set; } = 32;

        /// <summary>-ApiKey; replaces the alias's token variable.</summary>
        public SecureString? ApiKey { get; set; }
    }
}
