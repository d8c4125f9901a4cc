using System;

namespace CloudflareAI.Chat
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
    }

    /// <summary>A success response (or a stream chunk) that carries an error object instead of an answer.</summary>
    internal sealed class ErrorInResponseException : Exception
    {
        public ErrorInResponseException(ApiErrorBody body)
            : base(body.Describe())
        {
            Body = body;
        }

        public ApiErrorBody Body { get; }
    }
}
