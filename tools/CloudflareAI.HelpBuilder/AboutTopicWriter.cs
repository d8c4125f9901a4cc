using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Markdig.Extensions.Tables;
using Markdig.Syntax;

namespace CloudflareAI.HelpBuilder
{
    /// <summary>
    /// An about topic in PlatyPS's about schema (<c># about_Name</c>, then <c>## SHORT DESCRIPTION</c> and
    /// <c>## LONG DESCRIPTION</c>, optionally after <c>## about_Name</c>, then any further <c>##</c> sections), turned into
    /// the plain text Get-Help shows: headings upper-case, text wrapped at 80 columns, code indented four spaces.
    /// </summary>
    internal static class AboutTopicWriter
    {
        public const int Width = 80;
        private const string CodeIndent = "    ";

        public static bool IsAboutFileName(string baseName) => baseName.StartsWith("about_", StringComparison.OrdinalIgnoreCase);

        /// <summary>Checks the page and returns the help text; throws <see cref="HelpSchemaException"/> when it breaks the schema.</summary>
        public static string Render(MarkdownPage page)
        {
            if (page.TitleText != page.BaseName) throw page.Fail(page.Title!, $"the title is '# {page.TitleText}' but the file is '{page.BaseName}.md'");
            if (page.Preamble.Count > 0) throw page.Fail(page.Preamble[0], "content between the title and '## SHORT DESCRIPTION'");

            var sections = page.Sections.ToList();
            if (sections.Count > 0 && sections[0].Title == page.BaseName && sections[0].Blocks.Count == 0 && sections[0].SubSections.Count == 0)
            {
                sections.RemoveAt(0);
            }
            RequireSection(page, sections, 0, "SHORT DESCRIPTION");
            RequireSection(page, sections, 1, "LONG DESCRIPTION");
            var shortDescription = MarkdownText.Paragraphs(sections[0].Blocks).Where(p => p.Trim().Length > 0).ToList();
            if (shortDescription.Count == 0) throw page.Fail(sections[0].Line, "'## SHORT DESCRIPTION' is empty");
            // Get-Help takes the one line after the heading as the topic's synopsis, so it must fit on that line.
            if (shortDescription.Count > 1 || shortDescription[0].Trim().Length > Width)
            {
                throw page.Fail(sections[0].Line, $"'## SHORT DESCRIPTION' must be one sentence of at most {Width} characters " +
                                                  "(Get-Help shows only its first line as the topic's synopsis)");
            }

            var text = new StringBuilder();
            text.Append(page.BaseName).Append('\n');
            foreach (Section section in sections)
            {
                text.Append('\n').Append(section.Title.ToUpperInvariant()).Append('\n');
                foreach (Block block in section.Blocks) AppendBlock(page, text, block, string.Empty);
                foreach (SubSection sub in section.SubSections)
                {
                    text.Append('\n').Append(sub.Title.ToUpperInvariant()).Append('\n');
                    foreach (Block block in sub.Blocks) AppendBlock(page, text, block, string.Empty);
                }
            }
            // Get-Help reads the topic's synopsis from the line after SHORT DESCRIPTION, so the heading text must match.
            return text.ToString().Replace("\n", System.Environment.NewLine);
        }

        private static void RequireSection(MarkdownPage page, List<Section> sections, int index, string title)
        {
            if (sections.Count <= index)
            {
                throw page.Fail(page.Sections.Count > 0 ? page.Sections[^1].Line : page.Title!.Line + 1, $"'## {title}' is missing");
            }
            if (!sections[index].Title.Equals(title, StringComparison.OrdinalIgnoreCase))
            {
                throw page.Fail(sections[index].Line, $"expected '## {title}' here, found '## {sections[index].Title}'");
            }
        }

        private static void AppendBlock(MarkdownPage page, StringBuilder text, Block block, string indent)
        {
            switch (block)
            {
                case ParagraphBlock paragraph:
                    text.Append('\n');
                    foreach (string line in MarkdownText.Inline(paragraph.Inline).Trim().Split('\n'))
                    {
                        AppendWrapped(text, line, indent, indent);
                    }
                    break;
                case CodeBlock code:
                    text.Append('\n');
                    int number = code.Line + (code is FencedCodeBlock ? 1 : 0);
                    foreach (string line in MarkdownText.Code(code).Split('\n'))
                    {
                        number++;
                        string shown = indent + CodeIndent + line;
                        if (shown.TrimEnd().Length > Width)
                        {
                            throw page.Fail(number, $"code line is {shown.TrimEnd().Length} columns in the help text; keep code within {Width} (it is not wrapped)");
                        }
                        text.Append(shown.TrimEnd()).Append('\n');
                    }
                    break;
                case ListBlock list:
                    text.Append('\n');
                    int ordinal = int.TryParse(list.OrderedStart, out int start) ? start : 1;
                    foreach (ListItemBlock item in list.Cast<ListItemBlock>())
                    {
                        string marker = list.IsOrdered ? $"{ordinal++}. " : "- ";
                        string hanging = indent + new string(' ', marker.Length);
                        bool first = true;
                        foreach (Block child in item)
                        {
                            if (first && child is ParagraphBlock p)
                            {
                                string[] lines = MarkdownText.Inline(p.Inline).Trim().Split('\n');
                                AppendWrapped(text, lines[0], indent + marker, hanging);
                                foreach (string more in lines.Skip(1)) AppendWrapped(text, more, hanging, hanging);
                            }
                            else
                            {
                                var nested = new StringBuilder();
                                AppendBlock(page, nested, child, hanging);
                                // A nested list or code sits right under its item; keep the blank line only before paragraphs.
                                text.Append(child is ParagraphBlock ? nested.ToString() : nested.ToString().TrimStart('\n'));
                            }
                            first = false;
                        }
                    }
                    break;
                case Table table:
                    text.Append('\n');
                    foreach (string line in MarkdownText.TableLines(table)) text.Append(indent).Append(CodeIndent).Append(line).Append('\n');
                    break;
                case QuoteBlock quote:
                    foreach (Block child in quote) AppendBlock(page, text, child, indent + CodeIndent);
                    break;
                case ThematicBreakBlock:
                case BlankLineBlock:
                case LinkReferenceDefinitionGroup:
                    break;
                default:
                    throw page.Fail(block, $"a {block.GetType().Name} cannot be shown in plain-text help");
            }
        }

        /// <summary>Greedy word wrap; a word longer than the line (a URL) gets a line of its own rather than being cut.</summary>
        private static void AppendWrapped(StringBuilder text, string paragraph, string firstIndent, string restIndent)
        {
            var line = new StringBuilder(firstIndent);
            bool empty = true;
            foreach (string word in Words(paragraph))
            {
                if (!empty && line.Length + 1 + word.Length > Width)
                {
                    text.Append(line).Append('\n');
                    line.Clear().Append(restIndent);
                    empty = true;
                }
                if (!empty) line.Append(' ');
                line.Append(word);
                empty = false;
            }
            text.Append(line.ToString().TrimEnd()).Append('\n');
        }

        /// <summary>Words to wrap at, keeping a `code span` whole so a command is never split across lines.</summary>
        private static IEnumerable<string> Words(string paragraph)
        {
            string? pending = null;
            foreach (string word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                pending = pending == null ? word : pending + " " + word;
                if (pending.Count(c => c == '`') % 2 == 0)
                {
                    yield return pending;
                    pending = null;
                }
            }
            if (pending != null) yield return pending;
        }

        public static void Write(string path, string text) => File.WriteAllText(path, text, new UTF8Encoding(true));
    }
}
