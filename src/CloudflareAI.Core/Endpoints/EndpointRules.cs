using System;
using System.Collections.Generic;
using System.Linq;

namespace CloudflareAI.Endpoints
{
    /// <summary>Facts about an endpoint that change what is sent or how an error reads, decided from its alias and host.</summary>
    internal static class EndpointRules
    {
        /// <summary>AI Gateway's REST API alias: api.cloudflare.com with a cf-aig-gateway-id header.</summary>
        public const string RestGatewayAlias = "cloudflare-ai-gateway-rest";

        public const string GatewayIdHeader = "cf-aig-gateway-id";

        private const string LegacyGatewayHost = "gateway.ai.cloudflare.com";
        private const string OpenAiHost = "api.openai.com";

        // Azure OpenAI resources answer on <resource>.openai.azure.com, and on <resource>.cognitiveservices.azure.com
        // when created as multi-service AI resources.
        private static readonly string[] AzureHostSuffixes = { ".openai.azure.com", ".cognitiveservices.azure.com" };

        /// <summary>
        /// True for AI Gateway's REST API: the REST alias, or any Cloudflare request that names its gateway in a
        /// cf-aig-gateway-id header and does not go to the legacy gateway host. There, code 2009 and a 503 speak of the
        /// provider's credentials, not of the gateway token.
        /// </summary>
        public static bool IsRestGateway(string provider, Uri url, IEnumerable<KeyValuePair<string, string>>? headers)
        {
            if (string.Equals(provider, RestGatewayAlias, StringComparison.OrdinalIgnoreCase)) return true;
            if (string.Equals(url.Host, LegacyGatewayHost, StringComparison.OrdinalIgnoreCase)) return false;
            return headers != null && headers.Any(h => string.Equals(h.Key, GatewayIdHeader, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(h.Value));
        }

        /// <summary>
        /// OpenAI's newer models refuse max_tokens and want max_completion_tokens, and Azure OpenAI follows OpenAI. Only
        /// their own hosts get the new name: every other server (including openai with -BaseUrl elsewhere, such as a
        /// local OpenAI-compatible server) knows max_tokens and may reject the other.
        /// </summary>
        public static bool UsesMaxCompletionTokens(string provider, Uri baseUrl)
        {
            string host = baseUrl.Host;
            if (string.Equals(provider, "openai", StringComparison.OrdinalIgnoreCase))
            {
                return string.Equals(host, OpenAiHost, StringComparison.OrdinalIgnoreCase);
            }
            if (string.Equals(provider, "azure", StringComparison.OrdinalIgnoreCase))
            {
                return AzureHostSuffixes.Any(suffix => host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase));
            }
            return false;
        }
    }
}
