using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Xml;

namespace CloudflareAI.HelpBuilder
{
    /// <summary>
    /// Writes the MAML file that PowerShell reads for binary cmdlets (<c>&lt;assembly&gt;.dll-Help.xml</c> next to the
    /// dll or in its culture folder): one <c>command:command</c> per page, in the shape PlatyPS produces. XmlWriter does
    /// all escaping.
    /// </summary>
    internal static class MamlWriter
    {
        private const string Msh = "http://msh";
        private const string Maml = "http://schemas.microsoft.com/maml/2004/10";
        private const string Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        private const string Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
        private const string MSHelp = "http://msdn.microsoft.com/mshelp";

        public static void Write(string path, IReadOnlyList<CmdletPage> pages)
        {
            var settings = new XmlWriterSettings
            {
                Indent = true,
                IndentChars = "  ",
                Encoding = new UTF8Encoding(false),
                NewLineChars = "\n",
            };
            using var stream = File.Create(path);
            using var xml = XmlWriter.Create(stream, settings);
            xml.WriteStartDocument();
            xml.WriteStartElement("helpItems", Msh);
            xml.WriteAttributeString("schema", "maml");
            foreach (CmdletPage page in pages) WriteCommand(xml, page);
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        private static void WriteCommand(XmlWriter xml, CmdletPage page)
        {
            xml.WriteStartElement("command", "command", Command);
            xml.WriteAttributeString("xmlns", "maml", null, Maml);
            xml.WriteAttributeString("xmlns", "command", null, Command);
            xml.WriteAttributeString("xmlns", "dev", null, Dev);
            xml.WriteAttributeString("xmlns", "MSHelp", null, MSHelp);

            xml.WriteStartElement("command", "details", Command);
            xml.WriteElementString("command", "name", Command, page.Name);
            xml.WriteElementString("command", "verb", Command, page.Verb);
            xml.WriteElementString("command", "noun", Command, page.Noun);
            WriteDescription(xml, new[] { page.Synopsis });
            xml.WriteEndElement();

            WriteDescription(xml, page.Description);

            xml.WriteStartElement("command", "syntax", Command);
            foreach (ParameterSet set in page.ParameterSets)
            {
                xml.WriteStartElement("command", "syntaxItem", Command);
                xml.WriteElementString("maml", "name", Maml, page.Name);
                foreach (CmdletParameter parameter in set.Order) WriteParameter(xml, parameter, inSyntax: true);
                xml.WriteEndElement();
            }
            xml.WriteEndElement();

            xml.WriteStartElement("command", "parameters", Command);
            foreach (CmdletParameter parameter in page.Parameters) WriteParameter(xml, parameter, inSyntax: false);
            xml.WriteEndElement();

            WriteTypes(xml, "inputTypes", "inputType", page.Inputs);
            WriteTypes(xml, "returnValues", "returnValue", page.Outputs);

            xml.WriteStartElement("maml", "alertSet", Maml);
            xml.WriteStartElement("maml", "alert", Maml);
            foreach (string note in page.Notes) xml.WriteElementString("maml", "para", Maml, note);
            xml.WriteEndElement();
            xml.WriteEndElement();

            xml.WriteStartElement("command", "examples", Command);
            foreach (CmdletExample example in page.Examples)
            {
                xml.WriteStartElement("command", "example", Command);
                // Get-Help prints the title as it is; dashes set each example apart, as in PowerShell's own help,
                // centred on 80 columns while the title leaves room.
                string dashes = new string('-', Math.Max(3, (78 - example.Title.Length) / 2));
                xml.WriteElementString("maml", "title", Maml, $"{dashes} {example.Title} {dashes}");
                xml.WriteElementString("dev", "code", Dev, example.Code);
                xml.WriteStartElement("dev", "remarks", Dev);
                foreach (string remark in example.Remarks) xml.WriteElementString("maml", "para", Maml, remark);
                // An empty last paragraph gives the blank line Get-Help otherwise omits before the next example's title.
                xml.WriteElementString("maml", "para", Maml, string.Empty);
                xml.WriteEndElement();
                xml.WriteEndElement();
            }
            xml.WriteEndElement();

            xml.WriteStartElement("command", "relatedLinks", Command);
            foreach (RelatedLink link in page.RelatedLinks)
            {
                xml.WriteStartElement("maml", "navigationLink", Maml);
                xml.WriteElementString("maml", "linkText", Maml, link.Text);
                xml.WriteElementString("maml", "uri", Maml, link.Uri);
                xml.WriteEndElement();
            }
            xml.WriteEndElement();

            xml.WriteEndElement();
        }

        private static void WriteParameter(XmlWriter xml, CmdletParameter parameter, bool inSyntax)
        {
            bool isArray = parameter.Type.EndsWith("[]", StringComparison.Ordinal);
            xml.WriteStartElement("command", "parameter", Command);
            xml.WriteAttributeString("required", Bool(parameter.Required));
            xml.WriteAttributeString("variableLength", Bool(isArray));
            xml.WriteAttributeString("globbing", Bool(parameter.Globbing));
            xml.WriteAttributeString("pipelineInput", parameter.PipelineInput);
            xml.WriteAttributeString("position", parameter.Position);
            xml.WriteAttributeString("aliases", parameter.Aliases);
            xml.WriteElementString("maml", "name", Maml, parameter.Name);
            WriteDescription(xml, parameter.Description);
            // In a syntax line a switch has no value: Get-Help would print "[-Quiet <SwitchParameter>]" otherwise.
            if (!(inSyntax && parameter.IsSwitch))
            {
                xml.WriteStartElement("command", "parameterValue", Command);
                xml.WriteAttributeString("required", Bool(!parameter.IsSwitch));
                xml.WriteAttributeString("variableLength", Bool(isArray));
                xml.WriteString(parameter.Type);
                xml.WriteEndElement();
            }
            xml.WriteStartElement("dev", "type", Dev);
            xml.WriteElementString("maml", "name", Maml, parameter.Type);
            xml.WriteElementString("maml", "uri", Maml, string.Empty);
            xml.WriteEndElement();
            xml.WriteElementString("dev", "defaultValue", Dev, parameter.DefaultValue);
            xml.WriteEndElement();
        }

        private static void WriteTypes(XmlWriter xml, string listElement, string itemElement, List<TypeEntry> types)
        {
            xml.WriteStartElement("command", listElement, Command);
            foreach (TypeEntry type in types)
            {
                xml.WriteStartElement("command", itemElement, Command);
                xml.WriteStartElement("dev", "type", Dev);
                xml.WriteElementString("maml", "name", Maml, type.TypeName);
                xml.WriteEndElement();
                WriteDescription(xml, type.Description);
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        }

        private static void WriteDescription(XmlWriter xml, IEnumerable<string> paragraphs)
        {
            xml.WriteStartElement("maml", "description", Maml);
            foreach (string paragraph in paragraphs) xml.WriteElementString("maml", "para", Maml, paragraph);
            xml.WriteEndElement();
        }

        private static string Bool(bool value) => value ? "true" : "false";
    }
}
