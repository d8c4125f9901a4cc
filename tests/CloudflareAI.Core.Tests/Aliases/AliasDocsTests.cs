using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace CloudflareAI.Tests.Aliases
{
    /// <summary>
    /// The one docs row per alias (the table in docs/providers/overview.md) and the automatic-selection list there are
    /// checked against the catalog, so the docs cannot fall behind it. Every other page points at that table or at
    /// Get-AIProviderAlias instead of repeating it.
    /// </summary>
    public class AliasDocsTests
    {
        private static readonly Lazy<string> Overview = new Lazy<string>(() => File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "providers", "overview.md")));

        [Fact]
        public void The_overview_table_has_one_row_per_alias_in_catalog_order()
        {
            Assert.Equal(AliasCatalog.Builtins.Select(a => a.Name), Rows().Select(r => r.Name));
        }

        [Fact]
        public void Each_overview_row_matches_the_catalog()
        {
            foreach (var row in Rows())
            {
                Assert.True(AliasCatalog.TryGetBuiltin(row.Name, out var alias), row.Name);
                if (alias.BaseUrlTemplate == null) Assert.StartsWith("none", row.BaseUrl);
                else Assert.StartsWith("`" + alias.BaseUrlTemplate + "`", row.BaseUrl);
                if (alias.TokenVariable == null) Assert.Equal("none", row.Required);
                else Assert.Contains("`" + alias.TokenVariable + "`", row.Required);
                Assert.True(row.Coalesces == "yes" || row.Coalesces == "no", $"{row.Name}: coalesces is '{row.Coalesces}'");
                Assert.Equal(alias.CoalescesSystemMessages, row.Coalesces == "yes");
                Assert.Equal(alias.DefaultModel == null ? "" : "`" + alias.DefaultModel + "`", row.DefaultModel);
            }
        }

        [Fact]
        public void The_overview_lists_the_automatic_selection_order()
        {
            var listed = Regex.Matches(Section("## Automatic selection"), @"^\d+\. (\S+)\s*$", RegexOptions.Multiline)
                .Cast<Match>().Select(m => m.Groups[1].Value);
            Assert.Equal(AliasCatalog.AutoSelectionOrder, listed);
        }

        private sealed class Row
        {
            public string Name = "", BaseUrl = "", Required = "", Coalesces = "", DefaultModel = "";
        }

        private static List<Row> Rows()
        {
            var rows = new List<Row>();
            foreach (string line in Section("## The built-in aliases").Split('\n'))
            {
                var match = Regex.Match(line.TrimEnd(), @"^\| `([^`]+)` \|(.*)\|$");
                if (!match.Success) continue;
                string[] cells = match.Groups[2].Value.Split('|').Select(c => c.Trim()).ToArray();
                Assert.True(cells.Length == 4, "a row of the alias table has five columns: " + line);
                rows.Add(new Row { Name = match.Groups[1].Value, BaseUrl = cells[0], Required = cells[1], Coalesces = cells[2], DefaultModel = cells[3] });
            }
            return rows;
        }

        private static string Section(string heading)
        {
            string text = Overview.Value.Replace("\r\n", "\n");
            int start = text.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
            Assert.True(start >= 0, "docs/providers/overview.md has no section " + heading);
            int end = text.IndexOf("\n## ", start + heading.Length + 1, StringComparison.Ordinal);
            return end < 0 ? text.Substring(start) : text.Substring(start, end - start);
        }

        private static string RepositoryRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CloudflareAI.slnx"))) return dir.FullName;
            }
            throw new InvalidOperationException("The repository root (CloudflareAI.slnx) is not above " + AppContext.BaseDirectory);
        }
    }
}
