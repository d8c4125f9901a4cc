using System;

namespace CloudflareAI.Chat
{
    /// <summary>The one door to the caller's observer: every string goes through the redactor first.</summary>
    internal sealed class RedactingObserver : IChatObserver
    {
        private readonly IChatObserver inner;
        private readonly SecretRedactor redactor;
        // Built on the first streamed piece: a call that is not streamed never needs it.
        private SecretStreamFilter? textFilter;

        public RedactingObserver(IChatObserver inner, SecretRedactor redactor)
        {
            this.inner = inner ?? throw new ArgumentNullException(nameof(inner));
            this.redactor = redactor;
        }

        public void OnText(string text)
        {
            textFilter ??= new SecretStreamFilter(redactor);
            string safe = textFilter.Push(text);
            if (safe.Length > 0) inner.OnText(safe);
        }

        /// <summary>Sends the streamed text still held back because it could have been the start of a secret.</summary>
        public void FlushText()
        {
            if (textFilter == null) return;
            string rest = textFilter.Flush();
            if (rest.Length > 0) inner.OnText(rest);
        }

        public void OnVerbose(string message) => inner.OnVerbose(redactor.Redact(message));

        public void OnDebug(string message) => inner.OnDebug(redactor.Redact(message));

        public void OnWarning(string message) => inner.OnWarning(redactor.Redact(message));
    }
}
