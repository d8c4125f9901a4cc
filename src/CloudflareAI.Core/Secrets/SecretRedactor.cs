using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CloudflareAI.Secrets
{
    /// <summary>
    /// Replaces every secret value in a text with <c>***</c>. Each secret is also matched in the forms a
    /// server or a JSON writer may show it in (URL-escaped, JSON-escaped), longest first so that a secret containing
    /// another is removed whole.
    /// </summary>
    public sealed class SecretRedactor
    {
        /// <summary>What every secret is replaced with.</summary>
        public const string Mask = "***";

        /// <summary>
        /// Shorter values are not masked: one to three characters cannot be told from ordinary text, and masking them
        /// would rewrite every URL and answer ('t' in every word). No real token is that short.
        /// </summary>
        public const int MinimumLength = 4;

        private readonly string[] values;

        /// <summary>A redactor for these values; null ones and any shorter than <see cref="MinimumLength"/>
        /// are ignored.</summary>
        public SecretRedactor(IEnumerable<string?>? secrets)
        {
            var forms = new HashSet<string>(StringComparer.Ordinal);
            if (secrets != null)
            {
                foreach (string? secret in secrets)
                {
                    if (string.IsNullOrEmpty(secret) || secret!.Trim().Length < MinimumLength) continue;
                    forms.Add(secret!);
                    // .NET Framework's EscapeDataString refuses very long input; no real token comes near the limit.
                    if (secret!.Length < 32000) forms.Add(Uri.EscapeDataString(secret));
                    forms.Add(JsonEncodedText.Encode(secret!, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString());
                    forms.Add(JsonEncodedText.Encode(secret!).ToString());
                }
            }
            values = forms.OrderByDescending(v => v.Length).ThenBy(v => v, StringComparer.Ordinal).ToArray();
            LongestValueLength = values.Length == 0 ? 0 : values[0].Length;
        }

        /// <summary>Redacts nothing.</summary>
        public static SecretRedactor None { get; } = new SecretRedactor(null);

        /// <summary>True when there is nothing to hide.</summary>
        public bool IsEmpty => values.Length == 0;

        /// <summary>Every form matched, longest first.</summary>
        internal IReadOnlyList<string> Values => values;

        internal int LongestValueLength { get; }

        /// <summary>The text with every secret replaced by ***; null becomes the empty string.</summary>
        public string Redact(string? text)
        {
            if (string.IsNullOrEmpty(text)) return string.Empty;
            string result = text!;
            foreach (string value in values)
            {
                if (result.IndexOf(value, StringComparison.Ordinal) >= 0) result = result.Replace(value, Mask);
            }
            return result;
        }

        /// <summary>
        /// As <see cref="Redact"/>, but matching secrets in any letter case: for text that passed through a URL parser
        /// (which lower-cases hosts) or a server that changed the case; used where a few false matches cost nothing.
        /// </summary>
        public string RedactIgnoringCase(string? text)
        {
            if (string.IsNullOrEmpty(text)) return string.Empty;
            string result = text!;
            foreach (string value in values)
            {
                int at = result.IndexOf(value, StringComparison.OrdinalIgnoreCase);
                if (at < 0) continue;
                var rebuilt = new System.Text.StringBuilder(result.Length);
                int from = 0;
                while (at >= 0)
                {
                    rebuilt.Append(result, from, at - from).Append(Mask);
                    from = at + value.Length;
                    at = result.IndexOf(value, from, StringComparison.OrdinalIgnoreCase);
                }
                rebuilt.Append(result, from, result.Length - from);
                result = rebuilt.ToString();
            }
            return result;
        }

        /// <summary>True when the text contains a secret in any form and any letter case.</summary>
        public bool ContainsIgnoringCase(string? text)
        {
            if (string.IsNullOrEmpty(text)) return false;
            foreach (string value in values)
            {
                if (text!.IndexOf(value, StringComparison.OrdinalIgnoreCase) >= 0) return true;
            }
            return false;
        }

        /// <summary>True when the text contains a secret in any form.</summary>
        public bool Contains(string? text)
        {
            if (string.IsNullOrEmpty(text)) return false;
            foreach (string value in values)
            {
                if (text!.IndexOf(value, StringComparison.Ordinal) >= 0) return true;
            }
            return false;
        }
    }
}
