using System;
using System.Management.Automation;

namespace CloudflareAI.Commands
{
    /// <summary>Turns the core's exceptions into ErrorRecords with the SPEC §6 ErrorId, category and fix.</summary>
    internal static class ErrorRecords
    {
        public static ErrorRecord From(CloudflareAIException exception, object? target = null)
        {
            var category = (ErrorCategory)Enum.Parse(typeof(ErrorCategory), exception.Kind.ToString());
            var record = new ErrorRecord(exception, exception.ErrorId, category, target ?? exception.Target);
            record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = exception.RecommendedAction };
            return record;
        }
    }
}
