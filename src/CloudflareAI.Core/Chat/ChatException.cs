using System;
using System.Collections.Generic;

namespace CloudflareAI.Chat
{
    /// <summary>A failed request: its ErrorId plus what the server said, with every secret removed.</summary>
    public sealed class ChatException : CloudflareAIException
    {
        /// <summary>Creates the exception; the message and action must already be free of secrets.</summary>
        public ChatException(string errorId, ErrorKind kind, string message, string recommendedAction, Exception? inner = null)
            : base(errorId, kind, message, recommendedAction, inner)
        {
        }

        /// <summary>HTTP status, when a response arrived.</summary>
        public int? StatusCode { get; set; }

        /// <summary>The provider's error code (Cloudflare's numeric code, or OpenAI's string code).</summary>
        public string? ProviderCode { get; set; }

        /// <summary>A request id taken from the error text's trailing (uuid), when present.</summary>
        public string? RequestId { get; set; }

        /// <summary>Attempts made before giving up.</summary>
        public int Attempts { get; set; }

        /// <summary>The wait the server demanded (Retry-After), when there was one.</summary>
        public TimeSpan? RetryAfter { get; set; }

        /// <summary>The whole answer, secrets masked, when it was asked for as JSON and is not JSON: the error's TargetObject.</summary>
        public string? AnswerContent { get; set; }
    }
}
