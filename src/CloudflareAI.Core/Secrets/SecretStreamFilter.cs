using System;
using System.Collections.Generic;
using System.Text;

namespace CloudflareAI.Secrets
{
    /// <summary>
    /// Redacts secrets from text that arrives in pieces. A secret split over two pieces would slip past a per-piece
    /// <see cref="SecretRedactor"/>, so the end of a piece that could be the start of a secret is held back until the
    /// next piece (or <see cref="Flush"/>) decides. With no secrets nothing is held back.
    /// </summary>
    internal sealed class SecretStreamFilter
    {
        private readonly SecretRedactor redactor;
        private readonly StringBuilder pending = new StringBuilder();
        // Every character that can end a held-back piece: any but the last of some secret form.
        private readonly HashSet<char> holdEnds = new HashSet<char>();

        public SecretStreamFilter(SecretRedactor redactor)
        {
            this.redactor = redactor;
            foreach (string value in redactor.Values)
            {
                for (int i = 0; i < value.Length - 1; i++) holdEnds.Add(value[i]);
            }
        }

        /// <summary>The part of the text seen so far that is safe to show now (may be empty).</summary>
        public string Push(string text)
        {
            if (redactor.IsEmpty) return text;
            // The usual piece of a stream: nothing held back, nothing to redact, and an end that cannot begin a secret.
            // Same answer as below, without copying the piece through the builder (it runs once per streamed chunk).
            if (pending.Length == 0 && text.Length > 0 && !holdEnds.Contains(text[text.Length - 1]) && !redactor.Contains(text)) return text;
            pending.Append(text);
            // Redact first, so a whole secret is never cut by the hold-back boundary.
            string redacted = redactor.Redact(pending.ToString());
            int hold = HeldBackLength(redacted);
            pending.Clear();
            pending.Append(redacted, redacted.Length - hold, hold);
            return redacted.Substring(0, redacted.Length - hold);
        }

        /// <summary>Whatever is still held back, redacted.</summary>
        public string Flush()
        {
            string rest = redactor.Redact(pending.ToString());
            pending.Clear();
            return rest;
        }

        /// <summary>The length of the longest end of <paramref name="text"/> that begins some secret without completing it.</summary>
        private int HeldBackLength(string text)
        {
            int longest = Math.Min(text.Length, redactor.LongestValueLength - 1);
            for (int length = longest; length > 0; length--)
            {
                int start = text.Length - length;
                foreach (string value in redactor.Values)
                {
                    if (value.Length > length && string.CompareOrdinal(text, start, value, 0, length) == 0) return length;
                }
            }
            return 0;
        }
    }
}
