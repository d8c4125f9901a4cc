namespace CloudflareAI.Aliases
{
    /// <summary>
    /// ProviderConfigInvalid: the user's providers file, or an entry about to be written to it, cannot be used. The
    /// message names the file, the line and the entry; it never quotes a header value, which could be a pasted secret.
    /// </summary>
    public sealed class ProviderConfigException : CloudflareAIException
    {
        /// <summary>The fix for every problem in the file.</summary>
        public const string FileAction =
            "Correct the file (CloudflareAI.providers.schema.json in the module folder describes every field; an editor validates against it " +
            "through the file's $schema), or remove it. Register-AIProviderAlias and Unregister-AIProviderAlias edit it safely. The built-in aliases work meanwhile.";

        /// <summary>A problem found at a line of the file (0 when the problem has no line).</summary>
        public ProviderConfigException(string path, int line, string? entry, string reason, string? action = null)
            : base(ErrorIds.ProviderConfigInvalid, ErrorKind.InvalidData, Compose(path, line, entry, reason), action ?? FileAction)
        {
            FilePath = path;
            Line = line;
            Entry = entry;
            Reason = reason;
            Target = path;
        }

        /// <summary>The providers file.</summary>
        public string FilePath { get; }

        /// <summary>The 1-based line of the problem, or 0.</summary>
        public int Line { get; }

        /// <summary>The entry the problem is in, or null.</summary>
        public string? Entry { get; }

        /// <summary>The problem alone, without the file and line.</summary>
        public string Reason { get; }

        /// <summary>"file, line N" as the messages say it.</summary>
        public string Where => Line > 0 ? $"{FilePath}, line {Line}" : FilePath;

        private static string Compose(string path, int line, string? entry, string reason)
        {
            string where = line > 0 ? $"{path}, line {line}" : path;
            string what = entry != null ? $"entry '{entry}': " : string.Empty;
            // An entry without a line is one about to be written, not one read from the file.
            if (line == 0 && entry != null) return $"Nothing was written to the providers file ({where}): {what}{reason}";
            return $"The providers file cannot be used ({where}): {what}{reason}";
        }
    }
}
