using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http.Headers;

namespace CloudflareAI.Http
{
    /// <summary>Reads the Retry-After response header: a number of seconds or an HTTP date.</summary>
    internal static class RetryAfterHeader
    {
        /// <summary>The wait the server asks for, or null when it asks for none (or says something unreadable).</summary>
        public static TimeSpan? Read(HttpResponseHeaders headers, DateTimeOffset now)
        {
            if (headers == null) return null;
            if (!headers.TryGetValues("Retry-After", out IEnumerable<string>? values)) return null;
            return Parse(values.FirstOrDefault(), now);
        }

        /// <summary>Parses one Retry-After value; a date in the past means "now".</summary>
        public static TimeSpan? Parse(string? value, DateTimeOffset now)
        {
            if (string.IsNullOrWhiteSpace(value)) return null;
            string text = value!.Trim();

            // Fractional seconds are not in RFC 9110, but some servers send them; round up so we never come back early.
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds))
            {
                if (double.IsNaN(seconds) || double.IsInfinity(seconds)) return null;
                if (seconds <= 0) return TimeSpan.Zero;
                return TimeSpan.FromSeconds(Math.Min(Math.Ceiling(seconds), TimeSpan.MaxValue.TotalSeconds / 2));
            }

            if (DateTimeOffset.TryParseExact(text, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset date)
                || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date))
            {
                TimeSpan wait = date - now;
                return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
            }
            return null;
        }
    }
}
