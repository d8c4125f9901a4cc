using System.Collections.Generic;

namespace CloudflareAI
{
    /// <summary>One call of a tool that the model asked for.</summary>
    public sealed class ToolCall
    {
        /// <summary>Creates a call; <paramref name="argumentsJson"/> is parsed into <see cref="Arguments"/>.</summary>
        /// <param name="id">The call's ID, exactly as the model sent it.</param>
        /// <param name="name">The tool's name.</param>
        /// <param name="argumentsJson">The arguments as the model wrote them (a JSON object, as text).</param>
        public ToolCall(string id, string name, string argumentsJson)
        {
            Id = id;
            Name = name;
            ArgumentsJson = argumentsJson;
            Arguments = ToolArguments.TryParse(argumentsJson, out object? parsed) ? parsed : null;
        }

        /// <summary>The call's ID; the tool message that answers it carries the same ID, never shortened.</summary>
        public string Id { get; }

        /// <summary>The tool the model wants to run.</summary>
        public string Name { get; }

        /// <summary>The arguments as objects: a dictionary of names to strings, numbers (long or double), booleans, object arrays and dictionaries;
        /// null when the model's text is not valid JSON.</summary>
        public object? Arguments { get; }

        /// <summary>The arguments exactly as the model wrote them.</summary>
        public string ArgumentsJson { get; }

        /// <inheritdoc/>
        public override string ToString() => Name + " " + ArgumentsJson;
    }
}
