using System;
using System.Net;
using System.Security;

namespace CloudflareAI.Embeddings
{
    /// <summary>
    /// What one Invoke-AIEmbedding call asks for, as bound: every option null (or its default) unless given. It turns
    /// them into what the core takes: the endpoint overrides (with the default embedding model), the batch, the call
    /// options and the batcher that gathers the texts into requests.
    /// </summary>
    internal sealed class EmbeddingSettings : CallSettings
    {
        /// <summary>-Provider, -Model, -BaseUrl and -Header, for <see cref="EndpointResolver"/>.</summary>
        public EndpointOverrides Endpoint { get; } = new EndpointOverrides { ForEmbeddings = true };

        /// <summary>-Dimensions; not sent when null.</summary>
        public int? Dimensions { get; set; }

        /// <summary>-BatchSize: texts in one request.</summary>
        public int BatchSize { get; set; } = 100;

        /// <summary>The user's overrides of the alias, for <see cref="EndpointResolver"/>, with -ApiKey as text.</summary>
        public EndpointOverrides Overrides()
        {
            Endpoint.ApiKey = ApiKey == null ? null : new NetworkCredential(string.Empty, ApiKey).Password;
            return Endpoint;
        }

        /// <summary>The scheduler every request of this call goes through: -ThrottleLimit places at -RequestsPerMinute.</summary>
        public BatchScheduler Batch(Action<string>? report) => new BatchScheduler(ThrottleLimit, RequestsPerMinute, report: report);

        /// <summary>The limits of each request; lines nobody will see are not built at all.</summary>
        public ChatCallOptions CallOptions(IAttemptScheduler scheduler, bool reportVerbose, bool reportDebug) => new ChatCallOptions
        {
            Timeout = TimeSpan.FromSeconds(TimeoutSec),
            MaxRetries = MaxRetries,
            MaxResponseBytes = MaxResponseMB * 1024L * 1024L,
            ReportVerbose = reportVerbose,
            ReportDebug = reportDebug,
            Scheduler = scheduler,
        };

        /// <summary>Gathers the call's texts into requests for <paramref name="model"/>.</summary>
        public EmbeddingBatcher Batcher(string model) => new EmbeddingBatcher(model, BatchSize, Dimensions);
    }
}
