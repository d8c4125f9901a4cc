using System.Collections.Generic;
using System.Linq;

namespace CloudflareAI.Models
{
    /// <summary>The error for a model name that is not in the catalog, with the nearest names as suggestions.</summary>
    internal static class ModelNotFound
    {
        /// <param name="name">The name asked for.</param>
        /// <param name="catalog">The catalog it was looked up in.</param>
        /// <param name="task">The catalog task listed, or * for every task.</param>
        public static CloudflareAIException For(string name, IReadOnlyList<ModelInfo> catalog, string task)
        {
            IReadOnlyList<string> suggestions = ModelCatalog.Suggest(name, catalog);
            string hint = suggestions.Count > 0 ? $" Did you mean {string.Join(" or ", suggestions.Select(s => "'" + s + "'"))}?" : string.Empty;
            string where = task == "*" ? string.Empty : $" (task '{task}')";
            return new CloudflareAIException(ErrorIds.ModelNotFound, ErrorKind.ObjectNotFound,
                $"There is no model named '{name}' in the catalog{where}.{hint}",
                "Get-AIModel lists the models; use a wildcard such as Get-AIModel '*llama*', -Task * for every task, or press Tab after -Name.")
            { Target = name };
        }
    }
}
