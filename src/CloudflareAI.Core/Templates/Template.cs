using System;
using System.Collections.Generic;
using System.Text;

namespace CloudflareAI.Templates
{
    /// <summary>Where an expanded template goes, which decides what a substituted value may contain.</summary>
    public enum ExpansionTarget
    {
        /// <summary>A URL: a variable at the very start is the origin, any other is one path segment.</summary>
        Url,

        /// <summary>An HTTP header value: anything but line breaks and control characters.</summary>
        HeaderValue,
    }

    /// <summary>One piece of a parsed template: literal text, or a variable reference.</summary>
    public readonly struct TemplatePart
    {
        private TemplatePart(string text, bool isVariable, int position)
        {
            Text = text;
            IsVariable = isVariable;
            Position = position;
        }

        /// <summary>The literal text, or the variable's name.</summary>
        public string Text { get; }

        /// <summary>True for a variable reference, false for literal text.</summary>
        public bool IsVariable { get; }

        /// <summary>1-based position of the reference's '$' in the template (0 for literals).</summary>
        public int Position { get; }

        internal static TemplatePart Literal(string text) => new TemplatePart(text, false, 0);

        internal static TemplatePart Variable(string name, int position) => new TemplatePart(name, true, position);
    }

    /// <summary>
    /// A string with environment variable references (docs/providers/concepts.md): ${NAME}, ${env.NAME}, ${env:NAME},
    /// bare $NAME and $env:NAME; $$ is a literal dollar sign. Anything else after '$' is a syntax error
    /// that names its position, so nothing is silently dropped.
    /// </summary>
    public sealed class Template
    {
        private Template(string text, IReadOnlyList<TemplatePart> parts, IReadOnlyList<string> references)
        {
            Text = text;
            Parts = parts;
            References = references;
        }

        /// <summary>The template as written.</summary>
        public string Text { get; }

        /// <summary>The literal text and variable references, in order.</summary>
        public IReadOnlyList<TemplatePart> Parts { get; }

        /// <summary>Referenced variable names, in first-seen order, each once.</summary>
        public IReadOnlyList<string> References { get; }

        /// <summary>The variable whose value makes up the scheme and host (a template that starts with a reference).</summary>
        public string? OriginVariable => Parts.Count > 0 && Parts[0].IsVariable ? Parts[0].Text : null;

        /// <inheritdoc/>
        public override string ToString() => Text;

        /// <summary>Parses a template; throws <see cref="TemplateSyntaxException"/> naming the position of the first error.</summary>
        public static Template Parse(string text)
        {
            if (text == null) throw new ArgumentNullException(nameof(text));
            var parts = new List<TemplatePart>();
            var references = new List<string>();
            var literal = new StringBuilder();
            int i = 0;
            while (i < text.Length)
            {
                char c = text[i];
                if (c != '$')
                {
                    literal.Append(c);
                    i++;
                    continue;
                }

                int dollar = i;
                if (i + 1 >= text.Length)
                {
                    throw new TemplateSyntaxException(text, dollar + 1, "a '$' ends the template. Write $$ for a literal dollar sign.");
                }

                char next = text[i + 1];
                string name;
                if (next == '$')
                {
                    literal.Append('$');
                    i += 2;
                    continue;
                }
                else if (next == '{')
                {
                    int close = text.IndexOf('}', i + 2);
                    if (close < 0)
                    {
                        throw new TemplateSyntaxException(text, dollar + 1, "'${' has no closing '}'.");
                    }
                    string inner = text.Substring(i + 2, close - i - 2);
                    name = ParseBraced(text, dollar, inner);
                    i = close + 1;
                }
                else if (IsNameStart(next))
                {
                    int end = ScanName(text, i + 1);
                    name = text.Substring(i + 1, end - i - 1);
                    // PowerShell's own $env:NAME form, with the drive name in any letter case.
                    if (string.Equals(name, "env", StringComparison.OrdinalIgnoreCase) && end < text.Length && text[end] == ':')
                    {
                        // '$env:' promises a variable name; '$env:5' or a '$env:' at the end is a mistake, not a
                        // variable called env followed by text (write ${env} for that).
                        if (end + 1 >= text.Length || !IsNameStart(text[end + 1]))
                        {
                            throw new TemplateSyntaxException(text, end + 2,
                                "'$env:' is not followed by a variable name: a name starts with a letter or '_'. Write ${env} for a variable called env.");
                        }
                        int nameEnd = ScanName(text, end + 1);
                        name = text.Substring(end + 1, nameEnd - end - 1);
                        end = nameEnd;
                    }
                    i = end;
                }
                else
                {
                    throw new TemplateSyntaxException(text, dollar + 1,
                        $"'${next}' is not a variable reference: a name starts with a letter or '_'. Write $$ for a literal dollar sign.");
                }

                if (literal.Length > 0)
                {
                    parts.Add(TemplatePart.Literal(literal.ToString()));
                    literal.Clear();
                }
                parts.Add(TemplatePart.Variable(name, dollar + 1));
                if (!references.Contains(name)) references.Add(name);
            }

            if (literal.Length > 0) parts.Add(TemplatePart.Literal(literal.ToString()));
            return new Template(text, parts, references);
        }

        /// <summary>Parses without throwing.</summary>
        public static bool TryParse(string text, out Template? template, out TemplateSyntaxException? error)
        {
            try
            {
                template = Parse(text);
                error = null;
                return true;
            }
            catch (TemplateSyntaxException e)
            {
                template = null;
                error = e;
                return false;
            }
        }

        private static string ParseBraced(string text, int dollar, string inner)
        {
            string trimmed = inner.Trim(' ', '\t');
            if (trimmed.Length == 0)
            {
                throw new TemplateSyntaxException(text, dollar + 1, "'${}' names no variable.");
            }

            string candidate = trimmed;
            if (candidate.StartsWith("env.", StringComparison.Ordinal))
            {
                candidate = candidate.Substring(4);
            }
            else if (candidate.Length > 4 && candidate[3] == ':' && string.Equals(candidate.Substring(0, 3), "env", StringComparison.OrdinalIgnoreCase))
            {
                candidate = candidate.Substring(4);
            }

            if (!IsName(candidate))
            {
                string reason = candidate.IndexOf(":-", StringComparison.Ordinal) >= 0 || candidate.IndexOf("||", StringComparison.Ordinal) >= 0
                    ? $"'${{{inner}}}' uses a default value, which templates do not support; set the variable instead."
                    : $"'${{{inner}}}' is not a variable name (a letter or '_', then letters, digits or '_', optionally after 'env.' or 'env:').";
                throw new TemplateSyntaxException(text, dollar + 1, reason);
            }
            return candidate;
        }

        private static bool IsNameStart(char c) => (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';

        private static bool IsNameChar(char c) => IsNameStart(c) || (c >= '0' && c <= '9');

        private static int ScanName(string text, int start)
        {
            int i = start;
            while (i < text.Length && IsNameChar(text[i])) i++;
            return i;
        }

        internal static bool IsName(string candidate)
        {
            if (candidate.Length == 0 || !IsNameStart(candidate[0])) return false;
            for (int i = 1; i < candidate.Length; i++)
            {
                if (!IsNameChar(candidate[i])) return false;
            }
            return true;
        }

        /// <summary>
        /// Fills the template from <paramref name="environment"/>. A missing or empty variable and an unfit value are
        /// collected, never thrown, so a caller can report every problem at once; Value is null unless all is well.
        /// For <see cref="ExpansionTarget.HeaderValue"/>, a line break or control character written into the template itself
        /// throws <see cref="TemplateSyntaxException"/> at its position, before any variable is read.
        /// </summary>
        public TemplateExpansion Expand(IEnvironmentReader environment, ExpansionTarget use)
        {
            if (use == ExpansionTarget.HeaderValue)
            {
                // A literal line break in the template itself is as dangerous as one in a value. Names cannot hold
                // such a character, so any one in the text is literal; report where it is, whatever the environment.
                for (int i = 0; i < Text.Length; i++)
                {
                    char c = Text[i];
                    if (c == '\r' || c == '\n' || (c != '\t' && char.IsControl(c)))
                    {
                        throw new TemplateSyntaxException(Text, i + 1, "a header value cannot contain line breaks or control characters.");
                    }
                }
            }

            var missing = new SortedSet<string>(StringComparer.Ordinal);
            var invalid = new List<InvalidVariable>();
            var builder = new StringBuilder();
            for (int index = 0; index < Parts.Count; index++)
            {
                var part = Parts[index];
                if (!part.IsVariable)
                {
                    builder.Append(part.Text);
                    continue;
                }

                string? value = environment.Get(part.Text);
                if (string.IsNullOrEmpty(value))
                {
                    missing.Add(part.Text);
                    continue;
                }

                string? reason;
                if (use == ExpansionTarget.HeaderValue)
                {
                    reason = ValueRules.CheckHeaderValue(value!);
                }
                else if (index == 0)
                {
                    reason = ValueRules.CheckOrigin(value!, out string? origin);
                    if (reason == null) value = origin;
                }
                else
                {
                    reason = ValueRules.CheckPathSegment(value!);
                }

                if (reason != null)
                {
                    if (!invalid.Exists(v => v.Name == part.Text)) invalid.Add(new InvalidVariable(part.Text, reason));
                    continue;
                }
                builder.Append(value);
            }

            string? result = missing.Count == 0 && invalid.Count == 0 ? builder.ToString() : null;
            return new TemplateExpansion(result, new List<string>(missing), invalid);
        }
    }

    /// <summary>A variable whose value cannot be used where the template puts it. Reason never quotes the value.</summary>
    public sealed class InvalidVariable
    {
        /// <summary>Creates the entry.</summary>
        public InvalidVariable(string name, string reason)
        {
            Name = name;
            Reason = reason;
        }

        /// <summary>The variable's name.</summary>
        public string Name { get; }

        /// <summary>Why, as a sentence fragment that names no value: "contains '/'".</summary>
        public string Reason { get; }
    }

    /// <summary>The result of <see cref="Template.Expand"/>.</summary>
    public sealed class TemplateExpansion
    {
        /// <summary>Creates the result.</summary>
        public TemplateExpansion(string? value, IReadOnlyList<string> missingVariables, IReadOnlyList<InvalidVariable> invalidVariables)
        {
            Value = value;
            MissingVariables = missingVariables;
            InvalidVariables = invalidVariables;
        }

        /// <summary>The expanded text; null when a variable is missing or invalid.</summary>
        public string? Value { get; }

        /// <summary>Every missing or empty variable, sorted.</summary>
        public IReadOnlyList<string> MissingVariables { get; }

        /// <summary>Variables whose values are unfit where they go, each with the reason.</summary>
        public IReadOnlyList<InvalidVariable> InvalidVariables { get; }

        /// <summary>True when every reference was filled in.</summary>
        public bool Succeeded => Value != null;
    }
}
