using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Security;

namespace CloudflareAI.Commands
{
    /// <summary>Register-AIProviderAlias: adds an alias to the user's providers file, or overrides a built-in one's fields.</summary>
    [Cmdlet(VerbsLifecycle.Register, "AIProviderAlias", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ProviderAlias))]
    public sealed class RegisterAIProviderAliasCommand : PSCmdlet
    {
        /// <summary>The alias name: lower-case letters, digits and '-'.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ProviderNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = string.Empty;

        /// <summary>The base URL template, in single quotes.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("BaseUrlTemplate")]
        [ValidateNotNullOrEmpty]
        public string BaseUrl { get; set; } = string.Empty;

        /// <summary>The environment variable that holds the token; none when omitted.</summary>
        [Parameter]
        public string? TokenVariable { get; set; }

        /// <summary>The header that carries the token: Authorization (as Bearer) by default.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? TokenHeader { get; set; }

        /// <summary>Default headers; values are templates, and a secret header must name a variable.</summary>
        [Parameter]
        public Hashtable? Header { get; set; }

        /// <summary>The model used when -Model is not given.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? DefaultModel { get; set; }

        /// <summary>Merge adjacent system and user messages before sending.</summary>
        [Parameter]
        public SwitchParameter CoalesceSystemMessages { get; set; }

        /// <summary>The alias is an AI Gateway endpoint: Invoke-AIChat takes the -Gateway* parameters for it.</summary>
        [Parameter]
        public SwitchParameter Gateway { get; set; }

        /// <summary>A one-line description.</summary>
        [Parameter]
        public string? Description { get; set; }

        /// <summary>Replace an entry of the same name, or override a built-in alias.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc/>
        protected override void BeginProcessing() => UserAliasWarning.WriteOnce(this);

        /// <inheritdoc/>
        protected override void ProcessRecord()
        {
            try
            {
                string path = UserAliasFile.Path();
                var entry = UserAliasRegistration.BuildEntry(path, Name, BaseUrl, TokenVariable, TokenHeader, ReadHeaders(), DefaultModel,
                    Bound(nameof(CoalesceSystemMessages)) ? CoalesceSystemMessages.IsPresent : (bool?)null,
                    Bound(nameof(Gateway)) ? Gateway.IsPresent : (bool?)null, Description);
                if (!ShouldProcess($"{entry.Name} ({path})", "Register provider alias")) return;
                UserAliasRegistration.Register(path, entry, Force, UserAliasFile.SchemaUri());
                WriteVerbose($"Wrote '{entry.Name}' to {path}.");
                if (AliasCatalog.TryGet(entry.Name, out var alias)) WriteObject(ProviderEnvironmentInspector.GetAliasInfo(alias, ProcessEnvironmentReader.Instance));
            }
            catch (CloudflareAIException e)
            {
                WriteError(ErrorRecords.From(e, Name));
            }
        }

        private bool Bound(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);

        private List<KeyValuePair<string, string>>? ReadHeaders()
        {
            if (Header == null) return null;
            var headers = new List<KeyValuePair<string, string>>();
            foreach (DictionaryEntry pair in Header)
            {
                object? value = pair.Value is PSObject ps ? ps.BaseObject : pair.Value;
                string name = pair.Key?.ToString() ?? string.Empty;
                if (value is SecureString)
                {
                    // A secure string is a secret, and the file never holds one.
                    throw new ProviderConfigException(UserAliasFile.Path(), 0, Name,
                        $"header '{name}' was given as a SecureString, and the providers file never holds a secret.",
                        $"Give header '{name}' as a template that names an environment variable, for example 'Bearer ${{MY_TOKEN}}' in single quotes.");
                }
                headers.Add(new KeyValuePair<string, string>(name, value?.ToString() ?? string.Empty));
            }
            return headers;
        }
    }
}
