using System.Management.Automation;

namespace CloudflareAI.PowerShell
{
    /// <summary>
    /// The pipeline side of the bridge: every write of Invoke-AIChat, on the pipeline thread only. Streamed text goes out
    /// as Write-Host -NoNewline writes it, and the open line is ended before anything else is written, so a warning never
    /// lands in the middle of an answer. Lines go where the <see cref="WriteGate"/> says.
    /// </summary>
    internal sealed class ChatHostWriter : IChatObserver, IReasoningObserver
    {
        private static readonly string[] HostTags = { "PSHOST" };
        // Shown like the answer, and findable apart from it: 6>&1 | Where-Object Tags -contains 'CloudflareAI.Reasoning'.
        private static readonly string[] ReasoningTags = { "PSHOST", "CloudflareAI.Reasoning" };

        private readonly PSCmdlet _cmdlet;
        private bool _lineOpen;
        private bool _textWritten;
        private bool _reasoningOpen;

        public ChatHostWriter(PSCmdlet cmdlet, WriteGate gate)
        {
            _cmdlet = cmdlet;
            Gate = gate;
        }

        /// <summary>What is shown; decided once for the call.</summary>
        public WriteGate Gate { get; }

        /// <summary>Whether streamed reasoning goes to the console (not under -HideReasoning).</summary>
        public bool ShowsReasoning { get; set; } = true;

        public void WriteVerbose(string message)
        {
            if (Gate.VerboseAsDebug)
            {
                EndLine();
                _cmdlet.WriteDebug(message);
            }
            else if (Gate.Verbose)
            {
                EndLine();
                _cmdlet.WriteVerbose(message);
            }
        }

        public void WriteDebug(string message)
        {
            if (!Gate.Debug) return;
            EndLine();
            _cmdlet.WriteDebug(message);
        }

        public void WriteWarning(string message)
        {
            EndLine();
            if (Gate.WarningAsDebug) _cmdlet.WriteDebug("WARNING: " + message);
            else _cmdlet.WriteWarning(message);
        }

        public void WriteError(ErrorRecord record)
        {
            EndLine();
            _cmdlet.WriteError(record);
        }

        public void WriteObject(object value)
        {
            EndLine();
            _cmdlet.WriteObject(value);
        }

        /// <summary>Streamed text: shown in the console, redirectable with 6>.</summary>
        public void WriteText(string text)
        {
            if (text.Length == 0) return;
            // The answer begins on a line of its own, under the reasoning.
            if (_reasoningOpen) EndLine();
            _cmdlet.WriteInformation(new HostInformationMessage { Message = text, NoNewLine = true }, HostTags);
            _lineOpen = true;
            _textWritten = true;
        }

        /// <summary>Streamed reasoning: dark grey (dimmed where the host renders colour), tagged apart from the answer.</summary>
        public void WriteReasoning(string text)
        {
            if (text.Length == 0) return;
            if (_lineOpen && !_reasoningOpen) EndLine();
            var message = new HostInformationMessage { Message = text, NoNewLine = true };
            // As Write-Host -ForegroundColor does: the host's own background, and no colour at all for a host without one.
            System.ConsoleColor? background = HostBackground();
            if (background.HasValue)
            {
                message.ForegroundColor = System.ConsoleColor.DarkGray;
                message.BackgroundColor = background;
            }
            _cmdlet.WriteInformation(message, ReasoningTags);
            _lineOpen = true;
            _reasoningOpen = true;
        }

        /// <summary>Whether streamed text reached the console since the last call (then resets).</summary>
        public bool TakeTextShown()
        {
            bool written = _textWritten;
            _textWritten = false;
            return written && !Gate.TextHidden;
        }

        /// <summary>Ends a streamed line, so what follows starts on a line of its own.</summary>
        public void EndLine()
        {
            if (!_lineOpen) return;
            _lineOpen = false;
            _reasoningOpen = false;
            _cmdlet.WriteInformation(new HostInformationMessage { Message = string.Empty, NoNewLine = false }, HostTags);
        }

        private System.ConsoleColor? HostBackground()
        {
            try
            {
                return _cmdlet.Host?.UI?.RawUI?.BackgroundColor;
            }
            catch (System.Exception e) when (e is System.Management.Automation.Host.HostException || e is System.NotImplementedException || e is System.NotSupportedException)
            {
                return null;
            }
        }

        void IChatObserver.OnText(string text) => WriteText(text);

        void IReasoningObserver.OnReasoning(string text) => WriteReasoning(text);

        void IChatObserver.OnVerbose(string message) => WriteVerbose(message);

        void IChatObserver.OnDebug(string message) => WriteDebug(message);

        void IChatObserver.OnWarning(string message) => WriteWarning(message);
    }
}
