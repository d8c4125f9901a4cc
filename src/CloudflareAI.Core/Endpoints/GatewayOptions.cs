using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace CloudflareAI.Endpoints
{
    /// <summary>
    /// The AI Gateway controls of Invoke-AIChat (-GatewayCacheTtl, -GatewaySkipCache, -GatewayCacheKey, -GatewayMetadata,
    /// -GatewayEventId). Each becomes one cf-aig-* request header; see docs/providers/cloudflare-ai-gateway-rest.md.
    /// </summary>
    public sealed class GatewayOptions
    {
        /// <summary>AI Gateway's own limits for cf-aig-cache-ttl: one minute to one month (30 days).</summary>
        public const int MinCacheTtlSeconds = 60;
        /// <summary>The longest cache TTL AI Gateway accepts, in seconds (30 days).</summary>
        public const int MaxCacheTtlSeconds = 2592000;

        /// <summary>The gateway keeps at most five metadata entries and drops the rest silently: refuse them instead.</summary>
        public const int MaxMetadataEntries = 5;

        /// <summary>The header for <see cref="CacheTtl"/>.</summary>
        public const string CacheTtlHeader = "cf-aig-cache-ttl";
        /// <summary>The header for <see cref="SkipCache"/>.</summary>
        public const string SkipCacheHeader = "cf-aig-skip-cache";
        /// <summary>The header for <see cref="CacheKey"/>.</summary>
        public const string CacheKeyHeader = "cf-aig-cache-key";
        /// <summary>The header for <see cref="Metadata"/>, a JSON object.</summary>
        public const string MetadataHeader = "cf-aig-metadata";
        /// <summary>The header for <see cref="EventId"/>.</summary>
        public const string EventIdHeader = "cf-aig-event-id";

        /// <summary>Seconds, <see cref="MinCacheTtlSeconds"/> to <see cref="MaxCacheTtlSeconds"/>.</summary>
        public int? CacheTtl { get; set; }

        /// <summary>True to bypass the gateway cache for this request.</summary>
        public bool SkipCache { get; set; }

        /// <summary>A cache key of the user's choosing, or null.</summary>
        public string? CacheKey { get; set; }

        /// <summary>Name and value pairs in the order given; values are strings, numbers or booleans. An empty list sends no header.</summary>
        public IReadOnlyList<KeyValuePair<string, object?>>? Metadata { get; set; }

        /// <summary>An ID to find the request by in the gateway's logs, or null.</summary>
        public string? EventId { get; set; }

        /// <summary>Whether any control was given, so that a non-gateway alias can refuse them.</summary>
        public bool Any => CacheTtl != null || SkipCache || CacheKey != null || Metadata != null || EventId != null;

        /// <summary>The parameter names of the controls given, for the error on a non-gateway alias.</summary>
        public IReadOnlyList<string> GivenParameters()
        {
            var names = new List<string>();
            if (CacheTtl != null) names.Add("-GatewayCacheTtl");
            if (SkipCache) names.Add("-GatewaySkipCache");
            if (CacheKey != null) names.Add("-GatewayCacheKey");
            if (Metadata != null) names.Add("-GatewayMetadata");
            if (EventId != null) names.Add("-GatewayEventId");
            return names;
        }

        /// <summary>The request headers, final values (not templates: a '$' in metadata is sent as it is).</summary>
        /// <exception cref="CloudflareAIException">ParameterInvalid: a value the gateway cannot take.</exception>
        public IReadOnlyList<KeyValuePair<string, string>> ToHeaders()
        {
            var headers = new List<KeyValuePair<string, string>>();
            if (CacheTtl is int ttl)
            {
                if (ttl < MinCacheTtlSeconds || ttl > MaxCacheTtlSeconds)
                {
                    throw Invalid("-GatewayCacheTtl", $"-GatewayCacheTtl {ttl.ToString(CultureInfo.InvariantCulture)} is outside AI Gateway's cache TTL range.",
                        $"Give a number of seconds from {MinCacheTtlSeconds} (one minute) to {MaxCacheTtlSeconds.ToString(CultureInfo.InvariantCulture)} (30 days), for example -GatewayCacheTtl 3600.");
                }
                headers.Add(new KeyValuePair<string, string>(CacheTtlHeader, ttl.ToString(CultureInfo.InvariantCulture)));
            }
            if (SkipCache) headers.Add(new KeyValuePair<string, string>(SkipCacheHeader, "true"));
            if (CacheKey != null) headers.Add(new KeyValuePair<string, string>(CacheKeyHeader, CheckText("-GatewayCacheKey", CacheKey)));
            if (Metadata != null && Metadata.Count > 0) headers.Add(new KeyValuePair<string, string>(MetadataHeader, MetadataJson(Metadata)));
            if (EventId != null) headers.Add(new KeyValuePair<string, string>(EventIdHeader, CheckText("-GatewayEventId", EventId)));
            return headers;
        }

        /// <summary>GatewayOptionNotSupported unless the alias is a gateway; called before anything is sent.</summary>
        public void EnsureSupportedBy(ProviderAliasDefinition alias)
        {
            if (!Any || alias.IsGateway) return;
            var given = GivenParameters();
            string names = string.Join(", ", given);
            throw new CloudflareAIException(ErrorIds.GatewayOptionNotSupported, ErrorKind.InvalidArgument,
                $"{names} {(given.Count == 1 ? "is an AI Gateway control" : "are AI Gateway controls")}, and the {alias.Name} alias does not go through AI Gateway.",
                $"Drop {names}, or use a gateway alias: -Provider {AliasCatalog.CloudflareAiGatewayRest} (or cloudflare-ai-gateway). " +
                "To send a cf-aig-* header to another host anyway, pass it with -Header.")
            { Target = alias.Name };
        }

        /// <summary>cf-aig-metadata: a flat JSON object, compact, ASCII only (other characters as \u escapes, which any header carries).</summary>
        internal static string MetadataJson(IReadOnlyList<KeyValuePair<string, object?>> metadata)
        {
            if (metadata.Count > MaxMetadataEntries)
            {
                throw Invalid("-GatewayMetadata", $"-GatewayMetadata has {metadata.Count} entries; AI Gateway keeps at most {MaxMetadataEntries} and drops the others.",
                    $"Pass at most {MaxMetadataEntries} entries, for example -GatewayMetadata @{{ team = 'docs'; job = 'nightly' }}.");
            }
            var seen = new HashSet<string>(StringComparer.Ordinal);
            using (var buffer = new MemoryStream())
            {
                using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
                {
                    writer.WriteStartObject();
                    foreach (var entry in metadata)
                    {
                        string key = entry.Key ?? string.Empty;
                        if (key.Trim().Length == 0)
                        {
                            throw Invalid("-GatewayMetadata", "-GatewayMetadata has an entry with an empty name.", "Give every entry a name, for example @{ team = 'docs' }.");
                        }
                        if (!seen.Add(key))
                        {
                            throw Invalid("-GatewayMetadata", $"-GatewayMetadata names '{key}' twice.", "Give each entry a different name.");
                        }
                        writer.WritePropertyName(key);
                        WriteFlatValue(writer, key, entry.Value);
                    }
                    writer.WriteEndObject();
                }
                return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            }
        }

        private static void WriteFlatValue(Utf8JsonWriter writer, string key, object? value)
        {
            if (JsonValueWriter.TryWriteNumber(writer, value)) return;
            switch (value)
            {
                case string s:
                    writer.WriteStringValue(s);
                    return;
                case bool b:
                    writer.WriteBooleanValue(b);
                    return;
                case float _:
                case double _:
                    throw Invalid("-GatewayMetadata", $"The -GatewayMetadata entry '{key}' is not a finite number.", "Give a finite number, a string or $true/$false.");
            }
            string what = value == null ? "null" : value is System.Collections.IEnumerable ? "a nested list or table" : "a " + value.GetType().Name;
            throw Invalid("-GatewayMetadata", $"The -GatewayMetadata entry '{key}' is {what}; AI Gateway takes only flat values: strings, numbers and booleans.",
                $"Give '{key}' a string, number or $true/$false, for example @{{ {key} = 'value' }}; flatten nested values into their own entries or a string.");
        }

        /// <summary>A header value the user typed: visible ASCII and spaces only, so it reaches the gateway unchanged.</summary>
        private static string CheckText(string parameter, string value)
        {
            if (value.Length == 0) throw Invalid(parameter, $"{parameter} is empty.", $"Give {parameter} a value, or leave it out.");
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (c < 0x20 || c > 0x7E)
                {
                    throw Invalid(parameter, $"{parameter} has a character that cannot go in an HTTP header (U+{((int)c).ToString("X4", CultureInfo.InvariantCulture)} at position {(i + 1).ToString(CultureInfo.InvariantCulture)}).",
                        $"Use letters, digits, spaces and ASCII punctuation in {parameter}.");
                }
            }
            return value;
        }

        private static CloudflareAIException Invalid(string parameter, string message, string fix) =>
            new CloudflareAIException(ErrorIds.ParameterInvalid, ErrorKind.InvalidArgument, message, fix) { Target = parameter };
    }
}
