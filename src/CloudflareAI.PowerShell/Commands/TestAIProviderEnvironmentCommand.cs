using System.Collections.Generic;
using System.Management.Automation;
using CloudflareAI.Aliases;
using CloudflareAI.Environment;

namespace CloudflareAI.Commands
{
    /// <summary>
    /// Test-AIProviderEnvironment: the preflight. Says, before any network call, which variables an alias is missing or
    /// cannot use and how to fix each; with -Quiet, one Boolean for every alias named.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "AIProviderEnvironment")]
    [OutputType(typeof(ProviderEnvironmentResult))]
    [OutputType(typeof(bool))]
    public sealed class TestAIProviderEnvironmentCommand : PSCmdlet
    {
        private bool _allReady = true;
        private bool _anyTested;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ProviderNameCompleter))]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Name { get; set; } = new string[0];

        [Parameter]
        public SwitchParameter Quiet { get; set; }

        protected override void ProcessRecord()
        {
            var notFound = new List<string>();
            var invalidPatterns = new List<ErrorRecord>();
            foreach (var definition in AliasSelection.Select(Name, notFound, invalidPatterns))
            {
                var result = ProviderEnvironmentInspector.Inspect(definition, ProcessEnvironmentReader.Instance);
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

        protected override void EndProcessing()
        {
            if (Quiet) WriteObject(_allReady && _anyTested);
        }
    }
}
