using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace CloudflareAI.Commands
{
    /// <summary>
    /// Test-AIProviderEnvironment: the preflight. Says, before any network call, which variables an alias is missing or
    /// cannot use and how to fix each; with -Online, also asks the host whether it accepts the token (and, for
    /// Cloudflare, the account, the gateway and the default model); with -Quiet, one Boolean for every alias named.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "AIProviderEnvironment")]
    [OutputType(typeof(ProviderEnvironmentResult))]
    [OutputType(typeof(bool))]
    public sealed class TestAIProviderEnvironmentCommand : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly PipelineWriteQueue _queue = new PipelineWriteQueue();
        private bool _allReady = true;
        private bool _anyTested;

        /// <summary>Alias names; wildcards allowed.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ProviderNameCompleter))]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Name { get; set; } = new string[0];

        /// <summary>Returns one Boolean: true when every alias named is ready.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        /// <summary>Also checks each alias against its host.</summary>
        [Parameter]
        public SwitchParameter Online { get; set; }

        /// <summary>Seconds each online check may take.</summary>
        [Parameter]
        [ValidateRange(1, 86400)]
        public int TimeoutSec { get; set; } = 10;

        /// <summary>Replaces the alias's base URL for the checks; a template.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? BaseUrl { get; set; }

        /// <inheritdoc/>
        protected override void BeginProcessing()
        {
            UserAliasWarning.WriteOnce(this);
            if (Online) return;
            var onlineOnly = new List<string>();
            if (MyInvocation.BoundParameters.ContainsKey(nameof(BaseUrl))) onlineOnly.Add("-" + nameof(BaseUrl));
            if (MyInvocation.BoundParameters.ContainsKey(nameof(TimeoutSec))) onlineOnly.Add("-" + nameof(TimeoutSec));
            if (onlineOnly.Count == 0) return;
            string names = string.Join(" and ", onlineOnly);
            // Without -Online nothing is sent, so these would be silently ignored: say so instead.
            ThrowTerminatingError(ErrorRecords.From(new CloudflareAIException(ErrorIds.ParameterInvalid, ErrorKind.InvalidArgument,
                $"{names} {(onlineOnly.Count == 1 ? "applies" : "apply")} only to the network checks of -Online; without -Online nothing is sent.",
                $"Add -Online to check the host too, for example: Test-AIProviderEnvironment {(Name.Length > 0 ? Name[0] : "<alias>")} -Online {names.Replace(" and ", " ... ")} ...; " +
                $"or remove {names}.")
            { Target = names }));
        }

        /// <inheritdoc/>
        protected override void ProcessRecord()
        {
            var notFound = new List<string>();
            var invalidPatterns = new List<ErrorRecord>();
            foreach (var definition in AliasSelection.Select(Name, notFound, invalidPatterns))
            {
                var result = ProviderEnvironmentInspector.Inspect(definition, ProcessEnvironmentReader.Instance);
                if (Online && result.IsReady) result = CheckOnline(definition, result);
                _anyTested = true;
                if (!result.IsReady) _allReady = false;
                if (!Quiet) WriteObject(result);
            }

            if (invalidPatterns.Count > 0)
            {
                // Like an unknown name: with -Quiet the answer is simply $false.
                _allReady = false;
                if (!Quiet)
                {
                    foreach (var record in invalidPatterns) WriteError(record);
                }
            }

            if (notFound.Count > 0)
            {
                // With -Quiet an unknown name is simply "not ready", like Test-Path -Quiet answers $false.
                _allReady = false;
                if (!Quiet)
                {
                    foreach (var name in notFound) WriteError(AliasSelection.NotFound(name));
                }
            }
        }

        /// <inheritdoc/>
        protected override void EndProcessing()
        {
            if (Quiet) WriteObject(_allReady && _anyTested);
        }

        /// <inheritdoc/>
        protected override void StopProcessing()
        {
            _stop.Cancel();
        }

        /// <summary>Cancels any check still running and releases what the call holds.</summary>
        public void Dispose()
        {
            try
            {
                _stop.Cancel();
            }
            catch (AggregateException)
            {
                // A cancellation callback failed; the checks are cancelled all the same.
            }
            _stop.Dispose();
            _queue.Dispose();
        }

        private ProviderEnvironmentResult CheckOnline(ProviderAliasDefinition definition, ProviderEnvironmentResult offline)
        {
            var options = new OnlineCheckOptions
            {
                Timeout = TimeSpan.FromSeconds(TimeoutSec),
                BaseUrl = BaseUrl,
            };
            // Lines nobody will see are not built at all; those that are come back to this thread to be written.
            Action<string>? verbose = null;
            if (PreferenceCheck.WouldWriteVerbose(this)) verbose = line => _queue.Post(() => WriteVerbose(line));

            Task<ProviderEnvironmentResult> task = _queue.Start(() =>
                OnlineEnvironmentChecker.CheckAsync(definition, offline, ProcessEnvironmentReader.Instance, options, verbose, _stop.Token), onWorker: true);
            if (!_queue.Await(task, _stop.Token) || (task.IsCanceled && _stop.IsCancellationRequested)) throw new PipelineStoppedException();
            // Every failure the checks meet is a failed check; an exception here is a bug and should show as one.
            return task.GetAwaiter().GetResult();
        }
    }
}
