namespace CloudflareAI.PowerShell
{
    /// <summary>
    /// The worker side of the bridge: what the core reports from its threads is queued, unchanged and in order, and run on
    /// the pipeline thread against the pipeline side. It filters nothing: the core builds only the lines the
    /// <see cref="WriteGate"/> lets through (<see cref="ChatCallOptions.ReportVerbose"/>, <see cref="ChatCallOptions.ReportDebug"/>).
    /// </summary>
    internal sealed class QueuedChatObserver : IChatObserver
    {
        private readonly PipelineWriteQueue _queue;
        private readonly IChatObserver _pipelineSide;

        /// <param name="queue">The queue whose writeText ends in <paramref name="pipelineSide"/>'s OnText.</param>
        /// <param name="pipelineSide">Called on the pipeline thread only.</param>
        public QueuedChatObserver(PipelineWriteQueue queue, IChatObserver pipelineSide)
        {
            _queue = queue;
            _pipelineSide = pipelineSide;
        }

        public void OnText(string text) => _queue.PostText(text);

        public void OnVerbose(string message) => _queue.Post(() => _pipelineSide.OnVerbose(message));

        public void OnDebug(string message) => _queue.Post(() => _pipelineSide.OnDebug(message));

        public void OnWarning(string message) => _queue.Post(() => _pipelineSide.OnWarning(message));
    }
}
