using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;

namespace CloudflareAI
{
    /// <summary>
    /// What AI Gateway said about one answer: every cf-aig-* response header. Values are opaque strings as the gateway
    /// sent them (log IDs are lowercase UUIDv7 today and were ULIDs before: never parse them), with any secret as ***.
    /// </summary>
    public sealed class GatewayInfo
    {
        internal const string HeaderPrefix = "cf-aig-";

        internal GatewayInfo(IReadOnlyDictionary<string, string> headers)
        {
            Headers = headers;
            LogId = Get("cf-aig-log-id");
            RequestId = Get("cf-aig-request-id");
            EventId = Get("cf-aig-event-id");
            CacheStatus = Get("cf-aig-cache-status");
            Step = int.TryParse(Get("cf-aig-step"), NumberStyles.None, CultureInfo.InvariantCulture, out int step) ? step : (int?)null;
            Model = Get("cf-aig-model");
            Provider = Get("cf-aig-provider");
            RoutedModel = Get("cf-aig-routed-model");
            RoutingReason = Get("cf-aig-routing-reason");
            RoutingDecisionId = Get("cf-aig-routing-decision-id");
        }

        /// <summary>cf-aig-log-id: the entry in the gateway's logs (also what human feedback is sent against).</summary>
        public string? LogId { get; }

        /// <summary>cf-aig-request-id; the same as LogId for a single-step request.</summary>
        public string? RequestId { get; }

        /// <summary>cf-aig-event-id: the -GatewayEventId sent, or the gateway's own.</summary>
        public string? EventId { get; }

        /// <summary>cf-aig-cache-status: HIT or MISS.</summary>
        public string? CacheStatus { get; }

        /// <summary>cf-aig-step: the 0-based index of the fallback step that answered.</summary>
        public int? Step { get; }

        /// <summary>cf-aig-model: the model that served a dynamic route or model alias.</summary>
        public string? Model { get; }

        /// <summary>cf-aig-provider: the provider that served a dynamic route or model alias.</summary>
        public string? Provider { get; }

        /// <summary>cf-aig-routed-model: the model Auto Router (cloudflare/auto) chose.</summary>
        public string? RoutedModel { get; }

        /// <summary>cf-aig-routing-reason: why Auto Router chose it (cost_optimal_within_pool, fallback_..., ...).</summary>
        public string? RoutingReason { get; }

        /// <summary>cf-aig-routing-decision-id: Auto Router's decision.</summary>
        public string? RoutingDecisionId { get; }

        /// <summary>Every cf-aig-* response header, names in lower case, repeated headers joined with ", ".</summary>
        public IReadOnlyDictionary<string, string> Headers { get; }

        /// <inheritdoc/>
        public override string ToString()
        {
            string cache = CacheStatus ?? "none";
            return LogId == null ? $"cache {cache}" : $"cache {cache}, log {LogId}";
        }

        /// <summary>The cf-aig-* headers of a response, each value through <paramref name="redact"/>; null when there are none.</summary>
        internal static GatewayInfo? FromHeaders(IEnumerable<KeyValuePair<string, IEnumerable<string>>> headers, Func<string, string> redact)
        {
            Dictionary<string, string>? found = null;
            foreach (var header in headers)
            {
                if (header.Key == null || !header.Key.StartsWith(HeaderPrefix, StringComparison.OrdinalIgnoreCase)) continue;
                found ??= new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                string name = header.Key.ToLowerInvariant();
                string value = redact(string.Join(", ", header.Value));
                found[name] = found.TryGetValue(name, out string? earlier) ? earlier + ", " + value : value;
            }
            return found == null ? null : new GatewayInfo(new ReadOnlyDictionary<string, string>(found));
        }

        private string? Get(string name) => Headers.TryGetValue(name, out string? value) ? value : null;
    }
}
