using System;
using System.Collections.Generic;
using System.IO;
using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;

namespace CloudflareAI.HelpBuilder
{
    /// <summary>A markdown file cut into the pieces the PlatyPS schemas talk about: the YAML front matter,
    /// the `#` title, the `##` sections and, inside each, the `###` subsections.</summary>
    internal sealed class MarkdownPage
    {
        private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
            .UseYamlFrontMatter()
            .UsePipeTables()
            .Build();

        private MarkdownPage(string path, string displayPath)
        {
            Path = path;
            DisplayPath = displayPath;
        }

        public string Path { get; }

        /// <summary>The path as the user gave it, for messages.</summary>
        public string DisplayPath { get; }

        /// <summary>The file name without ".md": the command or topic name the page must describe.</summary>
        public string BaseName => System.IO.Path.GetFileNameWithoutExtension(Path);

        /// <summary>Front-matter keys (case-insensitive, as PlatyPS reads them) to their values.</summary>
        public Dictionary<string, string> FrontMatter { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        public bool HasFrontMatter { get; private set; }

        public HeadingBlock? Title { get; private set; }

        public string TitleText => Title == null ? string.Empty : MarkdownText.Inline(Title.Inline).Trim();

        public List<Section> Sections { get; } = new List<Section>();

        /// <summary>Content between the title and the first `##` heading.</summary>
        public List<Block> Preamble { get; } = new List<Block>();

        public static MarkdownPage Load(string path, string displayPath)
        {
            // Normalise line endings so a page saved on Windows parses and reports lines the same way.
            string text = File.ReadAllText(path).Replace("\r\n", "\n");
            var page = new MarkdownPage(path, displayPath);
            MarkdownDocument document = Markdown.Parse(text, Pipeline);

            Section? section = null;
            SubSection? sub = null;
            foreach (Block block in document)
            {
                switch (block)
                {
                    case YamlFrontMatterBlock yaml:
                        page.ReadFrontMatter(yaml);
                        continue;
                    case HeadingBlock { Level: 1 } h1 when page.Title == null:
                        page.Title = h1;
                        continue;
                    case HeadingBlock { Level: 1 } extra:
                        throw page.Fail(extra, "a second '#' heading; a page has exactly one '#' title");
                    case HeadingBlock { Level: 2 } h2:
                        section = new Section(MarkdownText.Inline(h2.Inline).Trim(), h2.Line + 1);
                        sub = null;
                        page.Sections.Add(section);
                        continue;
                    case HeadingBlock { Level: 3 } h3 when section != null:
                        sub = new SubSection(MarkdownText.Inline(h3.Inline).Trim(), h3.Line + 1);
                        section.SubSections.Add(sub);
                        continue;
                    case HeadingBlock other when section == null || other.Level > 3:
                        throw page.Fail(other, $"a level-{other.Level} heading here breaks the schema (sections are '##', their entries '###')");
                }

                // Markdig appends the (possibly empty) group of [label]: url definitions; it is not content.
                if (block is LinkReferenceDefinitionGroup || block is BlankLineBlock) continue;
                if (page.Title == null) throw page.Fail(block, "content before the '#' title");
                if (sub != null) sub.Blocks.Add(block);
                else if (section != null) section.Blocks.Add(block);
                else page.Preamble.Add(block);
            }

            if (!page.HasFrontMatter && text.StartsWith("---", StringComparison.Ordinal))
            {
                throw new HelpSchemaException(displayPath, 1, "the YAML front matter is not closed by a '---' line");
            }
            if (page.Title == null) throw new HelpSchemaException(displayPath, 1, "no '#' title");
            return page;
        }

        private void ReadFrontMatter(YamlFrontMatterBlock yaml)
        {
            HasFrontMatter = true;
            int lineNumber = yaml.Line;
            foreach (string raw in yaml.Lines.ToString().Split('\n'))
            {
                lineNumber++;
                string line = raw.Trim();
                if (line.Length == 0 || line == "---" || line.StartsWith('#')) continue;
                int colon = line.IndexOf(':');
                if (colon <= 0) throw new HelpSchemaException(DisplayPath, lineNumber, $"front matter line '{line}' is not 'key: value'");
                FrontMatter[line.Substring(0, colon).Trim()] = line.Substring(colon + 1).Trim().Trim('\'', '"');
            }
        }

        /// <summary>The front-matter value for a key the schema requires; refuses the page when it is missing.</summary>
        public string RequireFrontMatter(string key)
        {
            if (!HasFrontMatter) throw new HelpSchemaException(DisplayPath, 1, "no YAML front matter ('---' block at the top of the file)");
            if (!FrontMatter.TryGetValue(key, out string? value))
            {
                throw new HelpSchemaException(DisplayPath, 1, $"the front matter has no '{key}' key");
            }
            return value;
        }

        public HelpSchemaException Fail(Block block, string problem) => new HelpSchemaException(DisplayPath, block.Line + 1, problem);

        public HelpSchemaException Fail(int line, string problem) => new HelpSchemaException(DisplayPath, line, problem);
    }

    /// <summary>A `##` section: its own content, then its `###` entries.</summary>
    internal sealed class Section
    {
        public Section(string title, int line)
        {
            Title = title;
            Line = line;
        }

        public string Title { get; }

        public int Line { get; }

        public List<Block> Blocks { get; } = new List<Block>();

        public List<SubSection> SubSections { get; } = new List<SubSection>();
    }

    /// <summary>A `###` entry: an example, a parameter, a type, a parameter set.</summary>
    internal sealed class SubSection
    {
        public SubSection(string title, int line)
        {
            Title = title;
            Line = line;
        }

        public string Title { get; }

        public int Line { get; }

        public List<Block> Blocks { get; } = new List<Block>();
    }
}
