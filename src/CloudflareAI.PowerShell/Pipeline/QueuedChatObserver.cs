using System.Text;

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
        private readonly object _reasoningLock = new object();
        private StringBuilder? _openReasoning;

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

        /// <summary>
        /// Reasoning pieces that arrive before the pipeline thread gets to them are written as one: a queued write, like a
        /// verbose line (so it closes the open text batch first), that takes whatever its batch holds when it runs. Any
        /// other report closes the batch, so a later piece goes in a new write after that report, and the order holds.
        /// </summary>
        public void OnReasoning(string text)
        {
            StringBuilder? batch;
            lock (_reasoningLock)
            {
                if (_openReasoning != null)
                {
                    _openReasoning.Append(text);
                    return;
                }
                batch = _openReasoning = new StringBuilder(text);
            }
            _queue.Post(() => _reasoningSide!.OnReasoning(TakeReasoning(batch)));
        }

        public void OnText(string text)
        {
            CloseReasoning();
            _queue.PostText(text);
        }

        public void OnVerbose(string message)
        {
            CloseReasoning();
            _queue.Post(() => _pipelineSide.OnVerbose(message));
        }

        public void OnDebug(string message)
        {
            CloseReasoning();
            _queue.Post(() => _pipelineSide.OnDebug(message));
        }

        public void OnWarning(string message)
        {
            CloseReasoning();
            _queue.Post(() => _pipelineSide.OnWarning(message));
        }

        private string TakeReasoning(StringBuilder batch)
        {
            lock (_reasoningLock)
            {
                if (ReferenceEquals(_openReasoning, batch)) _openReasoning = null;
                return batch.ToString();
            }
        }

        private void CloseReasoning()
        {
            if (_openReasoning == null) return;
            lock (_reasoningLock) _openReasoning = null;
        }
    }
}
