namespace CloudflareAI
{
    /// <summary>How a network check of Test-AIProviderEnvironment -Online ended.</summary>
    public enum EnvironmentCheckLevel
    {
        /// <summary>The host answered as it should.</summary>
        Passed,

        /// <summary>Not a failure, but worth reading: the check could not be made with this token (a gateway lookup that
        /// needs AI Gateway Read), or the host has no model list. It does not clear IsReady.</summary>
        Warning,

        /// <summary>The alias will not work as configured; the message says what to fix. Clears IsReady.</summary>
        Failed,
    }

    /// <summary>One network check of Test-AIProviderEnvironment -Online. Never holds a secret value.</summary>
    public sealed class EnvironmentCheck
    {
        /// <summary>Creates a check result.</summary>
        public EnvironmentCheck(string name, EnvironmentCheckLevel level, string message)
        {
            Name = name;
            Level = level;
            Message = message;
        }

        /// <summary>What was checked: Token, Models, Gateway, DefaultModel, ModelList.</summary>
        public string Name { get; }

        /// <summary>False only for <see cref="EnvironmentCheckLevel.Failed"/>: a warning passes.</summary>
        public bool Passed => Level != EnvironmentCheckLevel.Failed;

        /// <summary>Whether the check passed, warned or failed.</summary>
        public EnvironmentCheckLevel Level { get; }

        /// <summary>What the host said, and for a failure or a warning what to do about it.</summary>
        public string Message { get; }

        /// <inheritdoc/>
        public override string ToString() => $"{Name}: {Level}: {Message}";
    }
}
