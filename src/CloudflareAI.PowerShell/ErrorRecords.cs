using System;
using System.Management.Automation;

namespace CloudflareAI.Commands
{
    /// <summary>Turns the core's exceptions into ErrorRecords with the core's ErrorId, category and fix.</summary>
    internal static class ErrorRecords
    {
        public static ErrorRecord From(CloudflareAIException exception, object? target = null)
        {
            var category = (ErrorCategory)Enum.Parse(typeof(ErrorCategory), exception.Kind.ToString());
            var record = new ErrorRecord(exception, exception.ErrorId, category, target ?? exception.Target);
            // What the console shows: control characters from a server (or a pasted template) are made visible, never sent raw.
            record.ErrorDetails = new ErrorDetails(TerminalText.Escape(exception.Message)) { RecommendedAction = TerminalText.Escape(exception.RecommendedAction) };
            return record;
        }

        /// <summary>
        /// A failure the core did not classify, said plainly with the inner exception kept, unless its text holds a secret
        /// of the endpoint: its message is masked and made safe for the terminal like every other message.
        /// </summary>
        public static ErrorRecord Unexpected(Exception? error, System.Collections.Generic.IReadOnlyCollection<string> secrets, object? target)
        {
            var mask = new SecretRedactor(secrets);
            var wrapped = new CloudflareAIException(ErrorIds.ChatResponseInvalid, ErrorKind.InvalidResult,
                "The request failed unexpectedly: " + TerminalText.Escape(mask.RedactIgnoringCase(error?.Message ?? "cancelled")),
                "Run again with -Verbose -Debug to see the exchange; report it if it persists.", error != null && mask.ContainsIgnoringCase(error.ToString()) ? null : error);
            return From(wrapped, target);
        }
    }
}
