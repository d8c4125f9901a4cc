using System;
using System.Collections.Generic;

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
        public static CloudflareAIException From(Exception? error, IReadOnlyCollection<string> secrets)
        {
            var mask = new SecretRedactor(secrets);
            return new CloudflareAIException(ErrorIds.ChatResponseInvalid, ErrorKind.InvalidResult,
                "The request failed unexpectedly: " + TerminalText.Escape(mask.RedactIgnoringCase(error?.Message ?? "cancelled")),
                "Run again with -Verbose -Debug to see the exchange; report it if it persists.",
                error != null && mask.ContainsIgnoringCase(error.ToString()) ? null : error);
        }
    }
}
