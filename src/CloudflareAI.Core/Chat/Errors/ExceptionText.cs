using System;

namespace CloudflareAI.Chat.Errors
{
    /// <summary>
    /// The walk to the innermost exception, once: HttpRequestException says "An error occurred while sending the
    /// request"; the socket error below it says why.
    /// </summary>
    internal static class ExceptionText
    {
        /// <summary>The innermost exception (the exception itself when it has no inner one).</summary>
        public static Exception Innermost(Exception exception)
        {
            Exception inner = exception;
            while (inner.InnerException != null) inner = inner.InnerException;
            return inner;
        }

        /// <summary>The innermost message alone, without its final period: for "(...)" in a -Verbose line.</summary>
        public static string Cause(Exception exception) => Innermost(exception).Message.Trim().TrimEnd('.');

        /// <summary>"outer (cause)", or the outer message alone when it already says the cause.</summary>
        public static string WithCause(Exception exception)
        {
            Exception inner = Innermost(exception);
            string outer = exception.Message.Trim();
            string cause = inner.Message.Trim();
            if (ReferenceEquals(inner, exception) || outer.IndexOf(cause, StringComparison.Ordinal) >= 0) return outer;
            return $"{outer.TrimEnd('.')} ({cause.TrimEnd('.')})";
        }
    }
}
