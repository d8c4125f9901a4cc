using System.Collections;
using System.Management.Automation;

namespace CloudflareAI
{
    /// <summary>A tool made with New-AITool: what the model is told about it, and the script block that runs it.</summary>
    public sealed class AITool
    {
        /// <summary>Creates a tool.</summary>
        public AITool(string name, string description, IDictionary parameters, ScriptBlock? scriptBlock)
        {
            Name = name;
            Description = description;
            Parameters = parameters;
            ScriptBlock = scriptBlock;
        }

        /// <summary>The name the model calls it by.</summary>
        public string Name { get; }

        /// <summary>What it does, for the model.</summary>
        public string Description { get; }

        /// <summary>The JSON Schema of its arguments (an object schema with properties and required).</summary>
        public IDictionary Parameters { get; }

        /// <summary>What runs when the model calls it, with the arguments as named parameters; null for a tool the caller runs.</summary>
        public ScriptBlock? ScriptBlock { get; }

        /// <inheritdoc/>
        public override string ToString() => Name;
    }
}
