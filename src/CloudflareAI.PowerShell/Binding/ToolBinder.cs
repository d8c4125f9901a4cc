using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace CloudflareAI.PowerShell
{
    /// <summary>
    /// Turns -Tool items into tools: a command (its default parameter set described by <see cref="ToolSchema"/>, with the
    /// help's descriptions), a hashtable in OpenAI's function shape, or a New-AITool object.
    /// </summary>
    internal static class ToolBinder
    {
        private static readonly HashSet<string> CommonParameters = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable", "WarningVariable",
            "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "WhatIf", "Confirm", "UseTransaction",
        };

        /// <exception cref="CloudflareAIException">ParameterInvalid: an item that is not a tool, or two tools of one name.</exception>
        public static ToolSet Bind(PSCmdlet cmdlet, object[] items, Action<string> verbose)
        {
            var set = new ToolSet();
            int position = 0;
            foreach (object raw in items)
            {
                position++;
                object? item = raw is PSObject ps && !(ps.BaseObject is PSCustomObject) ? ps.BaseObject : raw;
                ToolEntry entry = item switch
                {
                    CommandInfo command => FromCommand(cmdlet, command, verbose),
                    AITool tool => new ToolEntry(new ToolDefinition(tool.Name, tool.Description, Schema(tool.Parameters, tool.Name)), tool.ScriptBlock),
                    IDictionary dictionary => FromHashtable(dictionary, position),
                    string name => throw Invalid($"-Tool item {position} is the string '{name}', not a command.", "Pass the command itself: -Tool (Get-Command " + name + ")."),
                    _ => throw Invalid($"-Tool item {position} is a {item?.GetType().Name ?? "null"}, which is not a tool.", "Give Get-Command results, New-AITool objects, or hashtables @{ name = ...; description = ...; parameters = @{ type = 'object'; properties = @{ ... } } }."),
                };
                if (!set.Add(entry))
                {
                    throw Invalid($"Two -Tool items are named '{entry.Definition.Name}'.", "Give each tool once; the model calls tools by name.");
                }
            }
            return set;
        }

        private static ToolEntry FromCommand(PSCmdlet cmdlet, CommandInfo command, Action<string> verbose)
        {
            if (command is AliasInfo alias && alias.ResolvedCommand != null) command = alias.ResolvedCommand;
            string name = command is ExternalScriptInfo script ? System.IO.Path.GetFileNameWithoutExtension(script.Name) : command.Name;
            HelpText help = HelpText.Read(cmdlet, command);

            CommandParameterSetInfo? set = null;
            foreach (CommandParameterSetInfo candidate in command.ParameterSets)
            {
                if (candidate.IsDefault) set = candidate;
            }
            if (set == null && command.ParameterSets.Count > 0) set = command.ParameterSets[0];

            var parameters = new List<ToolParameter>();
            bool commonLeftOut = false;
            if (set != null)
            {
                foreach (CommandParameterInfo parameter in set.Parameters)
                {
                    if (CommonParameters.Contains(parameter.Name))
                    {
                        commonLeftOut = true;
                        continue;
                    }
                    Type type = parameter.ParameterType == typeof(SwitchParameter) ? typeof(bool) : parameter.ParameterType;
                    var allowed = parameter.Attributes.OfType<ValidateSetAttribute>().FirstOrDefault()?.ValidValues;
                    parameters.Add(new ToolParameter(parameter.Name, type)
                    {
                        Mandatory = parameter.IsMandatory,
                        AllowedValues = allowed == null ? null : allowed.ToList(),
                        Description = help.Parameter(parameter.Name),
                    });
                }
            }

            SchemaResult schema = ToolSchema.Build(parameters);
            string setName = set == null ? "(none)" : set.Name;
            int described = schema.Schema["properties"] is IDictionary<string, object?> found ? found.Count : 0;
            verbose($"Tool {name}: parameter set '{setName}', {described} parameter(s) described.");
            if (commonLeftOut) verbose($"Tool {name}: the common parameters (Verbose, ErrorAction, WhatIf, ...) are left out.");
            if (schema.Skipped.Count > 0)
            {
                verbose($"Tool {name}: left out {string.Join(", ", schema.Skipped)}; a model can give only strings, integers, numbers, booleans and arrays of them.");
            }
            string description = help.Synopsis ?? $"The PowerShell command {name}.";
            return new ToolEntry(new ToolDefinition(name, description, schema.Schema), command);
        }

        private static ToolEntry FromHashtable(IDictionary dictionary, int position)
        {
            // Both OpenAI shapes: the function itself, or { type = 'function'; function = { ... } }.
            IDictionary function = Lookup(dictionary, "function") is IDictionary inner ? inner : dictionary;
            if (!(Unwrap(Lookup(function, "name")) is string name) || name.Length == 0)
            {
                throw Invalid($"-Tool item {position} is a hashtable without a name.", "Give @{ name = 'Get-Thing'; description = '...'; parameters = @{ type = 'object'; properties = @{ ... } } }.");
            }
            string? description = Unwrap(Lookup(function, "description")) as string;
            return new ToolEntry(new ToolDefinition(name, description, Schema(Lookup(function, "parameters"), name)), null);
        }

        private static IDictionary<string, object?> Schema(object? parameters, string tool)
        {
            if (parameters == null) return new Dictionary<string, object?> { ["type"] = "object", ["properties"] = new Dictionary<string, object?>() };
            object? plain;
            try
            {
                plain = MessageConverter.ToPlainValue(parameters);
            }
            catch (ArgumentException e)
            {
                throw Invalid($"The parameters of tool '{tool}' cannot be written as JSON: {e.Message}", "Give the parameters as a JSON Schema of hashtables, lists, strings, numbers and booleans.");
            }
            if (plain is IDictionary<string, object?> schema) return schema;
            throw Invalid($"The parameters of tool '{tool}' are not a JSON Schema object.", "Give @{ type = 'object'; properties = @{ Name = @{ type = 'string' } } }.");
        }

        private static CloudflareAIException Invalid(string message, string action) =>
            new CloudflareAIException(ErrorIds.ParameterInvalid, ErrorKind.InvalidArgument, message, action);

        private static object? Unwrap(object? value) => value is PSObject ps ? ps.BaseObject : value;

        private static object? Lookup(IDictionary dictionary, string key)
        {
            foreach (DictionaryEntry entry in dictionary)
            {
                if (entry.Key is string name && string.Equals(name, key, StringComparison.OrdinalIgnoreCase)) return entry.Value;
            }
            return null;
        }
    }
}
