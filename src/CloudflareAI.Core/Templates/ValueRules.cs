using System;

namespace CloudflareAI.Templates
{
    /// <summary>What a substituted value may contain (SPEC §3). Each check returns null when the value is fine,
    /// else a reason that describes the offending character without quoting the value (it may be a secret).</summary>
    public static class ValueRules
    {
        /// <summary>One URL path segment: no '/', '\', '?', '#', '%', '@', whitespace, control characters or '..'.</summary>
        public static string? CheckPathSegment(string value)
        {
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                switch (c)
                {
                    case '/': return "contains '/', so it would add a path segment to the URL";
                    case '\\': return "contains '\\', which is not allowed in a URL path segment";
                    case '?': return "contains '?', which would start a query string in the URL";
                    case '#': return "contains '#', which would start a URL fragment";
                    case '%': return "contains '%', which would be read as a URL escape";
                    case '@': return "contains '@', which could change the host the URL points to";
                }
                if (char.IsWhiteSpace(c)) return $"contains whitespace at character {i + 1} (often a pasted space or a trailing newline)";
                if (char.IsControl(c)) return $"contains a control character at character {i + 1}";
            }
            if (value == "." || value.IndexOf("..", StringComparison.Ordinal) >= 0)
            {
                return "contains '..', which would move up the URL path";
            }
            return null;
        }

        /// <summary>
        /// The scheme and host of a URL: an absolute http or https address with a host and no user, query or
        /// fragment, and a path (if any) without '%', '\\' or '.'/'..' segments. A trailing '/' is dropped so the
        /// template's own path joins cleanly.
        /// </summary>
        public static string? CheckOrigin(string value, out string? origin)
        {
            origin = null;
            for (int i = 0; i < value.Length; i++)
            {
                if (char.IsWhiteSpace(value[i]) || char.IsControl(value[i]))
                {
                    return $"contains whitespace or a control character at character {i + 1}";
                }
            }
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                || string.IsNullOrEmpty(uri.Host))
            {
                return "is not an absolute http:// or https:// address (it makes up the scheme and host of the URL)";
            }
            if (value.IndexOf('\\') >= 0) return "contains '\\', which is not allowed in a URL";
            if (!string.IsNullOrEmpty(uri.UserInfo)) return "contains a user name or password before the host";
            if (!string.IsNullOrEmpty(uri.Query) || value.IndexOf('?') >= 0) return "contains a query string ('?')";
            if (!string.IsNullOrEmpty(uri.Fragment) || value.IndexOf('#') >= 0) return "contains a fragment ('#')";
            // A path after the host is allowed (a server mounted under a prefix, e.g. http://localhost:12434/engines), but
            // under the path-segment rules: nothing that moves up the path or reads as an escape.
            string? pathProblem = CheckOriginPath(value);
            if (pathProblem != null) return pathProblem;
            origin = value.TrimEnd('/');
            return null;
        }

        private static string? CheckOriginPath(string value)
        {
            int authority = value.IndexOf("://", StringComparison.Ordinal) + 3;
            int slash = value.IndexOf('/', authority);
            if (slash < 0) return null;
            string path = value.Substring(slash);
            if (path.IndexOf('%') >= 0) return "contains '%' in its path, which would be read as a URL escape";
            foreach (string segment in path.Split('/'))
            {
                if (segment == "." || segment == "..") return "contains a '.' or '..' path segment, which would move the URL path";
            }
            return null;
        }

        /// <summary>An HTTP header value: no CR, LF or other control character (tab is allowed).</summary>
        public static string? CheckHeaderValue(string value)
        {
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (c == '\r' || c == '\n') return $"contains a line break at character {i + 1}";
                if (c != '\t' && char.IsControl(c)) return $"contains a control character at character {i + 1}";
            }
            return null;
        }
    }
}
