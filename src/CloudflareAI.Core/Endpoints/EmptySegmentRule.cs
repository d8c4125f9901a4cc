using System;
using System.Collections.Generic;
using System.Text;

namespace CloudflareAI.Endpoints
{
    /// <summary>
    /// A base URL whose path has an empty segment ('//') is refused before anything is sent. Nearly always it is a
    /// template written in double quotes: PowerShell expands "${CLOUDFLARE_ACCOUNT_ID}" itself, to an empty string,
    /// before the cmdlet sees it, and the server then answers with an error that blames a correct variable (Cloudflare's
    /// 7003 'Could not route' points at the account ID). The message names that trap and shows the template in single quotes.
    /// </summary>
    internal static class EmptySegmentRule
    {
        private const string Placeholder = "${NAME}";

        /// <exception cref="CloudflareAIException">UrlTemplateInvalid when <paramref name="expanded"/> has '//' in its path.</exception>
        public static void Check(string expanded, string templateText, ProviderAliasDefinition alias, IEnumerable<string> secrets)
        {
            if (EmptySegmentIndex(expanded) < 0) return;

            var redactor = new SecretRedactor(secrets);
            int inTemplate = EmptySegmentIndex(templateText);
            string shown = redactor.Redact(templateText);
            string suggestion = redactor.Redact(Suggest(templateText, inTemplate, alias));
            string where = inTemplate >= 0 ? $" ('//' at character {inTemplate + 1})" : string.Empty;
            throw new CloudflareAIException(ErrorIds.UrlTemplateInvalid, ErrorKind.InvalidArgument,
                $"The base URL template '{shown}' gives a URL with an empty path segment{where}. This usually means it was written in double quotes: " +
                $"in \"...{Placeholder}...\" PowerShell replaces {Placeholder} with its own variable of that name, an empty string, before the cmdlet sees it.",
                $"Write the template in single quotes, so the cmdlet fills it from the environment at call time: -BaseUrl '{suggestion}'")
            { Target = shown };
        }

        /// <summary>The index of the first '//' after the scheme's "://", or -1.</summary>
        internal static int EmptySegmentIndex(string url)
        {
            int scheme = url.IndexOf("://", StringComparison.Ordinal);
            int start = scheme < 0 ? 0 : scheme + 3;
            int slash = url.IndexOf('/', start);
            if (slash < 0) return -1;
            // Only the path counts: a query or fragment may hold '//' legitimately (and is refused on its own anyway).
            int end = url.IndexOfAny(new[] { '?', '#' }, slash);
            int found = url.IndexOf("//", slash, (end < 0 ? url.Length : end) - slash, StringComparison.Ordinal);
            return found;
        }

        /// <summary>
        /// The template as it was probably meant: the alias's own path when the received text is that path with its
        /// variables emptied (the usual case: the alias template copied into double quotes), else '${NAME}' in the gap.
        /// </summary>
        private static string Suggest(string received, int gap, ProviderAliasDefinition alias)
        {
            string? aliasPath = PathOf(alias.BaseUrlTemplate);
            if (aliasPath != null && Template.TryParse(aliasPath, out var parsed, out _) && parsed!.References.Count > 0)
            {
                var blank = new StringBuilder();
                foreach (var part in parsed.Parts)
                {
                    if (!part.IsVariable) blank.Append(part.Text);
                }
                string emptied = blank.ToString();
                if (received.EndsWith(emptied, StringComparison.Ordinal))
                {
                    return received.Substring(0, received.Length - emptied.Length) + aliasPath;
                }
            }
            if (gap < 0) return received;
            return received.Substring(0, gap + 1) + Placeholder + received.Substring(gap + 1);
        }

        /// <summary>The path part of a template that starts with a literal scheme and host; null otherwise.</summary>
        private static string? PathOf(string? template)
        {
            if (template == null) return null;
            int scheme = template.IndexOf("://", StringComparison.Ordinal);
            int dollar = template.IndexOf('$');
            if (scheme < 0 || (dollar >= 0 && dollar < scheme)) return null;
            int slash = template.IndexOf('/', scheme + 3);
            return slash < 0 ? null : template.Substring(slash);
        }
    }
}
