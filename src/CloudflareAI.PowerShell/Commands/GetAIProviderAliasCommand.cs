using System.Collections.Generic;
using System.Management.Automation;

namespace CloudflareAI.Commands
{
    /// <summary>Get-AIProviderAlias: lists the named provider aliases and whether each is usable now.</summary>
    [Cmdlet(VerbsCommon.Get, "AIProviderAlias")]
    [OutputType(typeof(ProviderAlias))]
    public sealed class GetAIProviderAliasCommand : PSCmdlet
    {
        /// <summary>Alias names; wildcards allowed.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ProviderNameCompleter))]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        /// <summary>Returns only the aliases that are available now.</summary>
        [Parameter]
        public SwitchParameter Available { get; set; }

        /// <inheritdoc/>
        protected override void BeginProcessing() => UserAliasWarning.WriteOnce(this);

        /// <inheritdoc/>
        protected override void ProcessRecord()
        {
            var notFound = new List<string>();
            var invalidPatterns = new List<ErrorRecord>();
            foreach (var definition in AliasSelection.Select(Name, notFound, invalidPatterns))
            {
                var alias = ProviderEnvironmentInspector.GetAliasInfo(definition, ProcessEnvironmentReader.Instance);
                if (Available && !alias.IsAvailable) continue;
                WriteObject(alias);
            }
            foreach (var record in invalidPatterns) WriteError(record);
            foreach (var name in notFound) WriteError(AliasSelection.NotFound(name));
        }
    }
}
