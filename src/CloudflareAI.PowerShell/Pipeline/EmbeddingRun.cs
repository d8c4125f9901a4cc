using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace CloudflareAI.PowerShell
{
    /// <summary>
    /// One Invoke-AIEmbedding call, from BeginProcessing to the end: the endpoint resolved once, the bridge (queue,
    /// worker-side observer, pipeline-side writer), the batch, the batcher, and the requests in flight, whose embeddings
    /// are written in input order. Everything here runs on the pipeline thread.
    /// </summary>
    internal sealed class EmbeddingRun : IDisposable
    {
        private readonly PSCmdlet _cmdlet;
        private readonly EmbeddingSettings _settings;
        private readonly CancellationToken _stop;
        private readonly PipelineWriteQueue _queue;
        private readonly ChatHostWriter _host;
        private readonly QueuedChatObserver _observer;
        private readonly List<Pending> _pending = new List<Pending>();
        private ResolvedEndpoint? _resolved;
        private BatchScheduler? _batch;
        private ChatCallOptions? _options;
        private EmbeddingBatcher? _batcher;
        private string _displayUrl = string.Empty;

        public EmbeddingRun(PSCmdlet cmdlet, EmbeddingSettings settings, CancellationToken stop)
        {
            _cmdlet = cmdlet;
            _settings = settings;
            _stop = stop;
            _host = new ChatHostWriter(cmdlet, PreferenceCheck.Gate(cmdlet));
            _queue = new PipelineWriteQueue(_host.WriteText);
            _observer = new QueuedChatObserver(_queue, _host);
        }

        /// <summary>Resolves the endpoint (with the alias's default embedding model) and writes what setting up found.</summary>
        /// <exception cref="CloudflareAIException">Anything that stops the whole call before a request.</exception>
        public void Begin()
        {
            var resolved = _resolved = EndpointResolver.Resolve(_settings.Overrides(), ProcessEnvironmentReader.Instance);
            bool verbose = _host.Gate.ShowsVerbose;
            _displayUrl = resolved.DisplayUrlOf(EmbeddingClient.EmbeddingsUrl(resolved.Endpoint));
            if (resolved.AutoSelected) _host.WriteVerbose($"No -Provider given: using '{resolved.Alias.Name}', the first available alias in the auto-selection order.");
            if (verbose) _host.WriteVerbose($"Alias {resolved.Alias.Name}, model {resolved.Model}, {_settings.BatchSize} text(s) a request to {_displayUrl}.");
            foreach (var warning in resolved.Warnings) _host.WriteWarning(warning);
            var batch = _batch = _settings.Batch(verbose ? _observer.OnVerbose : (Action<string>?)null);
            batch.Changed += _queue.Wake;
            if (verbose && (batch.ThrottleLimit > 1 || batch.Burst > 0)) _host.WriteVerbose(batch.Description);
            foreach (var warning in ModelAdvice.ForCachedModel(ModelCatalog.Shared, resolved, ProcessEnvironmentReader.Instance)) _host.WriteWarning(warning);
            _options = _settings.CallOptions(batch, verbose, _host.Gate.Debug);
            _batcher = _settings.Batcher(resolved.Model);
        }

        /// <summary>Takes the texts of one pipeline record; each request they fill is sent.</summary>
        public void Add(IEnumerable<string> texts)
        {
            foreach (string text in texts)
            {
                EmbeddingRequest? full;
                try
                {
                    full = _batcher!.Add(text);
                }
                catch (CloudflareAIException e)
                {
                    // Only this text is refused; the others go on.
                    _host.WriteError(ErrorRecords.From(e, text));
                    continue;
                }
                if (full != null) Send(full);
            }
        }

        /// <summary>Sends what is left, waits for every request and writes what is left.</summary>
        public void End()
        {
            EmbeddingRequest? last = _batcher?.Flush();
            if (last != null) Send(last);
            while (_pending.Count > 0)
            {
                Wait(() => _pending[0].Task.IsCompleted);
                WriteFinished();
            }
            _queue.RunPending();
        }

        public void Dispose() => _queue.Dispose();

        private void Send(EmbeddingRequest request)
        {
            var resolved = _resolved!;
            if (!_cmdlet.ShouldProcess(resolved.Target, $"POST {_displayUrl} ({request.Texts.Count} text(s) from input {request.FirstIndex})")) return;

            var options = _options!;
            var task = _queue.Start(() => EmbeddingClient.Shared.SendAsync(resolved.Endpoint, request, options, _observer, resolved.Alias.DefaultEmbeddingModel, _stop),
                onWorker: false);
            _pending.Add(new Pending(task, request));

            // The scheduler keeps ThrottleLimit requests in flight; embeddings wait in input order behind an earlier request.
            WriteFinished();
            while (!CanStartAnother())
            {
                Wait(() => CanStartAnother() || (_pending.Count > 0 && _pending[0].Task.IsCompleted));
                WriteFinished();
            }
        }

        private void Wait(Func<bool> done)
        {
            if (!_queue.RunUntil(done, _stop)) throw new PipelineStoppedException();
        }

        private bool CanStartAnother()
        {
            int held = 0;
            foreach (var pending in _pending) if (pending.Task.IsCompleted) held++;
            return _batch!.CanAdmit(held, _pending.Count);
        }

        private void WriteFinished()
        {
            _queue.RunPending();
            while (_pending.Count > 0 && _pending[0].Task.IsCompleted)
            {
                var done = _pending[0];
                _pending.RemoveAt(0);
                var task = done.Task;
                if (task.Status == TaskStatus.RanToCompletion)
                {
                    foreach (var embedding in task.Result) _host.WriteObject(embedding);
                    continue;
                }

                var error = task.Exception?.GetBaseException();
                if ((task.IsCanceled || error is OperationCanceledException) && _stop.IsCancellationRequested) throw new PipelineStoppedException();
                // One failed request: its texts get no vectors, and its error holds them; the other requests go on.
                var known = error as CloudflareAIException ?? UnexpectedFailure.From(error, _resolved!.Endpoint.Redactor);
                _host.WriteError(ErrorRecords.From(known, done.Request.Texts));
            }
        }

        private sealed class Pending
        {
            public Pending(Task<IReadOnlyList<Embedding>> task, EmbeddingRequest request)
            {
                Task = task;
                Request = request;
            }

            public Task<IReadOnlyList<Embedding>> Task { get; }

            public EmbeddingRequest Request { get; }
        }
    }
}
