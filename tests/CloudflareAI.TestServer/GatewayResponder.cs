using System;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace CloudflareAI.TestServer
{
    /// <summary>
    /// What AI Gateway adds to an answer: the cf-aig-* response headers, for the /compat endpoint and for the REST API
    /// (the Workers AI path with cf-aig-gateway-id, or a third-party model there, which goes through the account's
    /// "default" gateway). A plain Workers AI call (an @cf/ model without cf-aig-gateway-id) gets none.
    /// </summary>
    internal sealed class GatewayResponder
    {
        public const string GatewayIdHeader = "cf-aig-gateway-id";
        public const string RoutedModel = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";

        // Cache keys seen per gateway, so the second request with a key is a HIT as the real cache would make it.
        private readonly ConcurrentDictionary<string, bool> _cacheKeys = new(StringComparer.Ordinal);

        /// <summary>Forgets every cache key (DELETE /_emulator/requests: a cleared emulator behaves like a fresh one).</summary>
        public void Clear() => _cacheKeys.Clear();

        /// <summary>Whether this request went through a gateway at all.</summary>
        public static bool IsGateway(RequestRecord record, Flavour flavour, string model) =>
            flavour == Flavour.Gateway
            || (flavour == Flavour.WorkersAI && (record.Header(GatewayIdHeader) is { Length: > 0 } || !model.StartsWith("@cf/", StringComparison.Ordinal)));

        /// <summary>Sets the gateway's response headers. A failed request is logged too, but fills no cache.</summary>
        public void AddHeaders(HttpContext ctx, RequestRecord record, string model, bool failing)
        {
            var headers = ctx.Response.Headers;
            // Since 2026-10 one id names the log entry, the request and (unless the client sent its own) the event.
            string logId = NewUuidV7();
            headers["cf-aig-log-id"] = logId;
            headers["cf-aig-request-id"] = logId;
            headers["cf-aig-event-id"] = record.Header("cf-aig-event-id") is { Length: > 0 } eventId ? eventId : logId;
            headers["cf-aig-cache-status"] = CacheStatus(record, failing);

            if (model == "cloudflare/auto")
            {
                headers["cf-aig-routed-model"] = RoutedModel;
                headers["cf-aig-routing-reason"] = "cost_optimal_within_pool";
                headers["cf-aig-routing-decision-id"] = NewUuidV7();
            }
            else if (model.StartsWith("custom/", StringComparison.Ordinal) || model.StartsWith("dynamic/", StringComparison.Ordinal))
            {
                headers["cf-aig-model"] = RoutedModel;
                headers["cf-aig-provider"] = "workers-ai";
                headers["cf-aig-step"] = "0";
            }
        }

        private string CacheStatus(RequestRecord record, bool failing)
        {
            bool skip = string.Equals(record.Header("cf-aig-skip-cache")?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
            if (skip || record.Header("cf-aig-cache-key") is not { Length: > 0 } key) return "MISS";
            string scope = (record.Header(GatewayIdHeader) ?? GatewayPath(record.Path)) + "\n" + key;
            if (_cacheKeys.ContainsKey(scope)) return "HIT";
            if (!failing) _cacheKeys[scope] = true;
            return "MISS";
        }

        /// <summary>The /compat gateway is named by its path: /v1/{account}/{gateway}/compat.</summary>
        private static string GatewayPath(string path)
        {
            int end = path.IndexOf("/compat/", StringComparison.Ordinal);
            return end < 0 ? "default" : path.Substring(0, end);
        }

        /// <summary>A lowercase UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, version 7, variant 10, random bits.</summary>
        public static string NewUuidV7()
        {
            Span<byte> bytes = stackalloc byte[16];
            RandomNumberGenerator.Fill(bytes);
            long ms = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            for (int i = 5; i >= 0; i--)
            {
                bytes[i] = (byte)(ms & 0xFF);
                ms >>= 8;
            }
            bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
            bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
            string hex = Convert.ToHexString(bytes).ToLowerInvariant();
            return $"{hex.Substring(0, 8)}-{hex.Substring(8, 4)}-{hex.Substring(12, 4)}-{hex.Substring(16, 4)}-{hex.Substring(20)}";
        }
    }
}
