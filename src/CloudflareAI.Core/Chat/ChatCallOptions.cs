using System;
using System.Collections.Generic;

namespace CloudflareAI.Chat
{
    /// <summary>Per-call limits.</summary>
    public sealed class ChatCallOptions
    {
        /// <summary>Bounds each attempt; while streaming, the wait for headers and between chunks.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(300);

        /// <summary>Retries after the first attempt (default 3: at most 4 attempts).</summary>
        public int MaxRetries { get; set; } = 3;

        /// <summary>The most bytes of one answer read, after decompression (-MaxResponseMB); a larger answer is ChatResponseInvalid.</summary>
        public long MaxResponseBytes { get; set; } = CloudflareAI.Http.ResponseBody.DefaultMaxBodyBytes;

        /// <summary>
        /// Whether the caller shows progress lines (<see cref="IChatObserver.OnVerbose"/>). When false the client does not
        /// build them at all: no string work per request for lines nobody reads.
        /// </summary>
        public bool ReportVerbose { get; set; } = true;

        /// <summary>Whether the caller shows internal lines (<see cref="IChatObserver.OnDebug"/>): request headers and body.</summary>
        public bool ReportDebug { get; set; } = true;

        /// <summary>
        /// The batch this call belongs to (<see cref="BatchScheduler"/>): each attempt waits for its place and pace. Null for a
        /// call on its own, which then waits for nothing.
        /// </summary>
        public IAttemptScheduler? Scheduler { get; set; }

        /// <summary>
        /// Makes one JSON object of a structured answer (its properties in order, values already converted) into what
        /// <see cref="ChatResponse.Data"/> holds: the cmdlet makes PowerShell objects or hashtables. Null gives dictionaries.
        /// </summary>
        public Func<IReadOnlyList<KeyValuePair<string, object?>>, object>? DataObjectFactory { get; set; }
    }
}
