using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace CloudflareAI.HelpBuilder
{
    /// <summary>
    /// Markdown to the plain text that Get-Help prints. Code spans keep their backticks (PowerShell's own help does the
    /// same, and they mark what to type); emphasis is dropped; a link becomes "text (url)", or just its text when it points
    /// at another page of these docs.
    /// </summary>
    internal static class MarkdownText
    {
        public static string Inline(ContainerInline? container)
        {
            if (container == null) return string.Empty;
            var text = new StringBuilder();
            foreach (Inline inline in container) Append(text, inline);
            return text.ToString();
        }

        private static void Append(StringBuilder text, Inline inline)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    text.Append(literal.Content.ToString());
                    break;
                case CodeInline code:
                    text.Append('`').Append(code.Content).Append('`');
                    break;
                case LineBreakInline lineBreak:
                    text.Append(lineBreak.IsHard ? '\n' : ' ');
                    break;
                case AutolinkInline autolink:
                    text.Append(autolink.Url);
                    break;
                case HtmlEntityInline entity:
                    text.Append(entity.Transcoded.ToString());
                    break;
                case HtmlInline html:
                    text.Append(html.Tag);
                    break;
                case LinkInline link:
                    string label = Inline(link);
                    text.Append(label);
                    if (IsAbsolute(link.Url) && label != link.Url) text.Append(" (").Append(link.Url).Append(')');
                    break;
                case ContainerInline container:
                    foreach (Inline child in container) Append(text, child);
                    break;
            }
        }

        public static bool IsAbsolute(string? url) =>
            url != null && Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

        /// <summary>The text of a fenced or indented code block, without a trailing newline.</summary>
        public static string Code(LeafBlock block) => block.Lines.ToString().TrimEnd('\n', ' ');

        /// <summary>Blocks as MAML paragraphs: one per paragraph, one per list item ("- " or "1. "), code indented by
        /// four spaces, a table as aligned columns.</summary>
        public static List<string> Paragraphs(IEnumerable<Block> blocks)
        {
            var paragraphs = new List<string>();
            foreach (Block block in blocks) AddParagraphs(paragraphs, block, string.Empty);
            return paragraphs;
        }

        private static void AddParagraphs(List<string> paragraphs, Block block, string indent)
        {
            switch (block)
            {
                case ParagraphBlock paragraph:
                    paragraphs.Add(indent + Inline(paragraph.Inline).Trim());
                    break;
                case CodeBlock code:
                    paragraphs.Add(string.Join("\n", Code(code).Split('\n').Select(l => indent + "    " + l)));
                    break;
                case ListBlock list:
                    int number = int.TryParse(list.OrderedStart, out int start) ? start : 1;
                    foreach (ListItemBlock item in list.Cast<ListItemBlock>())
                    {
                        string marker = list.IsOrdered ? $"{number++}. " : "- ";
                        bool first = true;
                        foreach (Block child in item)
                        {
                            var inner = new List<string>();
                            AddParagraphs(inner, child, first ? string.Empty : indent + "  ");
                            foreach (string p in inner)
                            {
                                paragraphs.Add(first ? indent + marker + p : p);
                                first = false;
                            }
                        }
                    }
                    break;
                case Table table:
                    paragraphs.Add(string.Join("\n", TableLines(table).Select(l => indent + l)));
                    break;
                case QuoteBlock quote:
                    foreach (Block child in quote) AddParagraphs(paragraphs, child, indent);
                    break;
                case ThematicBreakBlock:
                case BlankLineBlock:
                case LinkReferenceDefinitionGroup:
                    break;
                default:
                    if (block is LeafBlock leaf && leaf.Lines.Count > 0) paragraphs.Add(indent + Code(leaf));
                    break;
            }
        }

        /// <summary>A pipe table as text columns padded to the widest cell, with a dashed rule under the header.</summary>
        public static List<string> TableLines(Table table)
        {
            var rows = table.Cast<TableRow>()
                .Select(row => row.Cast<TableCell>().Select(cell => string.Join(" ", Paragraphs(cell)).Replace('\n', ' ')).ToList())
                .ToList();
            int columns = rows.Max(r => r.Count);
            var widths = Enumerable.Range(0, columns).Select(c => rows.Max(r => c < r.Count ? r[c].Length : 0)).ToList();
            var lines = new List<string>();
            for (int i = 0; i < rows.Count; i++)
            {
                lines.Add(string.Join("  ", rows[i].Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
                if (i == 0 && ((TableRow)table[0]).IsHeader)
                {
                    lines.Add(string.Join("  ", widths.Select(w => new string('-', w))));
                }
            }
            return lines;
        }
    }
}
