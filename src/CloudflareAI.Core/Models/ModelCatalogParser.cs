using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace CloudflareAI.Models
{
    /// <summary>Paging facts of one Workers AI models-search page (its result_info).</summary>
    internal sealed class CatalogPage
    {
        public List<ModelInfo> Models { get; } = new List<ModelInfo>();

        /// <summary>Items on this page as the server sent them (before any are skipped).</summary>
        public int Count { get; set; }

        public int? PerPage { get; set; }

        public int? TotalCount { get; set; }

        public int? TotalPages { get; set; }
    }

    /// <summary>
    /// Reads the catalogs: Workers AI's models search (v4 envelope, <c>result[]</c> with <c>properties[]</c> whose values
    /// come as strings, numbers, booleans, arrays or objects) and the OpenAI-style <c>/models</c> list. Every value is read
    /// by its shape; an item or property that cannot be understood is skipped, never fatal.
    /// </summary>
    internal static class ModelCatalogParser
    {
        public const string FunctionCalling = "FunctionCalling";
        public const string Reasoning = "Reasoning";
        public const string Vision = "Vision";
        public const string Lora = "Lora";
        public const string AsyncQueue = "AsyncQueue";
        public const string Beta = "Beta";

        /// <summary>Every capability name, in the order they are listed on a model.</summary>
        public static readonly string[] CapabilityNames = { FunctionCalling, Reasoning, Vision, Lora, AsyncQueue, Beta };

        private static readonly Dictionary<string, string> CapabilityProperties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["function_calling"] = FunctionCalling,
            ["reasoning"] = Reasoning,
            ["vision"] = Vision,
            ["lora"] = Lora,
            ["async_queue"] = AsyncQueue,
            ["beta"] = Beta,
        };

        // Cloudflare's docs site reads planned_deprecation_date; the other spellings are accepted in case the API differs.
        private static readonly HashSet<string> DeprecationProperties = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "planned_deprecation_date", "planned_deprecation", "deprecation_date",
        };

        private static readonly string[] DateFormats =
        {
            "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd",
        };

        public static CatalogPage ParseWorkersAiPage(JsonElement root, string provider, string namePrefix, DateTimeOffset now)
        {
            var page = new CatalogPage();
            if (root.ValueKind != JsonValueKind.Object) return page;
            if (root.TryGetProperty("result_info", out JsonElement info) && info.ValueKind == JsonValueKind.Object)
            {
                page.PerPage = ReadInt(Property(info, "per_page"));
                page.TotalCount = ReadInt(Property(info, "total_count"));
                page.TotalPages = ReadInt(Property(info, "total_pages"));
            }
            if (!root.TryGetProperty("result", out JsonElement result) || result.ValueKind != JsonValueKind.Array) return page;
            foreach (JsonElement item in result.EnumerateArray())
            {
                page.Count++;
                ModelInfo? model = ReadWorkersAiModel(item, provider, namePrefix, now);
                if (model != null) page.Models.Add(model);
            }
            return page;
        }

        public static ModelInfo? ReadWorkersAiModel(JsonElement item, string provider, string namePrefix, DateTimeOffset now)
        {
            if (item.ValueKind != JsonValueKind.Object) return null;
            string? name = ReadString(Property(item, "name"));
            if (string.IsNullOrWhiteSpace(name)) return null;
            var model = new ModelInfo
            {
                Name = namePrefix + name,
                Provider = provider,
                Description = ReadString(Property(item, "description")),
                Created = ReadDate(Property(item, "created_at")),
            };
            JsonElement? task = Property(item, "task");
            if (task is JsonElement t) model.Task = t.ValueKind == JsonValueKind.Object ? ReadString(Property(t, "name")) : ReadString(t);

            var capabilities = new HashSet<string>(StringComparer.Ordinal);
            if (Property(item, "properties") is JsonElement properties && properties.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement property in properties.EnumerateArray())
                {
                    if (property.ValueKind != JsonValueKind.Object) continue;
                    string? id = ReadString(Property(property, "property_id"));
                    if (id == null) continue;
                    JsonElement? value = Property(property, "value");
                    if (CapabilityProperties.TryGetValue(id, out string? capability))
                    {
                        if (ReadFlag(value)) capabilities.Add(capability);
                    }
                    else if (string.Equals(id, "context_window", StringComparison.OrdinalIgnoreCase)) model.ContextWindow = ReadInt(value);
                    else if (string.Equals(id, "require_workers_paid", StringComparison.OrdinalIgnoreCase)) model.RequiresPaidPlan = ReadFlag(value);
                    else if (DeprecationProperties.Contains(id)) model.PlannedDeprecation = ReadDate(value) ?? model.PlannedDeprecation;
                    else if (string.Equals(id, "price", StringComparison.OrdinalIgnoreCase)) model.Price = ReadPrice(value);
                }
            }
            var ordered = new List<string>();
            foreach (string capability in CapabilityNames)
            {
                if (capabilities.Contains(capability)) ordered.Add(capability);
            }
            model.Capabilities = ordered.ToArray();
            model.IsDeprecated = model.PlannedDeprecation.HasValue && model.PlannedDeprecation.Value <= now.UtcDateTime;
            return model;
        }

        /// <summary>OpenAI's <c>{"object":"list","data":[{"id","owned_by","created"}]}</c>; a bare array is accepted too.</summary>
        public static List<ModelInfo> ParseOpenAiList(JsonElement root, string provider)
        {
            var models = new List<ModelInfo>();
            JsonElement data = root;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (Property(root, "data") is JsonElement d) data = d;
                else if (Property(root, "models") is JsonElement m) data = m;
            }
            if (data.ValueKind != JsonValueKind.Array) return models;
            foreach (JsonElement item in data.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object) continue;
                string? id = ReadString(Property(item, "id")) ?? ReadString(Property(item, "name"));
                if (string.IsNullOrWhiteSpace(id)) continue;
                models.Add(new ModelInfo
                {
                    Name = id!,
                    Provider = provider,
                    OwnedBy = ReadString(Property(item, "owned_by")),
                    Description = ReadString(Property(item, "description")),
                    ContextWindow = ReadInt(Property(item, "context_length")) ?? ReadInt(Property(item, "context_window")),
                    Created = ReadDate(Property(item, "created")),
                });
            }
            return models;
        }

        internal static JsonElement? Property(JsonElement element, string name)
        {
            if (element.ValueKind != JsonValueKind.Object) return null;
            if (element.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null && value.ValueKind != JsonValueKind.Undefined) return value;
            return null;
        }

        internal static string? ReadString(JsonElement? value)
        {
            if (value is not JsonElement v) return null;
            switch (v.ValueKind)
            {
                case JsonValueKind.String: return v.GetString();
                case JsonValueKind.Number: return v.GetRawText();
                case JsonValueKind.True: return "true";
                case JsonValueKind.False: return "false";
                default: return null;
            }
        }

        /// <summary>true, "true", "yes", "1", a non-zero number; an object or a non-empty array (a capability with settings, such as reasoning_effort).</summary>
        internal static bool ReadFlag(JsonElement? value)
        {
            if (value is not JsonElement v) return false;
            switch (v.ValueKind)
            {
                case JsonValueKind.True: return true;
                case JsonValueKind.False: return false;
                case JsonValueKind.Number: return v.TryGetDouble(out double d) && d != 0;
                case JsonValueKind.String:
                    string s = v.GetString()!.Trim();
                    return s.Equals("true", StringComparison.OrdinalIgnoreCase) || s.Equals("yes", StringComparison.OrdinalIgnoreCase) || s == "1";
                case JsonValueKind.Object: return true;
                case JsonValueKind.Array: return v.GetArrayLength() > 0;
                default: return false;
            }
        }

        /// <summary>A number, or a string holding one ("128000", "128,000"); null otherwise or when out of range.</summary>
        internal static int? ReadInt(JsonElement? value)
        {
            if (value is not JsonElement v) return null;
            double number;
            if (v.ValueKind == JsonValueKind.Number)
            {
                if (!v.TryGetDouble(out number)) return null;
            }
            else if (v.ValueKind == JsonValueKind.String)
            {
                string s = v.GetString()!.Trim().Replace(",", string.Empty).Replace("_", string.Empty);
                if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out number)) return null;
            }
            else return null;
            if (double.IsNaN(number) || number < 0 || number > int.MaxValue) return null;
            return (int)number;
        }

        /// <summary>
        /// "2025-08-05 10:27:29.131" (no zone: UTC), ISO 8601 with or without a zone, a date alone, or Unix seconds
        /// (milliseconds when the number is too large for seconds). Always returned as UTC.
        /// </summary>
        internal static DateTime? ReadDate(JsonElement? value)
        {
            if (value is not JsonElement v) return null;
            if (v.ValueKind == JsonValueKind.Number)
            {
                if (!v.TryGetDouble(out double n) || double.IsNaN(n) || n <= 0) return null;
                try
                {
                    return n > 100000000000 ? DateTimeOffset.FromUnixTimeMilliseconds((long)n).UtcDateTime : DateTimeOffset.FromUnixTimeSeconds((long)n).UtcDateTime;
                }
                catch (ArgumentOutOfRangeException)
                {
                    return null;
                }
            }
            if (v.ValueKind != JsonValueKind.String) return null;
            return ParseDate(v.GetString());
        }

        internal static DateTime? ParseDate(string? text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            string s = text!.Trim();
            if (DateTime.TryParseExact(s, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTime exact))
            {
                return DateTime.SpecifyKind(exact, DateTimeKind.Utc);
            }
            if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset any)) return any.UtcDateTime;
            return null;
        }

        /// <summary>An array of {unit, price, currency} (price a number or a string); only per-token units count.</summary>
        internal static ModelPrice? ReadPrice(JsonElement? value)
        {
            if (value is not JsonElement v) return null;
            var price = new ModelPrice();
            if (v.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement entry in v.EnumerateArray())
                {
                    if (entry.ValueKind != JsonValueKind.Object) continue;
                    string unit = (ReadString(Property(entry, "unit")) ?? string.Empty).ToLowerInvariant();
                    double? amount = ReadDouble(Property(entry, "price"));
                    if (amount == null || unit.IndexOf("token", StringComparison.Ordinal) < 0) continue;
                    double? perMillion = PerMillion(unit, amount.Value);
                    if (perMillion == null) continue;
                    // Cached-input prices are a discount on input, not the input price.
                    if (unit.IndexOf("cache", StringComparison.Ordinal) >= 0) continue;
                    if (unit.IndexOf("output", StringComparison.Ordinal) >= 0) price.OutputPerMillion ??= perMillion;
                    else if (unit.IndexOf("input", StringComparison.Ordinal) >= 0) price.InputPerMillion ??= perMillion;
                    else continue;
                    price.Currency ??= ReadString(Property(entry, "currency"));
                }
            }
            else if (v.ValueKind == JsonValueKind.Object)
            {
                price.InputPerMillion = ReadDouble(Property(v, "input"));
                price.OutputPerMillion = ReadDouble(Property(v, "output"));
                price.Currency = ReadString(Property(v, "currency"));
            }
            return price.InputPerMillion.HasValue || price.OutputPerMillion.HasValue ? price : null;
        }

        private static double? PerMillion(string unit, double amount)
        {
            if (unit.Contains("per m ") || unit.Contains("per million") || unit.Contains("/m ") || unit.Contains("per 1m")) return amount;
            if (unit.Contains("per 1k") || unit.Contains("per k ") || unit.Contains("per thousand") || unit.Contains("per 1,000 ")) return amount * 1000;
            if (unit.Contains("per token")) return amount * 1000000;
            return null;
        }

        private static double? ReadDouble(JsonElement? value)
        {
            if (value is not JsonElement v) return null;
            if (v.ValueKind == JsonValueKind.Number) return v.TryGetDouble(out double d) ? d : (double?)null;
            if (v.ValueKind == JsonValueKind.String)
            {
                string s = v.GetString()!.Trim().TrimStart('$');
                return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : (double?)null;
            }
            return null;
        }
    }
}
