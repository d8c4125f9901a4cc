using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Net;
using System.Security;
using System.Threading;
using System.Threading.Tasks;

namespace CloudflareAI.Commands
{
    /// <summary>
    /// Invoke-AIEmbedding: turns texts into vectors through a provider alias (POST {base}/embeddings). Piped texts are
    /// gathered into requests of -BatchSize; the answers come back as one Embedding per text, in input order.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "AIEmbedding", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(Embedding))]
    public sealed class InvokeAIEmbeddingCommand : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly PipelineEventQueue _events = new PipelineEventQueue();
        private readonly List<PendingBatch> _pending = new List<PendingBatch>();
        private ResolvedEndpoint? _resolved;
        private ChatOutput? _output;
        private BatchScheduler? _batch;
        private EmbeddingBatcher? _batcher;
        private ChatCallOptions _options = new ChatCallOptions();
        private string _displayUrl = string.Empty;

        /// <summary>The texts to embed; each string piped in is one text.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        public string[] Text { get; set; } = new string[0];

        /// <summary>The alias to use; without it the first available one.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(ProviderNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string? Provider { get; set; }

        /// <summary>The embedding model, sent verbatim; defaults to the alias's default embedding model.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(ModelNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string? Model { get; set; }

        /// <summary>The vector length to ask for (models that can shorten their vectors); not sent unless set.</summary>
        [Parameter]
        [ValidateRange(1, 65536)]
        public int Dimensions { get; set; }

        /// <summary>How many texts go in one request.</summary>
        [Parameter]
        [ValidateRange(1, 2048)]
        public int BatchSize { get; set; } = 100;

        /// <summary>How many requests may be in flight at once.</summary>
        [Parameter]
        [ValidateRange(1, 256)]
        public int ThrottleLimit { get; set; } = 1;

        /// <summary>Paces the requests to at most this many a minute.</summary>
        [Parameter]
        [ValidateRange(1, 1000000)]
        public int RequestsPerMinute { get; set; }

        /// <summary>Seconds each attempt may take.</summary>
        [Parameter]
        [ValidateRange(1, 86400)]
        public int TimeoutSec { get; set; } = 300;

        /// <summary>Retries after a retryable failure.</summary>
        [Parameter]
        [ValidateRange(0, 10)]
        public int MaxRetries { get; set; } = 3;

        /// <summary>The largest answer read, in MiB.</summary>
        [Parameter]
        [ValidateRange(1, 2047)]
        public int MaxResponseMB { get; set; } = 32;

        /// <summary>Replaces the alias's base URL; a template.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? BaseUrl { get; set; }

        /// <summary>Extra request headers; values are templates.</summary>
        [Parameter]
        public Hashtable? Header { get; set; }

        /// <summary>The token, instead of the alias's variable.</summary>
        [Parameter]
        public SecureString? ApiKey { get; set; }

        /// <inheritdoc/>
        protected override void BeginProcessing()
        {
            var request = new EndpointOverrides
            {
                Provider = Provider,
                Model = Model,
                BaseUrl = BaseUrl,
                Headers = HeaderValues.Read(Header),
                ApiKey = ApiKey == null ? null : new NetworkCredential(string.Empty, ApiKey).Password,
                ForEmbeddings = true,
            };
            var output = _output = new ChatOutput(this, _events);
            try
            {
                _resolved = EndpointResolver.Resolve(request, ProcessEnvironmentReader.Instance);
            }
            catch (CloudflareAIException e)
            {
                ThrowTerminatingError(ErrorRecords.From(e));
            }

            var resolved = _resolved!;
            _displayUrl = resolved.DisplayUrlOf(EmbeddingClient.EmbeddingsUrl(resolved.Endpoint));
            if (resolved.AutoSelected) output.WriteVerbose($"No -Provider given: using '{resolved.Alias.Name}', the first available alias in the auto-selection order.");
            if (output.ShowsVerbose) output.WriteVerbose($"Alias {resolved.Alias.Name}, model {resolved.Model}, {BatchSize} text(s) a request to {_displayUrl}.");
            foreach (var warning in resolved.Warnings) output.WriteWarning(warning);
            IChatObserver observer = output;
            bool paced = MyInvocation.BoundParameters.ContainsKey(nameof(RequestsPerMinute));
            _batch = new BatchScheduler(ThrottleLimit, paced ? RequestsPerMinute : (int?)null, report: output.ShowsVerbose ? observer.OnVerbose : (Action<string>?)null);
            _batch.Changed += _events.Wake;
            if (output.ShowsVerbose && (ThrottleLimit > 1 || _batch.Burst > 0)) output.WriteVerbose(_batch.Description);
            foreach (var warning in ModelAdvice.ForCachedModel(ModelCatalog.Shared, resolved, ProcessEnvironmentReader.Instance)) output.WriteWarning(warning);
            _batcher = new EmbeddingBatcher(resolved.Model, BatchSize, MyInvocation.BoundParameters.ContainsKey(nameof(Dimensions)) ? Dimensions : (int?)null);
            _options = new ChatCallOptions
            {
                Timeout = TimeSpan.FromSeconds(TimeoutSec),
                MaxRetries = MaxRetries,
                MaxResponseBytes = MaxResponseMB * 1024L * 1024L,
                ReportVerbose = output.ShowsVerbose,
                ReportDebug = output.ShowsDebug,
                Scheduler = _batch,
            };
        }

        /// <inheritdoc/>
        protected override void ProcessRecord()
        {
            foreach (string text in Text ?? new string[0])
            {
                EmbeddingRequest? full;
                try
                {
                    full = _batcher!.Add(text);
                }
                catch (CloudflareAIException e)
                {
                    _output!.WriteError(ErrorRecords.From(e, text));
                    continue;
                }
                if (full != null) Start(full);
            }
        }

        /// <inheritdoc/>
        protected override void EndProcessing()
        {
            EmbeddingRequest? last = _batcher!.Flush();
            if (last != null) Start(last);
            while (_pending.Count > 0)
            {
                _events.Pump(this, _stop.Token, () => _pending[0].Task.IsCompleted);
                CompleteFinished();
            }
            _events.Drain(this);
        }

        /// <inheritdoc/>
        protected override void StopProcessing() => _stop.Cancel();

        /// <summary>Cancels any request still running and releases what the call holds.</summary>
        public void Dispose()
        {
            try
            {
                _stop.Cancel();
            }
            catch (AggregateException)
            {
                // A cancellation callback failed; the requests are cancelled all the same.
            }
            _stop.Dispose();
            _events.Dispose();
        }

        private void Start(EmbeddingRequest request)
        {
            var resolved = _resolved!;
            if (!ShouldProcess(resolved.Target, $"POST {_displayUrl} ({request.Texts.Count} text(s) from input {request.FirstIndex})")) return;

            Task<IReadOnlyList<Embedding>> task = EmbeddingClient.Shared.SendAsync(resolved.Endpoint, request, _options, _output!,
                resolved.Alias.DefaultEmbeddingModel, _stop.Token);
            task.ContinueWith(_ => _events.Wake(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            _pending.Add(new PendingBatch(task, request));

            // The scheduler keeps ThrottleLimit requests in flight; answers wait in input order behind an earlier one.
            CompleteFinished();
            while (!CanStartAnother())
            {
                _events.Pump(this, _stop.Token, () => CanStartAnother() || (_pending.Count > 0 && _pending[0].Task.IsCompleted));
                CompleteFinished();
            }
        }

        private bool CanStartAnother()
        {
            int held = 0;
            foreach (var pending in _pending) if (pending.Task.IsCompleted) held++;
            return _batch!.CanAdmit(held, _pending.Count);
        }

        private void CompleteFinished()
        {
            var output = _output!;
            _events.Drain(this);
            while (_pending.Count > 0 && _pending[0].Task.IsCompleted)
            {
                var done = _pending[0];
                _pending.RemoveAt(0);
                var task = done.Task;
                if (task.Status == TaskStatus.RanToCompletion)
                {
                    foreach (var embedding in task.Result) output.WriteObject(embedding);
                    continue;
                }

                var error = task.Exception?.GetBaseException();
                if ((task.IsCanceled || error is OperationCanceledException) && _stop.IsCancellationRequested) throw new PipelineStoppedException();
                // One failed request: its texts get no vectors; the other requests go on.
                object target = done.Request.Texts;
                output.WriteError(error is CloudflareAIException known
                    ? ErrorRecords.From(known, target)
                    : ErrorRecords.Unexpected(error, _resolved!.Endpoint.Secrets, target));
            }
        }

        private sealed class PendingBatch
        {
            public PendingBatch(Task<IReadOnlyList<Embedding>> task, EmbeddingRequest request)
            {
                Task = task;
                Request = request;
            }

            public Task<IReadOnlyList<Embedding>> Task { get; }

            public EmbeddingRequest Request { get; }
        }
    }
}
