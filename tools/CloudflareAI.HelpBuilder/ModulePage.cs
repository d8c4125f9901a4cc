using System;
using System.Collections.Generic;
using System.Linq;
using Markdig.Syntax.Inlines;

namespace CloudflareAI.HelpBuilder
{
    /// <summary>
    /// The module page (<c>&lt;Module&gt;.md</c>, PlatyPS's module schema): not converted, only checked, so that its
    /// list of cmdlets and the cmdlet pages cannot drift apart.
    /// </summary>
    internal static class ModulePage
    {
        public static void Check(MarkdownPage page, string moduleName, IReadOnlyCollection<string> cmdletNames)
        {
            string module = page.RequireFrontMatter("Module Name");
            page.RequireFrontMatter("Locale");
            if (module != moduleName) throw page.Fail(1, $"'Module Name' is '{module}', expected '{moduleName}'");
            if (page.TitleText != moduleName + " Module") throw page.Fail(page.Title!, $"the title must be '# {moduleName} Module'");

            var sections = page.Sections;
            string cmdletsTitle = moduleName + " Cmdlets";
            if (sections.Count < 2 || sections[0].Title != "Description" || sections[1].Title != cmdletsTitle)
            {
                int line = sections.Count > 0 ? sections[0].Line : page.Title!.Line + 1;
                throw page.Fail(line, $"a module page has '## Description' then '## {cmdletsTitle}'");
            }
            if (MarkdownText.Paragraphs(sections[0].Blocks).All(p => p.Trim().Length == 0)) throw page.Fail(sections[0].Line, "'## Description' is empty");

            var listed = new HashSet<string>(StringComparer.Ordinal);
            foreach (SubSection entry in sections[1].SubSections)
            {
                if (!cmdletNames.Contains(entry.Title)) throw page.Fail(entry.Line, $"'### {entry.Title}' has no cmdlet page {entry.Title}.md");
                if (MarkdownText.Paragraphs(entry.Blocks).All(p => p.Trim().Length == 0)) throw page.Fail(entry.Line, $"'### {entry.Title}' has no synopsis");
                listed.Add(entry.Title);
            }
            foreach (string name in cmdletNames.Where(n => !listed.Contains(n)))
            {
                throw page.Fail(sections[1].Line, $"'## {cmdletsTitle}' does not list {name} (### [{name}]({name}.md))");
            }
        }
    }
}
