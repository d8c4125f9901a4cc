using System;

namespace CloudflareAI.Secrets
{
    /// <summary>
    /// The one door to the caller's observer: every string goes through the redactor first, then has its control
    /// characters made visible (<see cref="TerminalText"/>), since the caller writes them to a terminal. Masking comes
    /// first because it matches the raw text the server sent; tokens are visible ASCII, so escaping cannot change one.
    /// </summary>
    internal sealed class RedactingObserver : IChatObserver
    {
        private readonly IChatObserver inner;
        private readonly SecretRedactor redactor;
        // Built on the first streamed piece: a call that is not streamed never needs it.
        private SecretStreamFilter? textFilter;
        private TerminalTextStream? textEscaper;

        public RedactingObserver(IChatObserver inner, SecretRedactor redactor)
        {
            this.inner = inner ?? throw new ArgumentNullException(nameof(inner));
            this.redactor = redactor;
        }

        public void OnText(string text)
        {
            textFilter ??= new SecretStreamFilter(redactor);
            textEscaper ??= new TerminalTextStream();
            string safe = textEscaper.Push(textFilter.Push(text));
            if (safe.Length > 0) inner.OnText(safe);
        }

        /// <summary>Sends the streamed text still held back because it could have been the start of a secret.</summary>
        public void FlushText()
        {
            if (textFilter == null) return;
            string rest = textEscaper!.Push(textFilter.Flush()) + textEscaper.Flush();
            if (rest.Length > 0) inner.OnText(rest);
        }

        // Progress lines quote hosts (lower-cased by Uri) and the server's reason phrase, hence any-case masking and escaping.
        public void OnVerbose(string message) => inner.OnVerbose(TerminalText.Escape(redactor.RedactIgnoringCase(message)));

        public void OnDebug(string message) => inner.OnDebug(TerminalText.Escape(redactor.RedactIgnoringCase(message)));

        public void OnWarning(string message) => inner.OnWarning(TerminalText.Escape(redactor.RedactIgnoringCase(message)));
    }
}
