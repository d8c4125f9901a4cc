using System.Collections.Generic;

namespace CloudflareAI
{
    /// <summary>An alias as Get-AIProviderAlias shows it: the definition plus its state in the environment now.</summary>
    public sealed class ProviderAlias
    {
        /// <summary>The alias name, as -Provider takes it.</summary>
        public string Name { get; internal set; } = string.Empty;

        /// <summary>The base URL template, or null when the alias needs -BaseUrl.</summary>
        public string? BaseUrlTemplate { get; internal set; }

        /// <summary>The variable that holds the token, or null when the alias sends none.</summary>
        public string? TokenVariable { get; internal set; }

        /// <summary>Every variable the alias needs, sorted.</summary>
        public IReadOnlyList<string> RequiredVariables { get; internal set; } = new string[0];

        /// <summary>The required variables that are unset or empty now, sorted.</summary>
        public IReadOnlyList<string> MissingVariables { get; internal set; } = new string[0];

        /// <summary>True when every variable the alias requires is set, non-empty and valid.</summary>
        public bool IsAvailable { get; internal set; }

        /// <summary>True when adjacent system (and user) messages are merged before sending.</summary>
        public bool CoalescesSystemMessages { get; internal set; }

        /// <summary>The model used when -Model is not given, or null.</summary>
        public string? DefaultModel { get; internal set; }

        /// <summary>A one-line description of the provider.</summary>
        public string Description { get; internal set; } = string.Empty;

        /// <summary>The provider's API documentation.</summary>
        public string DocumentationUrl { get; internal set; } = string.Empty;

        /// <summary>Where the alias comes from: Builtin, User (the user's providers file), or Builtin+User (a built-in whose
        /// fields the file overrides).</summary>
        public string Source { get; internal set; } = "Builtin";

        /// <summary>The header that carries the token: Authorization (as Bearer), or another name such as api-key.</summary>
        public string TokenHeader { get; internal set; } = "Authorization";

        /// <summary>True when the alias is an AI Gateway endpoint and takes the -Gateway* parameters of Invoke-AIChat.</summary>
        public bool IsGateway { get; internal set; }

        /// <inheritdoc/>
        public override string ToString() => Name;
    }

    /// <summary>What Test-AIProviderEnvironment reports for one alias. Never holds a secret value.</summary>
    public sealed class ProviderEnvironmentResult
    {
        /// <summary>The alias name.</summary>
        public string Name { get; internal set; } = string.Empty;

        /// <summary>True when every required variable is set and fit for use and, with -Online, no network check failed;
        /// warnings do not clear it.</summary>
        public bool IsReady { get; internal set; }

        /// <summary>Every variable the alias needs, sorted.</summary>
        public IReadOnlyList<string> RequiredVariables { get; internal set; } = new string[0];

        /// <summary>The required variables that are not set or are empty, sorted.</summary>
        public IReadOnlyList<string> MissingVariables { get; internal set; } = new string[0];

        /// <summary>Variables that are set but unfit (a '/' in an account ID, a line break in a token), sorted.</summary>
        public IReadOnlyList<string> InvalidVariables { get; internal set; } = new string[0];

        /// <summary>The resolved base URL; null when it cannot be resolved. Holds no secret: tokens never go in URLs.</summary>
        public string? BaseUrl { get; internal set; }

        /// <summary>Readable sentences, each with its fix.</summary>
        public IReadOnlyList<string> Problems { get; internal set; } = new string[0];

        /// <summary>The network checks of -Online, in the order they ran; empty without -Online.</summary>
        public IReadOnlyList<EnvironmentCheck> Checks { get; internal set; } = new EnvironmentCheck[0];

        /// <inheritdoc/>
        public override string ToString() => IsReady ? $"{Name}: ready" : $"{Name}: not ready";
    }
}
