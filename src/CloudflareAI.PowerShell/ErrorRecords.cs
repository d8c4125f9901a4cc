using System;
using System.Management.Automation;

namespace CloudflareAI.PowerShell
{
    /// <summary>Turns the core's exceptions into ErrorRecords with the core's ErrorId, category and fix.</summary>
    internal static class ErrorRecords
    {
        public static ErrorRecord From(CloudflareAIException exception, object? target = null)
        {
            var category = (ErrorCategory)Enum.Parse(typeof(ErrorCategory), exception.Kind.ToString());
            // An answer that should have been JSON and is not: the answer itself is what the user needs to look at.
            object? about = (exception as ChatException)?.AnswerContent ?? target ?? exception.Target;
            var record = new ErrorRecord(exception, exception.ErrorId, category, about);
            // What the console shows: control characters from a server (or a pasted template) are made visible, never sent raw.
            record.ErrorDetails = new ErrorDetails(TerminalText.Escape(exception.Message)) { RecommendedAction = TerminalText.Escape(exception.RecommendedAction) };
            return record;
        }
    }
}
