using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CloudflareAI.Cloudflare;

namespace CloudflareAI.Online
{
    /// <summary>A catalog model as the default-model check needs it: its callable name and planned deprecation.</summary>
    internal sealed class CatalogEntry
    {
        public CatalogEntry(string name, DateTime? plannedDeprecation)
        {
            Name = name;
            PlannedDeprecation = plannedDeprecation;
        }

        public string Name { get; }

        /// <summary>UTC midnight of the planned deprecation day, or null.</summary>
        public DateTime? PlannedDeprecation { get; }
    }

    /// <summary>
    /// Reads every page of the Workers AI models search for one task, keeping only what the online checks use.
    /// Stands in until the model catalog (Get-AIModel's parser and in-process cache) is merged, which replaces it.
    /// </summary>
    internal static class CatalogReader
    {
        private const int PerPage = 100;

        /// <summary>Bounds the paging when a server keeps claiming more (a 1,000-page catalog is not a catalog).</summary>
        private const int MaxPages = 1000;

        public static async Task<IReadOnlyList<CatalogEntry>> ReadAsync(CloudflareApiClient client, CloudflareApiEndpoint api, ApiGetOptions options,
            string task, CancellationToken cancellationToken)
        {
            var entries = new List<CatalogEntry>();
            for (int page = 1; page <= MaxPages; page++)
            {
                int onPage;
                int? total;
                using (ApiJsonResponse response = await client.GetJsonAsync(api, api.ModelsSearchUrl(task, page, PerPage), options, cancellationToken).ConfigureAwait(false))
                {
                    JsonElement root = response.Root;
                    onPage = 0;
                    if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("result", out JsonElement result) && result.ValueKind == JsonValueKind.Array)
                    {
                        foreach (JsonElement item in result.EnumerateArray())
                        {
                            onPage++;
                            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("name", out JsonElement name) || name.ValueKind != JsonValueKind.String) continue;
                            entries.Add(new CatalogEntry(name.GetString()!, PlannedDeprecation(item)));
                        }
                    }
                    total = TotalCount(root);
                }
                if (onPage < PerPage || (total is int t && entries.Count >= t)) break;
            }
            return entries;
        }

        private static int? TotalCount(JsonElement root)
        {
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("result_info", out JsonElement info) && info.ValueKind == JsonValueKind.Object
                && info.TryGetProperty("total_count", out JsonElement total) && total.ValueKind == JsonValueKind.Number && total.TryGetInt32(out int n))
            {
                return n;
            }
            return null;
        }

        private static DateTime? PlannedDeprecation(JsonElement item)
        {
            if (!item.TryGetProperty("properties", out JsonElement properties) || properties.ValueKind != JsonValueKind.Array) return null;
            foreach (JsonElement property in properties.EnumerateArray())
            {
                if (property.ValueKind != JsonValueKind.Object || !property.TryGetProperty("property_id", out JsonElement id) || id.ValueKind != JsonValueKind.String) continue;
                string? key = id.GetString();
                if (key != "planned_deprecation_date" && key != "planned_deprecation") continue;
                if (property.TryGetProperty("value", out JsonElement value) && value.ValueKind == JsonValueKind.String
                    && DateTime.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime date))
                {
                    return date;
                }
            }
            return null;
        }
    }
}
