using System.Management.Automation;

namespace CloudflareAI.Commands
{
    /// <summary>
    /// Everything Invoke-AIChat writes besides its answers. The core reports from worker threads through
    /// <see cref="IChatObserver"/>; those reports are queued and written here on the pipeline thread, where a streamed
    /// line is ended before anything else is written, so a warning never lands in the middle of an answer.
    /// </summary>
    internal sealed class ChatOutput : IChatObserver
    {
        private static readonly string[] HostTags = { "PSHOST" };

        private readonly PSCmdlet _cmdlet;
        private readonly PipelineEventQueue _queue;
        private readonly bool _verbose;
        private readonly bool _debug;
        private readonly bool _verboseAsDebug;
        private readonly bool _warningAsDebug;
        private bool _lineOpen;
        private bool _textWritten;

        public ChatOutput(PSCmdlet cmdlet, PipelineEventQueue queue)
        {
            _cmdlet = cmdlet;
            _queue = queue;
            _verbose = Preferences.IsShown(cmdlet, "Verbose", "VerbosePreference");
            _debug = Preferences.IsShown(cmdlet, "Debug", "DebugPreference");
            // PowerShell turns a cmdlet's verbose lines into prompts when -Debug is given without -Verbose (even in
            // PowerShell 7, and fatally under -NonInteractive); -Debug shows everything anyway, so they go there.
            var bound = cmdlet.MyInvocation.BoundParameters;
            _verboseAsDebug = _debug && bound.ContainsKey("Debug") && !bound.ContainsKey("Verbose");
            // The same holds for warnings under -Debug, with or without -Verbose, unless -WarningAction says otherwise.
            _warningAsDebug = _debug && bound.ContainsKey("Debug") && !bound.ContainsKey("WarningAction");
        }

        /// <summary>Whether progress lines are shown (as verbose lines, or as debug lines under -Debug alone).</summary>
        public bool ShowsVerbose => _verbose || _verboseAsDebug;

        /// <summary>Whether debug lines are shown.</summary>
        public bool ShowsDebug => _debug;

        public void WriteVerbose(string message)
        {
            if (_verboseAsDebug)
            {
                EndLine();
                _cmdlet.WriteDebug(message);
            }
            else if (_verbose)
            {
                EndLine();
                _cmdlet.WriteVerbose(message);
            }
        }

        public void WriteDebug(string message)
        {
            if (!_debug) return;
            EndLine();
            _cmdlet.WriteDebug(message);
        }

        public void WriteWarning(string message)
        {
            EndLine();
            // Under -Debug PowerShell would prompt for the warning (fatal under -NonInteractive); unless -WarningAction
            // says otherwise it joins the debug lines, which show everything.
            if (_warningAsDebug) _cmdlet.WriteDebug("WARNING: " + message);
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

        /// <summary>Streamed text, as Write-Host -NoNewline writes it: shown in the console, redirectable with 6>.</summary>
        public void WriteText(string text)
        {
            if (text.Length == 0) return;
            _cmdlet.WriteInformation(new HostInformationMessage { Message = text, NoNewLine = true }, HostTags);
            _lineOpen = true;
            _textWritten = true;
        }

        /// <summary>
        /// Whether streamed text went to the console since the last call (then resets): not when -InformationAction
        /// hides it, since the answer would then be shown nowhere. A 6> redirection cannot be seen from here.
        /// </summary>
        public bool TakeTextShown()
        {
            bool written = _textWritten;
            _textWritten = false;
            if (!written) return false;
            if (_cmdlet.MyInvocation.BoundParameters.TryGetValue("InformationAction", out object? bound))
            {
                if (bound is PSObject wrapped) bound = wrapped.BaseObject;
                if (bound is ActionPreference action && (action == ActionPreference.Ignore || action == ActionPreference.SilentlyContinue)) return false;
            }
            return true;
        }

        /// <summary>Ends a streamed line, so what follows starts on a line of its own.</summary>
        public void EndLine()
        {
            if (!_lineOpen) return;
            _lineOpen = false;
            _cmdlet.WriteInformation(new HostInformationMessage { Message = string.Empty, NoNewLine = false }, HostTags);
        }

        // Worker threads: queue the write; skip reports nobody would see, since each queued report wakes the pipeline thread.
        void IChatObserver.OnText(string text) => _queue.PostText(text, (_, batch) => WriteText(batch));

        void IChatObserver.OnVerbose(string message)
        {
            if (_verbose || _verboseAsDebug) _queue.Post(_ => WriteVerbose(message));
        }

        void IChatObserver.OnDebug(string message)
        {
            if (_debug) _queue.Post(_ => WriteDebug(message));
        }

        void IChatObserver.OnWarning(string message) => _queue.Post(_ => WriteWarning(message));
    }
}
