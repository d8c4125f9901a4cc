using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Security;
using System.Threading;
using System.Threading.Tasks;

namespace CloudflareAI.Commands
{
    /// <summary>
    /// Get-AIModel: the live model catalog of a provider alias (Workers AI's models search, every page, or a host's
    /// /models), cached in the process for an hour. The catalog is read once, in BeginProcessing; -Name values from the
    /// pipeline are matched against it.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "AIModel")]
    [OutputType(typeof(ModelInfo))]
    public sealed class GetAIModelCommand : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly PipelineWriteQueue _queue = new PipelineWriteQueue();
        private readonly HashSet<string> _written = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private IReadOnlyList<ModelInfo>? _catalog;

        /// <summary>Model names to list; wildcards allowed.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        [ArgumentCompleter(typeof(ModelNameCompleter))]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        /// <summary>The alias whose catalog to read.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(ProviderNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string? Provider { get; set; }

        /// <summary>The catalog task to list; * lists every task.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Task { get; set; } = ModelCatalog.TextGeneration;

        /// <summary>Keeps only the models that have every capability listed.</summary>
        [Parameter]
        [ValidateSet("FunctionCalling", "Reasoning", "Vision", "Lora", "AsyncQueue", "Beta", IgnoreCase = true)]
        public string[]? Capability { get; set; }

        /// <summary>Also lists retired models.</summary>
        [Parameter]
        public SwitchParameter IncludeDeprecated { get; set; }

        /// <summary>Reads the catalog from the host even when it is cached.</summary>
        [Parameter]
        public SwitchParameter Refresh { get; set; }

        /// <summary>Seconds each request may take.</summary>
        [Parameter]
        [ValidateRange(1, 86400)]
        public int TimeoutSec { get; set; } = 30;

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
            UserAliasWarning.WriteOnce(this);
            string? apiKey = ApiKey == null ? null : new NetworkCredential(string.Empty, ApiKey).Password;
            bool verbose = PreferenceCheck.WouldWriteVerbose(this);
            ResolvedEndpoint resolved;
            try
            {
                resolved = EndpointResolver.Resolve(new EndpointOverrides
                {
                    Provider = Provider,
                    BaseUrl = BaseUrl,
                    Headers = HeaderValues.Read(Header),
                    ApiKey = apiKey,
                    RequireModel = false,
                }, ProcessEnvironmentReader.Instance);
            }
            catch (CloudflareAIException e)
            {
                ThrowTerminatingError(ErrorRecords.From(e));
                return;
            }
            if (resolved.AutoSelected) WriteVerbose($"No -Provider given: using '{resolved.Alias.Name}', the first available alias in the auto-selection order.");
            foreach (string warning in resolved.Warnings) WriteWarning(warning);

            string? task = Task == "*" ? null : Task;
            if (!resolved.Alias.IsCloudflare && MyInvocation.BoundParameters.ContainsKey(nameof(Task)) && verbose)
            {
                WriteVerbose($"{resolved.Alias.Name} lists its models without tasks: -Task is not used.");
            }
            var options = new ApiGetOptions
            {
                Timeout = TimeSpan.FromSeconds(TimeoutSec),
                Verbose = verbose ? line => _queue.Post(() => WriteVerbose(line)) : (Action<string>?)null,
            };

            Task<ModelCatalogResult> work = _queue.Start(() => ModelCatalog.Shared.ListAsync(
                resolved, apiKey, ProcessEnvironmentReader.Instance, task, Refresh, options, _stop.Token), onWorker: true);
            if (!_queue.Await(work, _stop.Token)) throw new PipelineStoppedException();

            if (work.Status == TaskStatus.RanToCompletion)
            {
                _catalog = work.Result.Models;
                return;
            }
            Exception? error = work.Exception?.GetBaseException();
            if ((work.IsCanceled || error is OperationCanceledException) && _stop.IsCancellationRequested) throw new PipelineStoppedException();
            if (error is ChatException || error is CloudflareAIException { ErrorId: ErrorIds.ModelListUnavailable })
            {
                // The request failed: one error, no output, as for one failed chat item.
                WriteError(ErrorRecords.From((CloudflareAIException)error, resolved.Alias.Name));
                return;
            }
            if (error is CloudflareAIException setup) ThrowTerminatingError(ErrorRecords.From(setup));
            throw error ?? new InvalidOperationException("The catalog could not be read.");
        }

        /// <inheritdoc/>
        protected override void ProcessRecord()
        {
            if (_catalog == null) return;
            IEnumerable<ModelInfo> usable = _catalog.Where(HasCapabilities);
            if (Name == null)
            {
                foreach (ModelInfo model in usable) Write(model, exact: false);
                return;
            }
            foreach (string name in Name)
            {
                if (WildcardPattern.ContainsWildcardCharacters(name))
                {
                    var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
                    foreach (ModelInfo model in usable.Where(m => pattern.IsMatch(m.Name))) Write(model, exact: false);
                    continue;
                }
                ModelInfo? found = _catalog.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
                if (found == null)
                {
                    WriteError(ErrorRecords.From(ModelNotFound.For(name, _catalog, Task), name));
                    continue;
                }
                // An exact name is shown even when deprecated: the user asked about that model.
                if (HasCapabilities(found)) Write(found, exact: true);
            }
        }

        /// <inheritdoc/>
        protected override void StopProcessing() => _stop.Cancel();

        /// <summary>Releases the cancellation source and the write queue.</summary>
        public void Dispose()
        {
            _stop.Dispose();
            _queue.Dispose();
        }

        private void Write(ModelInfo model, bool exact)
        {
            if (model.IsDeprecated && !exact && !IncludeDeprecated) return;
            if (_written.Add(model.Name)) WriteObject(model);
        }

        private bool HasCapabilities(ModelInfo model) =>
            Capability == null || Capability.All(c => model.Capabilities.Contains(c, StringComparer.OrdinalIgnoreCase));
    }
}
