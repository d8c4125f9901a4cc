using System;

namespace CloudflareAI.HelpBuilder
{
    /// <summary>A page that breaks the help schema: where it is and what is wrong, in the
    /// "file:line: message" shape that editors and CI logs turn into links.</summary>
    internal sealed class HelpSchemaException : Exception
    {
        public HelpSchemaException(string file, int line, string problem)
            : base($"{file}:{line}: {problem}")
        {
            File = file;
            Line = line;
            Problem = problem;
        }

        public string File { get; }

        /// <summary>1-based line number in the markdown file.</summary>
        public int Line { get; }

        public string Problem { get; }
    }
}
