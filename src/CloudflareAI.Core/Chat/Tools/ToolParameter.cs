using System;
using System.Collections.Generic;

namespace CloudflareAI.Chat.Tools
{
    /// <summary>What the schema needs to know of one command parameter; the cmdlets read it from the command's metadata.</summary>
    internal sealed class ToolParameter
    {
        /// <summary>Creates a parameter description.</summary>
        /// <param name="name">The parameter's name.</param>
        /// <param name="type">Its .NET type (a switch is given as <see cref="bool"/>).</param>
        public ToolParameter(string name, Type type)
        {
            Name = name ?? throw new ArgumentNullException(nameof(name));
            Type = type ?? throw new ArgumentNullException(nameof(type));
        }

        /// <summary>The parameter's name.</summary>
        public string Name { get; }

        /// <summary>Its .NET type.</summary>
        public Type Type { get; }

        /// <summary>True when the command cannot run without it.</summary>
        public bool Mandatory { get; set; }

        /// <summary>The values a ValidateSet allows; null when there is none.</summary>
        public IReadOnlyList<string>? AllowedValues { get; set; }

        /// <summary>The help's description of it; null when the help has none.</summary>
        public string? Description { get; set; }
    }
}
