using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace CloudflareAI.HelpBuilder
{
    /// <summary>
    /// One cmdlet page in PlatyPS's markdown schema 2.0.0, checked and read into what MAML needs. The checks are the
    /// ones that would otherwise give an empty or wrong Get-Help: sections missing or out of order, an example without
    /// code, a parameter without a description or a yaml block, a syntax block that disagrees with the parameters.
    /// </summary>
    internal sealed class CmdletPage
    {
        /// <summary>The `##` sections in the order the schema fixes; ALIASES (PlatyPS 1.x) may follow SYNTAX.</summary>
        private static readonly string[] RequiredSections =
            { "SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS" };

        private static readonly string[] YamlKeys =
        {
            "Type", "Parameter Sets", "Aliases", "Required", "Position", "Default value", "Accept pipeline input",
            "Accept wildcard characters",
        };

        public const int MinimumExamples = 3;

        private static readonly Regex CommandName = new Regex("^[A-Z][a-z]+-[A-Za-z0-9]+$");
        private static readonly Regex ExampleTitle = new Regex(@"^Example (\d+): \S");
        private static readonly Regex SyntaxParameter = new Regex(@"(?<![\w-])-(\w+)");
        private static readonly Regex PipelineInput = new Regex(@"^(False|True \((ByValue|ByPropertyName)(, (ByValue|ByPropertyName))?\))$", RegexOptions.IgnoreCase);

        private CmdletPage(string name) => Name = name;

        public string Name { get; }

        public string Verb => Name.Substring(0, Name.IndexOf('-'));

        public string Noun => Name.Substring(Name.IndexOf('-') + 1);

        public string OnlineVersion { get; private set; } = string.Empty;

        public string Synopsis { get; private set; } = string.Empty;

        public List<string> Description { get; } = new List<string>();

        public List<ParameterSet> ParameterSets { get; } = new List<ParameterSet>();

        public List<CmdletParameter> Parameters { get; } = new List<CmdletParameter>();

        public List<CmdletExample> Examples { get; } = new List<CmdletExample>();

        public List<TypeEntry> Inputs { get; } = new List<TypeEntry>();

        public List<TypeEntry> Outputs { get; } = new List<TypeEntry>();

        public List<string> Notes { get; } = new List<string>();

        public List<RelatedLink> RelatedLinks { get; } = new List<RelatedLink>();

        public static bool IsCmdletFileName(string baseName) => CommandName.IsMatch(baseName);

        public static CmdletPage Read(MarkdownPage page, string moduleName, string helpFileName)
        {
            if (!IsCmdletFileName(page.BaseName))
            {
                throw page.Fail(1, $"'{page.BaseName}.md' is not named <Verb>-<Noun>.md");
            }
            CheckFrontMatter(page, moduleName, helpFileName);
            if (page.TitleText != page.BaseName)
            {
                throw page.Fail(page.Title!, $"the title is '# {page.TitleText}' but the file describes '{page.BaseName}'");
            }

            var result = new CmdletPage(page.BaseName) { OnlineVersion = page.FrontMatter["online version"] };
            var sections = CheckSectionOrder(page);
            result.Synopsis = string.Join(" ", RequireText(page, sections["SYNOPSIS"]));
            result.ReadSyntax(page, sections["SYNTAX"]);
            result.Description.AddRange(RequireText(page, sections["DESCRIPTION"]));
            result.ReadExamples(page, sections["EXAMPLES"]);
            result.ReadParameters(page, sections["PARAMETERS"]);
            result.CheckSyntaxAgainstParameters(page);
            result.Inputs.AddRange(ReadTypes(page, sections["INPUTS"]));
            result.Outputs.AddRange(ReadTypes(page, sections["OUTPUTS"]));
            result.Notes.AddRange(MarkdownText.Paragraphs(AllBlocks(sections["NOTES"])));
            result.ReadLinks(page, sections["RELATED LINKS"]);
            return result;
        }

        private static void CheckFrontMatter(MarkdownPage page, string moduleName, string helpFileName)
        {
            string helpFile = page.RequireFrontMatter("external help file");
            string module = page.RequireFrontMatter("Module Name");
            string online = page.RequireFrontMatter("online version");
            string schema = page.RequireFrontMatter("schema");
            if (!string.Equals(helpFile, helpFileName, StringComparison.OrdinalIgnoreCase))
            {
                throw page.Fail(1, $"'external help file' is '{helpFile}'; binary cmdlets look their help up in '{helpFileName}'");
            }
            if (!string.Equals(module, moduleName, StringComparison.Ordinal)) throw page.Fail(1, $"'Module Name' is '{module}', expected '{moduleName}'");
            if (online.Length > 0 && !MarkdownText.IsAbsolute(online)) throw page.Fail(1, $"'online version' must be empty or an http(s) URL, not '{online}'");
            if (schema != "2.0.0") throw page.Fail(1, $"'schema' is '{schema}'; this builder reads PlatyPS schema 2.0.0");
        }

        private static Dictionary<string, Section> CheckSectionOrder(MarkdownPage page)
        {
            if (page.Preamble.Count > 0) throw page.Fail(page.Preamble[0], "content between the title and '## SYNOPSIS'");
            var found = new Dictionary<string, Section>(StringComparer.Ordinal);
            int expected = 0;
            foreach (Section section in page.Sections)
            {
                if (section.Title == "ALIASES" && expected == 2) continue;
                int index = Array.IndexOf(RequiredSections, section.Title);
                if (index < 0)
                {
                    throw page.Fail(section.Line, $"unknown section '## {section.Title}' (the schema's sections, upper-case: {string.Join(", ", RequiredSections)})");
                }
                if (found.ContainsKey(section.Title)) throw page.Fail(section.Line, $"'## {section.Title}' appears twice");
                if (index != expected)
                {
                    string wanted = RequiredSections[expected];
                    throw page.Fail(section.Line, page.Sections.Any(s => s.Title == wanted)
                        ? $"'## {section.Title}' is out of order: '## {wanted}' must come before it (order: {string.Join(", ", RequiredSections)})"
                        : $"'## {wanted}' is missing: expected it before '## {section.Title}'");
                }
                found[section.Title] = section;
                expected++;
            }
            if (expected < RequiredSections.Length)
            {
                int line = page.Sections.Count > 0 ? page.Sections[^1].Line : page.Title!.Line + 1;
                throw page.Fail(line, $"'## {RequiredSections[expected]}' is missing (required sections, in order: {string.Join(", ", RequiredSections)})");
            }
            return found;
        }

        private static IEnumerable<Block> AllBlocks(Section section) =>
            section.Blocks.Concat(section.SubSections.SelectMany(s => s.Blocks));

        private static List<string> RequireText(MarkdownPage page, Section section)
        {
            if (section.SubSections.Count > 0) throw page.Fail(section.SubSections[0].Line, $"'## {section.Title}' takes text, not '###' entries");
            var text = MarkdownText.Paragraphs(section.Blocks).Where(p => p.Trim().Length > 0).ToList();
            if (text.Count == 0) throw page.Fail(section.Line, $"'## {section.Title}' is empty");
            return text;
        }

        private void ReadSyntax(MarkdownPage page, Section section)
        {
            if (section.Blocks.Count > 0) throw page.Fail(section.Blocks[0], "'## SYNTAX' holds only '### ParameterSetName' entries, each with a fenced syntax block");
            if (section.SubSections.Count == 0) throw page.Fail(section.Line, "'## SYNTAX' has no '### ParameterSetName' entry");
            foreach (SubSection sub in section.SubSections)
            {
                bool isDefault = sub.Title.EndsWith("(Default)", StringComparison.Ordinal);
                string name = isDefault ? sub.Title.Substring(0, sub.Title.Length - "(Default)".Length).Trim() : sub.Title;
                var code = sub.Blocks.OfType<FencedCodeBlock>().ToList();
                if (code.Count != 1 || sub.Blocks.Count != 1)
                {
                    throw page.Fail(sub.Line, $"parameter set '{name}' must hold exactly one fenced code block with the syntax");
                }
                string syntax = MarkdownText.Code(code[0]);
                if (!syntax.StartsWith(Name + " ", StringComparison.Ordinal) && syntax != Name)
                {
                    throw page.Fail(code[0], $"the syntax of parameter set '{name}' does not start with '{Name}'");
                }
                if (ParameterSets.Any(s => s.Name == name)) throw page.Fail(sub.Line, $"parameter set '{name}' is listed twice");
                ParameterSets.Add(new ParameterSet(name, isDefault, syntax, code[0].Line + 1));
            }
            if (ParameterSets.Count(s => s.IsDefault) > 1) throw page.Fail(section.Line, "more than one parameter set is marked '(Default)'");
        }

        private void ReadExamples(MarkdownPage page, Section section)
        {
            if (section.Blocks.Count > 0) throw page.Fail(section.Blocks[0], "text before the first '### Example 1: ...' heading");
            foreach (SubSection sub in section.SubSections)
            {
                Match match = ExampleTitle.Match(sub.Title);
                if (!match.Success) throw page.Fail(sub.Line, $"example heading '### {sub.Title}' is not '### Example N: title'");
                if (match.Groups[1].Value != (Examples.Count + 1).ToString()) throw page.Fail(sub.Line, $"'### {sub.Title}' should be Example {Examples.Count + 1}");

                FencedCodeBlock? code = sub.Blocks.OfType<FencedCodeBlock>().FirstOrDefault();
                if (code == null) throw page.Fail(sub.Line, $"'{sub.Title}' has no ```powershell code block");
                if (!string.Equals(code.Info, "powershell", StringComparison.OrdinalIgnoreCase))
                {
                    throw page.Fail(code, $"the first code block of '{sub.Title}' is '```{code.Info}'; it must be '```powershell'");
                }
                var remarks = new List<string>();
                foreach (Block block in sub.Blocks.Where(b => b != code))
                {
                    if (block is FencedCodeBlock other && !string.Equals(other.Info, "output", StringComparison.OrdinalIgnoreCase))
                    {
                        throw page.Fail(other, $"'{sub.Title}' has a second code block '```{other.Info}'; only one ```powershell block and ```output blocks are allowed");
                    }
                    // Output is shown as typed, so it is kept verbatim rather than indented like code in remarks.
                    if (block is FencedCodeBlock output) remarks.Add(MarkdownText.Code(output));
                    else remarks.AddRange(MarkdownText.Paragraphs(new[] { block }));
                }
                Examples.Add(new CmdletExample(sub.Title, MarkdownText.Code(code), remarks));
            }
            if (Examples.Count < MinimumExamples)
            {
                throw page.Fail(section.Line, $"{Examples.Count} example(s); a cmdlet page needs at least {MinimumExamples}");
            }
        }

        private void ReadParameters(MarkdownPage page, Section section)
        {
            if (section.Blocks.Count > 0) throw page.Fail(section.Blocks[0], "text before the first '### -Parameter' heading");
            foreach (SubSection sub in section.SubSections)
            {
                if (sub.Title == "CommonParameters")
                {
                    if (sub != section.SubSections[^1]) throw page.Fail(sub.Line, "'### CommonParameters' must be the last entry of '## PARAMETERS'");
                    continue;
                }
                if (!sub.Title.StartsWith('-') || sub.Title.Length < 2 || sub.Title.Contains(' '))
                {
                    throw page.Fail(sub.Line, $"parameter heading '### {sub.Title}' is not '### -Name'");
                }
                string name = sub.Title.Substring(1);
                if (Parameters.Any(p => p.Name == name)) throw page.Fail(sub.Line, $"parameter -{name} is documented twice");

                int yamlIndex = sub.Blocks.FindIndex(b => b is FencedCodeBlock f && f.Info == "yaml");
                if (yamlIndex < 0) throw page.Fail(sub.Line, $"parameter -{name} has no ```yaml block");
                var description = MarkdownText.Paragraphs(sub.Blocks.Take(yamlIndex)).Where(p => p.Trim().Length > 0).ToList();
                if (description.Count == 0) throw page.Fail(sub.Line, $"parameter -{name} has no description before its ```yaml block");
                if (yamlIndex != sub.Blocks.Count - 1)
                {
                    throw page.Fail(sub.Blocks[yamlIndex + 1], $"unexpected content after the ```yaml block of -{name}; the description goes before it");
                }
                var yaml = (FencedCodeBlock)sub.Blocks[yamlIndex];
                Parameters.Add(ReadParameter(page, name, description, yaml));
            }
            if (section.SubSections.Count == 0 || section.SubSections[^1].Title != "CommonParameters")
            {
                throw page.Fail(section.Line, "'## PARAMETERS' must end with '### CommonParameters'");
            }
        }

        private CmdletParameter ReadParameter(MarkdownPage page, string name, List<string> description, FencedCodeBlock yaml)
        {
            var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            int line = yaml.Line + 1;
            foreach (string raw in MarkdownText.Code(yaml).Split('\n'))
            {
                line++;
                if (raw.Trim().Length == 0) continue;
                int colon = raw.IndexOf(':');
                if (colon <= 0) throw page.Fail(line, $"-{name}: yaml line '{raw.Trim()}' is not 'Key: value'");
                values[raw.Substring(0, colon).Trim()] = raw.Substring(colon + 1).Trim();
            }
            foreach (string key in YamlKeys)
            {
                if (!values.ContainsKey(key)) throw page.Fail(yaml, $"the ```yaml block of -{name} has no '{key}:' line");
            }

            string position = values["Position"];
            if (!position.Equals("Named", StringComparison.OrdinalIgnoreCase) && !int.TryParse(position, out _))
            {
                throw page.Fail(yaml, $"-{name}: Position is '{position}'; use a number or 'Named'");
            }
            string pipeline = values["Accept pipeline input"];
            if (!PipelineInput.IsMatch(pipeline))
            {
                throw page.Fail(yaml, $"-{name}: 'Accept pipeline input' is '{pipeline}'; use False or True (ByValue), True (ByPropertyName), True (ByValue, ByPropertyName)");
            }
            bool required = ReadBool(page, yaml, name, "Required", values["Required"]);
            bool globbing = ReadBool(page, yaml, name, "Accept wildcard characters", values["Accept wildcard characters"]);

            var sets = values["Parameter Sets"].Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
            if (sets.Count == 0) throw page.Fail(yaml, $"-{name}: 'Parameter Sets' is empty; use (All) or set names");
            foreach (string set in sets.Where(s => s != "(All)"))
            {
                if (!ParameterSets.Any(p => p.Name == set)) throw page.Fail(yaml, $"-{name}: parameter set '{set}' is not one of the '## SYNTAX' entries");
            }

            string aliases = values["Aliases"];
            return new CmdletParameter(name, description, values["Type"], sets, aliases.Length == 0 ? "None" : aliases, required,
                position.Equals("Named", StringComparison.OrdinalIgnoreCase) ? "named" : position,
                values["Default value"].Length == 0 ? "None" : values["Default value"], pipeline, globbing);
        }

        private static bool ReadBool(MarkdownPage page, Block yaml, string parameter, string key, string value)
        {
            if (bool.TryParse(value, out bool result)) return result;
            throw page.Fail(yaml, $"-{parameter}: '{key}' is '{value}'; use True or False");
        }

        /// <summary>The syntax blocks are what a reader sees first; they must name exactly the parameters of their set.</summary>
        private void CheckSyntaxAgainstParameters(MarkdownPage page)
        {
            foreach (ParameterSet set in ParameterSets)
            {
                var named = SyntaxParameter.Matches(set.Syntax).Select(m => m.Groups[1].Value).Distinct().ToList();
                foreach (string name in named)
                {
                    CmdletParameter? parameter = Parameters.FirstOrDefault(p => p.Name == name);
                    if (parameter == null) throw page.Fail(set.Line, $"the syntax of '{set.Name}' names -{name}, which '## PARAMETERS' does not document");
                    if (!parameter.IsIn(set.Name)) throw page.Fail(set.Line, $"the syntax of '{set.Name}' names -{name}, whose 'Parameter Sets' leave '{set.Name}' out");
                    set.Order.Add(parameter);
                }
                foreach (CmdletParameter parameter in Parameters.Where(p => p.IsIn(set.Name) && !named.Contains(p.Name)))
                {
                    throw page.Fail(set.Line, $"the syntax of '{set.Name}' leaves out -{parameter.Name}");
                }
            }
        }

        private static List<TypeEntry> ReadTypes(MarkdownPage page, Section section)
        {
            if (section.Blocks.Count > 0) throw page.Fail(section.Blocks[0], $"'## {section.Title}' holds '### TypeName' entries, each followed by its text");
            return section.SubSections.Select(s => new TypeEntry(s.Title, MarkdownText.Paragraphs(s.Blocks))).ToList();
        }

        private void ReadLinks(MarkdownPage page, Section section)
        {
            if (OnlineVersion.Length > 0) RelatedLinks.Add(new RelatedLink("Online Version:", OnlineVersion));
            foreach (Block block in AllBlocks(section))
            {
                var leaves = block is LeafBlock leaf ? new[] { leaf } : block.Descendants().OfType<LeafBlock>();
                var links = leaves.Where(l => l.Inline != null).SelectMany(l => l.Inline!.Descendants<LinkInline>()).Where(l => !l.IsImage).ToList();
                if (links.Count == 0) throw page.Fail(block, "'## RELATED LINKS' holds only markdown links, like [about_CloudflareAI](about_CloudflareAI.md)");
                foreach (LinkInline link in links)
                {
                    // A link to a sibling page has no URI in MAML: Get-Help shows its text, the name to ask Get-Help for.
                    string uri = MarkdownText.IsAbsolute(link.Url) ? link.Url! : string.Empty;
                    RelatedLinks.Add(new RelatedLink(MarkdownText.Inline(link).Trim(), uri));
                }
            }
        }
    }

    internal sealed class ParameterSet
    {
        public ParameterSet(string name, bool isDefault, string syntax, int line)
        {
            Name = name;
            IsDefault = isDefault;
            Syntax = syntax;
            Line = line;
        }

        public string Name { get; }

        public bool IsDefault { get; }

        public string Syntax { get; }

        public int Line { get; }

        /// <summary>The set's parameters in the order its syntax block names them (the order Get-Command -Syntax gives).</summary>
        public List<CmdletParameter> Order { get; } = new List<CmdletParameter>();
    }

    internal sealed class CmdletParameter
    {
        public CmdletParameter(string name, List<string> description, string type, List<string> sets, string aliases, bool required,
            string position, string defaultValue, string pipelineInput, bool globbing)
        {
            Name = name;
            Description = description;
            Type = type;
            Sets = sets;
            Aliases = aliases;
            Required = required;
            Position = position;
            DefaultValue = defaultValue;
            PipelineInput = pipelineInput;
            Globbing = globbing;
        }

        public string Name { get; }

        public List<string> Description { get; }

        public string Type { get; }

        public List<string> Sets { get; }

        public string Aliases { get; }

        public bool Required { get; }

        /// <summary>A number, or "named".</summary>
        public string Position { get; }

        public string DefaultValue { get; }

        public string PipelineInput { get; }

        public bool Globbing { get; }

        public bool IsSwitch => Type.Equals("SwitchParameter", StringComparison.OrdinalIgnoreCase)
                                || Type.Equals("System.Management.Automation.SwitchParameter", StringComparison.OrdinalIgnoreCase);

        public bool IsIn(string set) => Sets.Contains("(All)") || Sets.Contains(set);
    }

    internal sealed record CmdletExample(string Title, string Code, List<string> Remarks);

    internal sealed record TypeEntry(string TypeName, List<string> Description);

    internal sealed record RelatedLink(string Text, string Uri);
}
