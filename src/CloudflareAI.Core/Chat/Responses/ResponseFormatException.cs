using System;

namespace CloudflareAI.Chat.Responses
{
    /// <summary>The server's answer has a shape the client cannot read; becomes ChatResponseInvalid.</summary>
    internal sealed class ResponseFormatException : Exception
    {
        public ResponseFormatException(string message, Exception? inner = null)
            : base(message, inner)
        {
        }

        /// <summary>The stream stopped before [DONE] or a finish reason: the answer may be cut.</summary>
        public bool EndedEarly { get; private set; }

        public static ResponseFormatException StreamEndedEarly(Exception? inner = null) =>
            new ResponseFormatException("The stream ended early.", inner) { EndedEarly = true };

        /// <summary>What to do instead of the generic advice, or null.</summary>
        public string? Hint { get; private set; }

        /// <summary>The body (or one event-stream line) passed a size cap; reading stopped there.</summary>
        public static ResponseFormatException TooLarge(string what, long limitBytes, string hint) =>
            new ResponseFormatException($"the answer is larger than {Megabytes(limitBytes)} MB{what}", null) { Hint = hint };

        /// <summary>Bytes that are not UTF-8 (or a compressed body that does not decompress).</summary>
        public static ResponseFormatException Undecodable(string what, Exception? inner) =>
            new ResponseFormatException(what, inner) { Hint = RecommendedActions.Undecodable };

        private static string Megabytes(long bytes)
        {
            double mb = bytes / (1024.0 * 1024.0);
            return mb.ToString(mb >= 1 ? "0.##" : "0.######", System.Globalization.CultureInfo.InvariantCulture);
        }
    }

}
