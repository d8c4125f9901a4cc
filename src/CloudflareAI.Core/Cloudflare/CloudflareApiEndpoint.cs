using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace CloudflareAI.Cloudflare
{
    /// <summary>
    /// Where and how to call Cloudflare's own v4 API for a Cloudflare alias: the origin of the (possibly -BaseUrl
    /// overridden) base URL, so a local emulator serves the catalog, token checks and gateway lookups exactly as it serves
    /// chat; the account and gateway ids; and the API token in Authorization.
    /// </summary>
    public sealed class CloudflareApiEndpoint
    {
        /// <summary>The compat gateway's host serves no v4 API; its account lives on the API host.</summary>
        internal const string GatewayHost = "gateway.ai.cloudflare.com";
        internal const string ApiOrigin = "https://api.cloudflare.com";

        private SecretRedactor? redactor;

        internal CloudflareApiEndpoint(ResolvedEndpoint resolved, Uri origin, string accountId, string? gatewayId,
            IReadOnlyList<KeyValuePair<string, string>> headers, IReadOnlyCollection<string> secrets)
        {
            Resolved = resolved;
            Origin = origin;
            AccountId = accountId;
            GatewayId = gatewayId;
            Headers = headers;
            Secrets = secrets;
        }

        /// <summary>The chat endpoint this was derived from (alias, model, chat headers).</summary>
        public ResolvedEndpoint Resolved { get; }

        /// <summary>The alias name.</summary>
        public string Provider => Resolved.Alias.Name;

        /// <summary>scheme://host[:port] with no path.</summary>
        public Uri Origin { get; }

        /// <summary>The Cloudflare account ID.</summary>
        public string AccountId { get; }

        /// <summary>CLOUDFLARE_GATEWAY_ID for an alias that uses it (base URL or header templates), else null.</summary>
        public string? GatewayId { get; }

        /// <summary>Authorization: Bearer &lt;-ApiKey or CLOUDFLARE_API_TOKEN&gt;, plus the chat headers that are not credentials.</summary>
        public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

        /// <summary>Every secret to mask in anything shown.</summary>
        public IReadOnlyCollection<string> Secrets { get; }

        /// <summary>Hides <see cref="Secrets"/> in anything shown.</summary>
        public SecretRedactor Redactor => redactor ??= new SecretRedactor(Secrets);

        /// <summary>{origin}/client/v4/accounts/{account}/ai/models/search?task=...&amp;per_page=...&amp;page=...; a null task lists every task.</summary>
        public Uri ModelsSearchUrl(string? task, int page, int perPage)
        {
            var query = new List<string>();
            if (!string.IsNullOrEmpty(task)) query.Add("task=" + Uri.EscapeDataString(task!));
            query.Add("per_page=" + perPage.ToString(CultureInfo.InvariantCulture));
            query.Add("page=" + page.ToString(CultureInfo.InvariantCulture));
            return Build(AccountPath("ai/models/search"), string.Join("&", query));
        }

        /// <summary>{origin}/client/v4/user/tokens/verify (tokens owned by a user).</summary>
        public Uri UserTokenVerifyUrl => Build("/client/v4/user/tokens/verify", null);

        /// <summary>{origin}/client/v4/accounts/{account}/tokens/verify (account-owned tokens).</summary>
        public Uri AccountTokenVerifyUrl => Build(AccountPath("tokens/verify"), null);

        /// <summary>{origin}/client/v4/accounts/{account}/ai-gateway/gateways/{gateway}; null when the alias has no gateway id.</summary>
        public Uri? GatewayUrl => GatewayId == null ? null : Build(AccountPath("ai-gateway/gateways/" + Uri.EscapeDataString(GatewayId)), null);

        private string AccountPath(string rest) => "/client/v4/accounts/" + Uri.EscapeDataString(AccountId) + "/" + rest;

        private Uri Build(string path, string? query)
        {
            var builder = new UriBuilder(Origin) { Path = path, Query = query ?? string.Empty };
            return builder.Uri;
        }
    }

    /// <summary>What sets the Cloudflare aliases apart: model prefixes, which use a gateway, and where their
    /// v4 API lives.</summary>
    public static partial class CloudflareApi
    {
        /// <summary>The callable-name prefix the compat gateway puts before Workers AI models.</summary>
        public const string WorkersAiPrefix = "workers-ai/";

        /// <summary>The aliases whose model names carry <see cref="WorkersAiPrefix"/> (the /compat gateway).</summary>
        public const string CompatGatewayAlias = "cloudflare-ai-gateway";

        /// <summary>AI Gateway's REST API alias: same base URL as Workers AI, gateway named in a header.</summary>
        public const string RestGatewayAlias = "cloudflare-ai-gateway-rest";

        /// <summary>The model-name prefix for an alias's view of the Workers AI catalog ("" for direct Workers AI).</summary>
        public static string ModelPrefix(ProviderAliasDefinition alias) =>
            string.Equals(alias.Name, CompatGatewayAlias, StringComparison.OrdinalIgnoreCase) ? WorkersAiPrefix : string.Empty;

        /// <summary>True when the alias's templates (base URL or default headers) use CLOUDFLARE_GATEWAY_ID.</summary>
        public static bool UsesGateway(ProviderAliasDefinition alias)
        {
            var texts = new List<string>();
            if (alias.BaseUrlTemplate != null) texts.Add(alias.BaseUrlTemplate);
            texts.AddRange(alias.Headers.Values);
            foreach (string text in texts)
            {
                if (Template.TryParse(text, out Template? template, out _) && template!.References.Contains(AliasCatalog.CloudflareGatewayId)) return true;
            }
            return false;
        }

        /// <summary>
        /// The v4 API origin for a base URL: its own origin, except the compat gateway's host, which serves no v4 API
        /// (its account is reached on api.cloudflare.com).
        /// </summary>
        public static Uri OriginOf(Uri baseUrl)
        {
            if (string.Equals(baseUrl.Host, CloudflareApiEndpoint.GatewayHost, StringComparison.OrdinalIgnoreCase)) return new Uri(CloudflareApiEndpoint.ApiOrigin);
            return new Uri(baseUrl.GetLeftPart(UriPartial.Authority));
        }
    }
}
