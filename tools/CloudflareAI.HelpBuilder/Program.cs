using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace CloudflareAI.HelpBuilder
{
    /// <summary>
    /// dotnet run --project tools/CloudflareAI.HelpBuilder -c Release -- --docs docs/en-US --out &lt;module&gt;/en-US
    ///     --module CloudflareAI --assembly CloudflareAI.PowerShell [--check-only]
    /// Exit codes: 0 written (or checked), 1 a page breaks the schema, 2 bad arguments or an unreadable folder.
    /// </summary>
    internal static class Program
    {
        private const int Ok = 0;
        private const int SchemaBroken = 1;
        private const int UsageError = 2;

        private const string Usage =
            "usage: CloudflareAI.HelpBuilder --docs <folder> --module <name> --assembly <name> (--out <folder> | --check-only)";

        private static int Main(string[] args)
        {
            var options = new Dictionary<string, string>(StringComparer.Ordinal);
            bool checkOnly = false;
            for (int i = 0; i < args.Length; i++)
            {
                string arg = args[i];
                if (arg == "--check-only") checkOnly = true;
                else if (arg is "--docs" or "--out" or "--module" or "--assembly" && i + 1 < args.Length) options[arg] = args[++i];
                else return Fail(UsageError, $"unknown or incomplete argument '{arg}'\n{Usage}");
            }
            foreach (string required in new[] { "--docs", "--module", "--assembly" })
            {
                if (!options.ContainsKey(required)) return Fail(UsageError, $"{required} is required\n{Usage}");
            }
            if (!checkOnly && !options.ContainsKey("--out")) return Fail(UsageError, $"--out is required unless --check-only is given\n{Usage}");

            string docs = options["--docs"];
            if (!Directory.Exists(docs)) return Fail(UsageError, $"the docs folder '{docs}' does not exist");

            try
            {
                return Build(docs, checkOnly ? null : options["--out"], options["--module"], options["--assembly"]);
            }
            catch (IOException e)
            {
                return Fail(UsageError, e.Message);
            }
            catch (UnauthorizedAccessException e)
            {
                return Fail(UsageError, e.Message);
            }
        }

        private static int Build(string docs, string? outFolder, string module, string assembly)
        {
            string helpFileName = assembly + ".dll-Help.xml";
            var problems = new List<string>();
            var cmdlets = new List<CmdletPage>();
            var cmdletFiles = new List<string>();
            var abouts = new List<(string Name, string Text)>();
            MarkdownPage? modulePage = null;

            // Ordinal order keeps the MAML byte-for-byte the same on every machine.
            foreach (string path in Directory.GetFiles(docs, "*.md").OrderBy(p => Path.GetFileName(p), StringComparer.Ordinal))
            {
                string display = Path.Combine(docs, Path.GetFileName(path));
                string baseName = Path.GetFileNameWithoutExtension(path);
                bool isAbout = AboutTopicWriter.IsAboutFileName(baseName);
                bool isCmdlet = !isAbout && baseName != module && CmdletPage.IsCmdletFileName(baseName);
                if (isCmdlet) cmdletFiles.Add(baseName);
                try
                {
                    MarkdownPage page = MarkdownPage.Load(path, display);
                    if (baseName == module) modulePage = page;
                    else if (isAbout) abouts.Add((baseName, AboutTopicWriter.Render(page)));
                    else if (isCmdlet) cmdlets.Add(CmdletPage.Read(page, module, helpFileName));
                    else throw page.Fail(1, $"not a cmdlet page (<Verb>-<Noun>.md), an about topic (about_*.md) or the module page ({module}.md)");
                }
                catch (HelpSchemaException e)
                {
                    problems.Add(e.Message);
                }
            }

            if (cmdletFiles.Count == 0) problems.Add($"{docs}: no cmdlet pages (<Verb>-<Noun>.md)");
            if (modulePage == null) problems.Add($"{Path.Combine(docs, module + ".md")}:1: the module page is missing");
            else
            {
                try
                {
                    // Every cmdlet file counts, broken or not, so one broken page is reported once, not twice.
                    ModulePage.Check(modulePage, module, cmdletFiles);
                }
                catch (HelpSchemaException e)
                {
                    problems.Add(e.Message);
                }
            }

            if (problems.Count > 0)
            {
                foreach (string problem in problems) Console.Error.WriteLine("error: " + problem);
                Console.Error.WriteLine($"{problems.Count} page(s) break the help schema; nothing was written.");
                return SchemaBroken;
            }

            string summary = $"{cmdlets.Count} cmdlet page(s), {abouts.Count} about topic(s) and the module page";
            if (outFolder == null)
            {
                Console.WriteLine($"Checked {summary} in {docs}: no problems.");
                return Ok;
            }

            Directory.CreateDirectory(outFolder);
            string mamlPath = Path.Combine(outFolder, helpFileName);
            MamlWriter.Write(mamlPath, cmdlets);
            var written = new List<string> { mamlPath };
            foreach (var (name, text) in abouts)
            {
                string aboutPath = Path.Combine(outFolder, name + ".help.txt");
                AboutTopicWriter.Write(aboutPath, text);
                written.Add(aboutPath);
            }
            Console.WriteLine($"Wrote {string.Join(" and ", written)} from {summary}.");
            return Ok;
        }

        private static int Fail(int code, string message)
        {
            Console.Error.WriteLine("error: " + message);
            return code;
        }
    }
}
