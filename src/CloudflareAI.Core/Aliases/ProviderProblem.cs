namespace CloudflareAI.Aliases
{
    /// <summary>What kind of finding a <see cref="ProviderProblem"/> is; it decides how the finding is shown and whether it clears readiness.</summary>
    internal enum ProviderProblemKind
    {
        /// <summary>A required variable is not set. Clears readiness.</summary>
        Missing,

        /// <summary>A variable is set but cannot be used (a '/' in an account ID). Clears readiness.</summary>
        Invalid,

        /// <summary>The alias cannot work without an override (no base URL of its own, a broken default header). Clears readiness.</summary>
        Setup,

        /// <summary>A value that will probably fail (a placeholder, a wrong length). Readiness stays.</summary>
        Warning,

        /// <summary>Something the user should know (the default model needs a token that is not set). Readiness stays.</summary>
        Note,
    }

    /// <summary>One finding about an alias's environment, as data: the resolver and Test-AIProviderEnvironment show it each their way.</summary>
    internal sealed class ProviderProblem
    {
        public ProviderProblem(ProviderProblemKind kind, string? variable, string text)
        {
            Kind = kind;
            Variable = variable;
            Text = text;
        }

        public ProviderProblemKind Kind { get; }

        /// <summary>The variable the finding is about, or null.</summary>
        public string? Variable { get; }

        /// <summary>The sentence with its fix, without a "Warning:" or "Note:" label.</summary>
        public string Text { get; }

        /// <summary>As Test-AIProviderEnvironment lists it: warnings and notes carry their label.</summary>
        public override string ToString() => Kind switch
        {
            ProviderProblemKind.Warning => "Warning: " + Text,
            ProviderProblemKind.Note => "Note: " + Text,
            _ => Text,
        };
    }
}
