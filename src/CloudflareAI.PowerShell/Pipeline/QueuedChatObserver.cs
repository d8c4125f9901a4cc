namespace CloudflareAI.PowerShell
{
    /// <summary>
    /// The worker side of the bridge: what the core reports from its threads is queued, unchanged and in order, and run on
    /// the pipeline thread against the pipeline side. It filters nothing: the core builds only the lines the
    /// <see cref="WriteGate"/> lets through (<see cref="ChatCallOptions.ReportVerbose"/>, <see cref="ChatCallOptions.ReportDebug"/>).
    /// </summary>
    internal sealed class QueuedChatObserver : IChatObserver, IReasoningObserver
    {
        private readonly PipelineWriteQueue _queue;
        private readonly IChatObserver _pipelineSide;
        private readonly IReasoningObserver? _reasoningSide;

        /// <param name="queue">The queue whose writeText ends in <paramref name="pipelineSide"/>'s OnText.</param>
        /// <param name="pipelineSide">Called on the pipeline thread only; its reasoning too, when it shows reasoning.</param>
        public QueuedChatObserver(PipelineWriteQueue queue, IChatObserver pipelineSide)
        {
            _queue = queue;
            _pipelineSide = pipelineSide;
            _reasoningSide = pipelineSide as IReasoningObserver;
        }

        /// <summary>Read on the worker when the call starts; set before it, on the pipeline thread.</summary>
        public bool ShowsReasoning => _reasoningSide != null && _reasoningSide.ShowsReasoning;

        // A queued write like a verbose line: it closes the open text batch first, so reasoning and answer keep their order.
        public void OnReasoning(string text) => _queue.Post(() => _reasoningSide!.OnReasoning(text));

        public void OnText(string text) => _queue.PostText(text);

        public void OnVerbose(string message) => _queue.Post(() => _pipelineSide.OnVerbose(message));

        public void OnDebug(string message) => _queue.Post(() => _pipelineSide.OnDebug(message));

        public void OnWarning(string message) => _queue.Post(() => _pipelineSide.OnWarning(message));
    }
}
