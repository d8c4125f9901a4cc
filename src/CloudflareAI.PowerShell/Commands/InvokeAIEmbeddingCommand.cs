using System;
using System.Collections;
using System.Management.Automation;
using System.Security;
using System.Threading;

namespace CloudflareAI.Commands
{
    /// <summary>
    /// Invoke-AIEmbedding: turns texts into vectors through a provider alias (POST {base}/embeddings). Piped texts are
    /// gathered into requests of -BatchSize; the answers come back as one Embedding per text, in input order. The class
    /// only binds: the options go into the core's <see cref="EmbeddingSettings"/>, and <see cref="EmbeddingRun"/> sends.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "AIEmbedding", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(Embedding))]
    public sealed class InvokeAIEmbeddingCommand : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly EmbeddingSettings _settings = new EmbeddingSettings();
        private EmbeddingRun? _run;
        private Hashtable? _header;

        /// <summary>The texts to embed; each string piped in is one text.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true), AllowEmptyString]
        public string[] Text { get; set; } = new string[0];

        /// <summary>The alias to use; without it the first available one.</summary>
        [Parameter, ArgumentCompleter(typeof(ProviderNameCompleter)), ValidateNotNullOrEmpty]
        public string? Provider { get => _settings.Endpoint.Provider; set => _settings.Endpoint.Provider = value; }

        /// <summary>The embedding model, sent verbatim; defaults to the alias's default embedding model.</summary>
        [Parameter, ArgumentCompleter(typeof(ModelNameCompleter)), ValidateNotNullOrEmpty]
        public string? Model { get => _settings.Endpoint.Model; set => _settings.Endpoint.Model = value; }

        /// <summary>The vector length to ask for (models that can shorten their vectors); not sent unless set.</summary>
        [Parameter, ValidateRange(1, 65536)]
        public int Dimensions { get => _settings.Dimensions ?? 0; set => _settings.Dimensions = value; }

        /// <summary>How many texts go in one request.</summary>
        [Parameter, ValidateRange(1, 2048)]
        public int BatchSize { get => _settings.BatchSize; set => _settings.BatchSize = value; }

        /// <summary>How many requests may be in flight at once.</summary>
        [Parameter, ValidateRange(1, 256)]
        public int ThrottleLimit { get => _settings.ThrottleLimit; set => _settings.ThrottleLimit = value; }

        /// <summary>Paces the requests to at most this many a minute.</summary>
        [Parameter, ValidateRange(1, 1000000)]
        public int RequestsPerMinute { get => _settings.RequestsPerMinute ?? 0; set => _settings.RequestsPerMinute = value; }

        /// <summary>Seconds each attempt may take.</summary>
        [Parameter, ValidateRange(1, 86400)]
        public int TimeoutSec { get => _settings.TimeoutSec; set => _settings.TimeoutSec = value; }

        /// <summary>Retries after a retryable failure.</summary>
        [Parameter, ValidateRange(0, 10)]
        public int MaxRetries { get => _settings.MaxRetries; set => _settings.MaxRetries = value; }

        /// <summary>The largest answer read, in MiB.</summary>
        [Parameter, ValidateRange(1, 2047)]
        public int MaxResponseMB { get => _settings.MaxResponseMB; set => _settings.MaxResponseMB = value; }

        /// <summary>Replaces the alias's base URL; a template.</summary>
        [Parameter, ValidateNotNullOrEmpty]
        public string? BaseUrl { get => _settings.Endpoint.BaseUrl; set => _settings.Endpoint.BaseUrl = value; }

        /// <summary>Extra request headers; values are templates.</summary>
        [Parameter]
        public Hashtable? Header { get => _header; set => _settings.Endpoint.Headers = HeaderValues.Read(_header = value); }

        /// <summary>The token, instead of the alias's variable.</summary>
        [Parameter]
        public SecureString? ApiKey { get => _settings.ApiKey; set => _settings.ApiKey = value; }

        /// <inheritdoc/>
        protected override void BeginProcessing()
        {
            _run = new EmbeddingRun(this, _settings, _stop.Token);
            try
            {
                _run.Begin();
            }
            catch (CloudflareAIException e)
            {
                ThrowTerminatingError(ErrorRecords.From(e));
            }
        }

        /// <inheritdoc/>
        protected override void ProcessRecord() => _run!.Add(Text ?? new string[0]);

        /// <inheritdoc/>
        protected override void EndProcessing() => _run?.End();

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
            _run?.Dispose();
        }
    }
}
