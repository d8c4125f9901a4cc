using System;

namespace CloudflareAI.Templates
{
    /// <summary>What a substituted value may contain. Each check returns null when the value is fine,
    /// else a reason that describes the offending character without quoting the value (it may be a secret).</summary>
    internal static class ValueRules
    {
        /// <summary>One URL path segment: no '/', '\', '?', '#', '%', '@', whitespace, control characters, '..' or anything beyond visible ASCII.</summary>
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
                if (c < '\u0080' && char.IsWhiteSpace(c)) return $"contains whitespace at character {i + 1} (often a pasted space or a trailing newline)";
                if (c < '\u0080' && char.IsControl(c)) return $"contains a control character at character {i + 1}";
                // A zero-width space or curly quote would be percent-encoded into the URL and reach the server as
                // an account or gateway that does not exist; say which character it is instead.
                if (!IsVisibleAscii(c)) return Describe(value, i);
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
                if (value[i] < '\u0080' && (char.IsWhiteSpace(value[i]) || char.IsControl(value[i])))
                {
                    return $"contains whitespace or a control character at character {i + 1}";
                }
                if (!IsVisibleAscii(value[i])) return Describe(value, i) + " (write an international host name in its xn-- form)";
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

        /// <summary>
        /// An HTTP header value: visible ASCII, with spaces and tabs inside. HTTP itself allows no line break (it would
        /// inject headers) and the HTTP stack refuses anything beyond ASCII only when it sends, which would surface as a
        /// connection failure after every retry; so both are caught here, naming the first offending character.
        /// </summary>
        public static string? CheckHeaderValue(string value)
        {
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (c == ' ' || c == '\t' || IsVisibleAscii(c)) continue;
                return Describe(value, i);
            }
            return null;
        }

        /// <summary>
        /// A token: it is sent in a header after "Bearer ", so only visible ASCII, and no space at all (a token never
        /// holds one; a leading or trailing one is a paste or a file's final newline).
        /// </summary>
        public static string? CheckToken(string value)
        {
            for (int i = 0; i < value.Length; i++)
            {
                if (!IsVisibleAscii(value[i])) return Describe(value, i);
            }
            return null;
        }

        /// <summary>'!' to '~': the characters every HTTP header and URL path takes as they are.</summary>
        public static bool IsVisibleAscii(char c) => c > ' ' && c < '\u007f';

        /// <summary>
        /// "contains a zero-width space (U+200B) at character 5, ...": which kind of character and where (1-based), so the
        /// user can find it, without quoting the value (it may be a secret).
        /// </summary>
        internal static string Describe(string value, int index)
        {
            char c = value[index];
            string where = $"at character {index + 1}";
            switch (c)
            {
                case '\r':
                case '\n':
                    return $"contains a line break {where}" + (index == value.Length - 1 || (c == '\r' && index == value.Length - 2) ? " (often a trailing newline from a file)" : string.Empty);
                case ' ':
                    return $"contains a space {where}" + (index == 0 || index == value.Length - 1 ? " (leading or trailing whitespace, often pasted along with it)" : string.Empty);
                case '\t':
                    return $"contains a tab {where}";
            }
            string code = "U+" + ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
            if (char.IsHighSurrogate(c) && index + 1 < value.Length && char.IsLowSurrogate(value[index + 1]))
            {
                code = "U+" + char.ConvertToUtf32(c, value[index + 1]).ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
            }
            string kind;
            switch (c)
            {
                case '\u200b': kind = "a zero-width space"; break;
                case '\u200c':
                case '\u200d':
                case '\u2060': kind = "a zero-width character"; break;
                case '\ufeff': kind = "a byte order mark (zero-width no-break space)"; break;
                case '\u00a0':
                case '\u2007':
                case '\u202f': kind = "a no-break space"; break;
                case '\u2018':
                case '\u2019':
                case '\u201a':
                case '\u201b':
                case '\u201c':
                case '\u201d':
                case '\u201e':
                case '\u201f':
                case '\u00ab':
                case '\u00bb': kind = "a curly quote"; break;
                case '\u2010':
                case '\u2011':
                case '\u2012':
                case '\u2013':
                case '\u2014':
                case '\u2212': kind = "a typographic dash"; break;
                default:
                    if (c < ' ' || (c >= '\u007f' && c <= '\u009f')) kind = "a control character";
                    else if (char.IsWhiteSpace(c)) kind = "a non-ASCII space";
                    else kind = "a non-ASCII character";
                    break;
            }
            return $"contains {kind} ({code}) {where}; only visible ASCII characters can be sent (retype the value, or copy it again without the character)";
        }
    }
}
