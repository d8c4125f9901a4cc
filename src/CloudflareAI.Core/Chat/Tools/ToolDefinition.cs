using System;
using System.Collections.Generic;

namespace CloudflareAI.Chat.Tools
{
    /// <summary>A tool as the model sees it: a name, what it does, and a JSON Schema of its arguments.</summary>
    internal sealed class ToolDefinition
    {
        /// <summary>Creates a definition.</summary>
        /// <param name="name">The name the model calls it by.</param>
        /// <param name="description">What it does; never empty on the wire (some hosts refuse a tool without one).</param>
        /// <param name="parameters">A JSON Schema object as plain values (dictionaries, lists, strings, numbers, booleans).</param>
        public ToolDefinition(string name, string? description, IDictionary<string, object?> parameters)
        {
            if (string.IsNullOrEmpty(name)) throw new ArgumentException("A tool needs a name.", nameof(name));
            Name = name;
            Description = string.IsNullOrWhiteSpace(description) ? name : description!;
            Parameters = parameters ?? throw new ArgumentNullException(nameof(parameters));
        }

        /// <summary>The name the model calls it by.</summary>
        public string Name { get; }

        /// <summary>What it does.</summary>
        public string Description { get; }

        /// <summary>The JSON Schema of its arguments.</summary>
        public IDictionary<string, object?> Parameters { get; }
    }
}
