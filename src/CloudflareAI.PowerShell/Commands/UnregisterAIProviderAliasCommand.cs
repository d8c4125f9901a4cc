using System.Management.Automation;

namespace CloudflareAI.Commands
{
    /// <summary>Unregister-AIProviderAlias: removes entries from the user's providers file (a user alias, or a built-in's override).</summary>
    [Cmdlet(VerbsLifecycle.Unregister, "AIProviderAlias", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(void))]
    public sealed class UnregisterAIProviderAliasCommand : PSCmdlet
    {
        /// <summary>The names of the entries to remove.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(UserAliasNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[] Name { get; set; } = new string[0];

        /// <inheritdoc/>
        protected override void BeginProcessing() => UserAliasWarning.WriteOnce(this);

        /// <inheritdoc/>
        protected override void ProcessRecord()
        {
            foreach (string name in Name)
            {
                try
                {
                    string path = UserAliasFile.Path();
                    if (!ShouldProcess($"{name} ({path})", "Unregister provider alias")) continue;
                    UserAliasRegistration.Unregister(path, name);
                    WriteVerbose($"Removed '{name}' from {path}.");
                }
                catch (CloudflareAIException e)
                {
                    WriteError(ErrorRecords.From(e, name));
                }
            }
        }
    }
}
