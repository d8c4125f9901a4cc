namespace CloudflareAI.PowerShell
{
    /// <summary>
    /// The one decision, made once per call, of which of a cmdlet's lines are shown and where. The core builds no line
    /// this says nobody sees, and <see cref="ChatHostWriter"/> routes each line by it.
    /// </summary>
    internal sealed class WriteGate
    {
        /// <param name="verbose">Whether WriteVerbose would show anything.</param>
        /// <param name="debug">Whether WriteDebug would show anything.</param>
        /// <param name="debugGiven">-Debug was given on the command line.</param>
        /// <param name="verboseGiven">-Verbose was given on the command line.</param>
        /// <param name="warningActionGiven">-WarningAction was given on the command line.</param>
        /// <param name="textHidden">-InformationAction hides the streamed text (Ignore or SilentlyContinue).</param>
        public WriteGate(bool verbose, bool debug, bool debugGiven = false, bool verboseGiven = false, bool warningActionGiven = false, bool textHidden = false)
        {
            Verbose = verbose;
            Debug = debug;
            // A compiled cmdlet's verbose lines become prompts when -Debug is given without -Verbose (also in PowerShell 7,
            // and fatally under -NonInteractive); -Debug shows everything anyway, so they go there instead.
            VerboseAsDebug = debug && debugGiven && !verboseGiven;
            // Warnings under -Debug prompt the same way, with or without -Verbose, unless -WarningAction says otherwise.
            WarningAsDebug = debug && debugGiven && !warningActionGiven;
            TextHidden = textHidden;
        }

        /// <summary>Verbose lines are written as verbose lines.</summary>
        public bool Verbose { get; }

        /// <summary>Debug lines are written.</summary>
        public bool Debug { get; }

        /// <summary>Verbose lines are written as debug lines (-Debug alone).</summary>
        public bool VerboseAsDebug { get; }

        /// <summary>Warnings are written as debug lines starting "WARNING: " (-Debug without -WarningAction).</summary>
        public bool WarningAsDebug { get; }

        /// <summary>Progress lines are shown somewhere, so they are worth building.</summary>
        public bool ShowsVerbose => Verbose || VerboseAsDebug;

        /// <summary>Streamed text goes nowhere: the answer must then be shown as an object.</summary>
        public bool TextHidden { get; }
    }
}
