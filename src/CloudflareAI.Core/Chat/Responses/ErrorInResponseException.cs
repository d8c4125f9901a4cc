using System;

namespace CloudflareAI.Chat.Responses
{
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
