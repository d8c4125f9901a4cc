using System.Collections.Generic;

namespace CloudflareAI.Chat.Tools
{
    /// <summary>A schema and the parameters it had to leave out.</summary>
    internal sealed class SchemaResult
    {
        /// <summary>Creates a result.</summary>
        public SchemaResult(Dictionary<string, object?> schema, IReadOnlyList<string> skipped)
        {
            Schema = schema;
            Skipped = skipped;
        }

        /// <summary>The JSON Schema object: type, properties, required.</summary>
        public Dictionary<string, object?> Schema { get; }

        /// <summary>"Name (Type)" of each parameter left out because a model cannot write its type as JSON.</summary>
        public IReadOnlyList<string> Skipped { get; }
    }
}
