namespace CloudflareAI.Templates
{
    /// <summary>A template that cannot be parsed (UrlTemplateInvalid). Position is 1-based.</summary>
    public sealed class TemplateSyntaxException : CloudflareAIException
    {
        /// <summary>A template that cannot be parsed, with the 1-based position of the problem.</summary>
        public TemplateSyntaxException(string template, int position, string reason)
            : base(
                ErrorIds.UrlTemplateInvalid,
                ErrorKind.InvalidArgument,
                $"The template '{template}' is invalid at position {position}: {reason}",
                "Write variables as ${NAME}, ${env:NAME} or $NAME, and a literal dollar sign as $$. " +
                "In PowerShell put templates in single quotes, or double quotes expand ${NAME} to an empty string first.")
        {
            Template = template;
            Position = position;
            Reason = reason;
            Target = template;
        }

        /// <summary>The template as written.</summary>
        public string Template { get; }

        /// <summary>The 1-based position of the problem.</summary>
        public int Position { get; }

        /// <summary>What is wrong there.</summary>
        public string Reason { get; }
    }
}
