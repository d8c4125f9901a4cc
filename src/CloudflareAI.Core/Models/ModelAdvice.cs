using System;
using System.Collections.Generic;
using System.Globalization;

namespace CloudflareAI.Models
{
    /// <summary>
    /// Warnings before a chat request about a model the cached catalog knows to be retired, soon retired or paid-only.
    /// Reads only the cache: the hot path gains no request.
    /// </summary>
    public static class ModelAdvice
    {
        /// <summary>How far ahead a planned deprecation is worth a warning.</summary>
        public static readonly TimeSpan Horizon = TimeSpan.FromDays(30);

        /// <summary>Warnings about the request's model from the cached catalog; none when it is not cached.</summary>
        public static IReadOnlyList<string> ForCachedModel(ModelCatalog catalog, ResolvedEndpoint resolved, IEnvironmentReader environment)
        {
            if (catalog == null || resolved == null) return Array.Empty<string>();
            if (!catalog.TryFindCached(resolved, environment, resolved.Model, out ModelInfo? info) || info == null) return Array.Empty<string>();
            return For(info, resolved.Alias.Name, catalog.Cache.Clock.UtcNow);
        }

        /// <summary>Warnings about one model for this alias, as of <paramref name="now"/>.</summary>
        public static IReadOnlyList<string> For(ModelInfo model, string alias, DateTimeOffset now)
        {
            var warnings = new List<string>();
            if (model.PlannedDeprecation is DateTime date)
            {
                string day = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                if (date <= now.UtcDateTime)
                {
                    warnings.Add($"The model '{model.Name}' was retired on {day}, so the request will most likely fail. " +
                        $"Choose a current model: Get-AIModel -Provider {alias}");
                }
                else if (date - now.UtcDateTime <= Horizon)
                {
                    int days = (int)Math.Ceiling((date - now.UtcDateTime).TotalDays);
                    warnings.Add($"The model '{model.Name}' is planned to be retired on {day} (in {days} day{(days == 1 ? "" : "s")}). " +
                        $"Move to another model before then: Get-AIModel -Provider {alias}");
                }
            }
            if (model.RequiresPaidPlan)
            {
                warnings.Add($"The model '{model.Name}' needs the Workers Paid plan (or AI Gateway Unified Billing); on Workers Free the request fails with code 5035.");
            }
            return warnings;
        }
    }
}
