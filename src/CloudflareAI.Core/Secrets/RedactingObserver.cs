using System;

namespace CloudflareAI.Secrets
{
    /// <summary>
    /// The one door to the caller's observer: every string goes through the redactor first, then has its control
    /// characters made visible (<see cref="TerminalText"/>), since the caller writes them to a terminal. Masking comes
    /// first because it matches the raw text the server sent; tokens are visible ASCII, so escaping cannot change one.
    /// </summary>
    internal sealed class RedactingObserver : IChatObserver, IReasoningObserver
    {
        private readonly IChatObserver inner;
        private readonly SecretRedactor redactor;
        // Built on the first streamed piece: a call that is not streamed never needs it.
        private SecretStreamFilter? textFilter;
        private TerminalTextStream? textEscaper;
        // Reasoning streams through filters of its own: a secret split across a reasoning piece and an answer piece is two
        // halves in two places, neither of which shows it.
        private SecretStreamFilter? reasoningFilter;
        private TerminalTextStream? reasoningEscaper;

        public RedactingObserver(IChatObserver inner, SecretRedactor redactor)
        {
            this.inner = inner ?? throw new ArgumentNullException(nameof(inner));
            this.redactor = redactor;
        }

        public bool ShowsReasoning => inner is IReasoningObserver reasoning && reasoning.ShowsReasoning;

        public void OnText(string text)
        {
            // The answer starts: what the reasoning still holds back belongs before it.
            FlushReasoning();
            textFilter ??= new SecretStreamFilter(redactor);
            textEscaper ??= new TerminalTextStream();
            string safe = textEscaper.Push(textFilter.Push(text));
            if (safe.Length > 0) inner.OnText(safe);
        }

        /// <summary>Sends the streamed text still held back because it could have been the start of a secret.</summary>
        public void FlushText()
        {
            FlushReasoning();
            if (textFilter == null) return;
            string rest = textEscaper!.Push(textFilter.Flush()) + textEscaper.Flush();
            if (rest.Length > 0) inner.OnText(rest);
        }

        public void OnReasoning(string text)
        {
            if (!(inner is IReasoningObserver reasoning)) return;
            reasoningFilter ??= new SecretStreamFilter(redactor);
            reasoningEscaper ??= new TerminalTextStream();
            string safe = reasoningEscaper.Push(reasoningFilter.Push(text));
            if (safe.Length > 0) reasoning.OnReasoning(safe);
        }

        private void FlushReasoning()
        {
            if (reasoningFilter == null || !(inner is IReasoningObserver reasoning)) return;
            string rest = reasoningEscaper!.Push(reasoningFilter.Flush()) + reasoningEscaper.Flush();
            if (rest.Length > 0) reasoning.OnReasoning(rest);
        }

        // Progress lines quote hosts (lower-cased by Uri) and the server's reason phrase, hence any-case masking and escaping.
        public void OnVerbose(string message) => inner.OnVerbose(TerminalText.Escape(redactor.RedactIgnoringCase(message)));

        public void OnDebug(string message) => inner.OnDebug(TerminalText.Escape(redactor.RedactIgnoringCase(message)));

        public void OnWarning(string message) => inner.OnWarning(TerminalText.Escape(redactor.RedactIgnoringCase(message)));
    }
}
