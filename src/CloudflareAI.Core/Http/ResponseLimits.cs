using System;
using System.Net.Http;
using System.Reflection;

namespace CloudflareAI.Http
{
    /// <summary>Recognises the runtime's refusal of response headers that pass its size limit.</summary>
    internal static class ResponseLimits
    {
        /// <summary>
        /// True when the handler gave up because the response headers were too large: .NET says so with
        /// HttpRequestError.ConfigurationLimitExceeded (not visible to netstandard2.0, hence read by name) and a message
        /// about the headers' length; .NET Framework's HttpWebRequest with WebExceptionStatus.MessageLengthLimitExceeded.
        /// </summary>
        public static bool IsHeadersTooLarge(HttpRequestException exception)
        {
            if (string.Equals(PropertyText(exception, "HttpRequestError"), "ConfigurationLimitExceeded", StringComparison.Ordinal)) return true;
            for (Exception? e = exception; e != null; e = e.InnerException)
            {
                if (string.Equals(PropertyText(e, "Status"), "MessageLengthLimitExceeded", StringComparison.Ordinal)) return true;
                string message = e.Message;
                if (message.IndexOf("header", StringComparison.OrdinalIgnoreCase) >= 0
                    && (message.IndexOf("exceeded", StringComparison.OrdinalIgnoreCase) >= 0 || message.IndexOf("too large", StringComparison.OrdinalIgnoreCase) >= 0))
                {
                    return true;
                }
            }
            return false;
        }

        private static string? PropertyText(object target, string name)
        {
            try
            {
                PropertyInfo? property = target.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
                return property?.GetValue(target)?.ToString();
            }
            catch (Exception)
            {
                return null;
            }
        }
    }
}
