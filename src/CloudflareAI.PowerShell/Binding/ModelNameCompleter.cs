using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using System.Threading.Tasks;

namespace CloudflareAI.PowerShell
{
    /// <summary>
    /// Completes -Model (Invoke-AIChat) and -Name (Get-AIModel) from the live catalog of the -Provider on the command line
    /// (with its -BaseUrl), or of the alias auto-selection would use. Uses the process's catalog cache; a cold cache is
    /// filled with a 3 s limit. Never prints, throws or prompts: whatever goes wrong, it offers nothing.
    /// </summary>
    public sealed class ModelNameCompleter : IArgumentCompleter
    {
        internal static readonly TimeSpan ColdLimit = TimeSpan.FromSeconds(3);

        /// <summary>The catalog task of the models Invoke-AIEmbedding can call.</summary>
        private const string EmbeddingTask = "Text Embeddings";

        /// <inheritdoc/>
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            try
            {
                return Complete(wordToComplete, fakeBoundParameters, commandName);
            }
            catch (Exception)
            {
                // A completer that throws shows nothing useful and may print in some hosts.
                return Array.Empty<CompletionResult>();
            }
        }

        private static IEnumerable<CompletionResult> Complete(string wordToComplete, IDictionary? bound, string? commandName)
        {
            IReadOnlyList<ModelInfo> models = Catalog(bound, commandName);
            if (models.Count == 0) return Array.Empty<CompletionResult>();
            string word = (wordToComplete ?? string.Empty).Trim('\'', '"');
            var live = models.Where(m => !m.IsDeprecated).ToList();
            var starts = live.Where(m => m.Name.StartsWith(word, StringComparison.OrdinalIgnoreCase));
            // "llama<Tab>" finds @cf/meta/llama-...: the prefix before the family is rarely what people type.
            var contains = live.Where(m => !m.Name.StartsWith(word, StringComparison.OrdinalIgnoreCase) && word.Length > 0
                && m.Name.IndexOf(word, StringComparison.OrdinalIgnoreCase) >= 0);
            return starts.Concat(contains).Select(m => new CompletionResult(Quote(m.Name), m.Name, CompletionResultType.ParameterValue, ToolTip(m))).ToList();
        }

        private static IReadOnlyList<ModelInfo> Catalog(IDictionary? bound, string? commandName)
        {
            bool embeddings = string.Equals(commandName, "Invoke-AIEmbedding", StringComparison.OrdinalIgnoreCase);
            var request = new EndpointOverrides
            {
                Provider = Text(bound, "Provider"),
                BaseUrl = Text(bound, "BaseUrl"),
                RequireModel = false,
            };
            IEnvironmentReader environment = ProcessEnvironmentReader.Instance;
            ResolvedEndpoint resolved = EndpointResolver.Resolve(request, environment);
            string? task = Text(bound, "Task") ?? (embeddings ? EmbeddingTask : ModelCatalog.TextGeneration);
            if (task == "*") task = null;

            using (var limit = new CancellationTokenSource(ColdLimit))
            {
                var options = new ApiGetOptions { Timeout = ColdLimit, MaxRetries = 0 };
                Task<ModelCatalogResult> work = ModelCatalog.Shared.ListAsync(resolved, null, environment, task, false, options, limit.Token);
                // A late failure must not surface as an unobserved exception.
                work.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                if (!work.Wait(ColdLimit)) return Array.Empty<ModelInfo>();
                return work.Status == TaskStatus.RanToCompletion ? work.Result.Models : Array.Empty<ModelInfo>();
            }
        }

        private static string? Text(IDictionary? bound, string name)
        {
            if (bound == null || !bound.Contains(name)) return null;
            object? value = bound[name];
            if (value is PSObject ps) value = ps.BaseObject;
            return value is string s && s.Length > 0 ? s : null;
        }

        /// <summary>'@cf/...' must be quoted: a bare @name is splatting to PowerShell.</summary>
        internal static string Quote(string name)
        {
            bool plain = name.Length > 0 && name[0] != '@' && name.All(c => char.IsLetterOrDigit(c) || c == '-' || c == '_' || c == '.' || c == '/' || c == ':');
            return plain ? name : "'" + name.Replace("'", "''") + "'";
        }

        private static string ToolTip(ModelInfo model)
        {
            var parts = new List<string>();
            if (!string.IsNullOrEmpty(model.Description)) parts.Add(model.Description!);
            if (model.ContextWindow.HasValue) parts.Add($"context {model.ContextWindow.Value}");
            if (model.Capabilities.Length > 0) parts.Add(string.Join(", ", model.Capabilities));
            if (model.PlannedDeprecation.HasValue) parts.Add("retires " + model.PlannedDeprecation.Value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            if (model.RequiresPaidPlan) parts.Add("Workers Paid");
            return parts.Count == 0 ? model.Name : string.Join(" | ", parts);
        }
    }
}
