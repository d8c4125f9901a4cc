using System;

namespace CloudflareAI.Chat.Errors
{
    /// <summary>
    /// A request that ended with an exception the client does not raise itself: the error that reports it keeps the inner
    /// exception but says it plainly, with every secret masked and the text made safe for the terminal, since it may quote
    /// the server.
    /// </summary>
    internal static class UnexpectedFailure
    {
        /// <summary>The ChatResponseInvalid error for <paramref name="error"/>; the inner exception is dropped when it holds a secret.</summary>
        /// <param name="error">What ended the request; null when it was cancelled.</param>
        /// <param name="mask">The endpoint's redactor.</param>
        public static CloudflareAIException From(Exception? error, SecretRedactor mask)
        {
            return new CloudflareAIException(ErrorIds.ChatResponseInvalid, ErrorKind.InvalidResult,
                "The request failed unexpectedly: " + TerminalText.Escape(mask.RedactIgnoringCase(error?.Message ?? "cancelled")),
                "Run again with -Verbose -Debug to see the exchange; report it if it persists.",
                error != null && mask.ContainsIgnoringCase(error.ToString()) ? null : error);
        }
    }
}
