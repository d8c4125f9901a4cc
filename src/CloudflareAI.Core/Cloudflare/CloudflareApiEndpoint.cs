using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CloudflareAI.Aliases;
using CloudflareAI.Chat;
using CloudflareAI.Environment;
using CloudflareAI.Templates;

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

        /// <summary>A URL as shown in -Verbose and errors: every secret in it is ***.</summary>
        public string Display(Uri url) => Redactor.Redact(url.AbsoluteUri);

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

namespace CloudflareAI.Chat
{
    using CloudflareAI.Cloudflare;

    public static partial class EndpointResolver
    {
        /// <summary>
        /// Resolves a Cloudflare alias (alias selection, templates, secrets and the InsecureEndpoint rule as for chat) and
        /// derives where its v4 API calls go and with which token. Needs CLOUDFLARE_ACCOUNT_ID and an API token
        /// (-ApiKey or CLOUDFLARE_API_TOKEN); a gateway-only token cannot read the API.
        /// </summary>
        /// <exception cref="CloudflareAIException">Setup errors, with the ErrorIds of chat; ProviderNotConfigured for a non-Cloudflare alias.</exception>
        public static CloudflareApiEndpoint ResolveCloudflareApi(EndpointRequest request, IEnvironmentReader environment)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            var chatRequest = new EndpointRequest
            {
                Provider = request.Provider,
                Model = request.Model,
                BaseUrl = request.BaseUrl,
                Headers = request.Headers,
                ApiKey = request.ApiKey,
                RequireModel = false,
            };
            ResolvedEndpoint resolved = Resolve(chatRequest, environment);
            return ResolveCloudflareApi(resolved, request.ApiKey, environment);
        }

        /// <summary>The v4 API view of an already resolved Cloudflare endpoint.</summary>
        public static CloudflareApiEndpoint ResolveCloudflareApi(ResolvedEndpoint resolved, string? apiKey, IEnvironmentReader environment)
        {
            if (resolved == null) throw new ArgumentNullException(nameof(resolved));
            ProviderAliasDefinition alias = resolved.Alias;
            if (!alias.IsCloudflare)
            {
                throw new CloudflareAIException(ErrorIds.ProviderNotConfigured, ErrorKind.InvalidOperation,
                    $"The {alias.Name} alias is not a Cloudflare alias, so it has no Cloudflare API.",
                    "Use -Provider cloudflare-workers-ai, cloudflare-ai-gateway or cloudflare-ai-gateway-rest.")
                { Target = alias.Name };
            }

            var missing = new SortedSet<string>(StringComparer.Ordinal);
            string? account = ReadSegment(AliasCatalog.CloudflareAccountId, environment, missing);
            string? gateway = CloudflareApi.UsesGateway(alias) ? ReadSegment(AliasCatalog.CloudflareGatewayId, environment, missing) : null;

            string? token = apiKey;
            if (token == null)
            {
                token = environment.Get(AliasCatalog.CloudflareApiToken);
                if (string.IsNullOrEmpty(token)) missing.Add(AliasCatalog.CloudflareApiToken);
                else if (ValueRules.CheckToken(token!) is string reason)
                {
                    throw new CloudflareAIException(ErrorIds.ProviderEnvironmentVariableInvalid, ErrorKind.InvalidData,
                        $"The {alias.Name} alias cannot use the environment as it is: {AliasCatalog.CloudflareApiToken} {reason}.",
                        $"Correct the value of {AliasCatalog.CloudflareApiToken}.")
                    { Target = alias.Name };
                }
            }
            if (missing.Count > 0)
            {
                bool onlyToken = missing.Count == 1 && missing.Contains(AliasCatalog.CloudflareApiToken);
                throw MissingVariables(alias, missing,
                    onlyToken ? " Cloudflare's API (model catalog, token and gateway checks) takes the API token; the gateway's own token does not open it." : string.Empty,
                    onlyToken ? " Or pass the API token with -ApiKey." : string.Empty);
            }

            Uri origin = CloudflareApi.OriginOf(resolved.Endpoint.BaseUrl);
            var secrets = new List<string>(resolved.Endpoint.Secrets);
            if (token!.Length > 0) KnownSecrets.AddCredential(token, secrets);
            if (origin.Scheme == Uri.UriSchemeHttp && !IsLoopback(origin))
            {
                throw new CloudflareAIException(ErrorIds.InsecureEndpoint, ErrorKind.SecurityError,
                    $"Refusing to send a token over plain http to {origin.Host}: anyone on the network path could read it.",
                    "Use an https:// base URL. Plain http is allowed only for this machine (localhost, 127.0.0.1, ::1).")
                { Target = origin.Host };
            }

            // The chat credentials (provider key, gateway token) are not the API's; other headers (-Header, cf-aig-gateway-id) go along.
            var headers = resolved.Endpoint.Headers.Where(h => !AliasCredentials.IsCredentialHeader(alias, h.Key)).ToList();
            headers.Add(AliasCredentials.BearerAuthorization(token));
            return new CloudflareApiEndpoint(resolved, origin, account!, gateway, headers, secrets.Distinct().ToList());
        }

        private static string? ReadSegment(string name, IEnvironmentReader environment, ISet<string> missing)
        {
            string? value = environment.Get(name);
            if (string.IsNullOrEmpty(value))
            {
                missing.Add(name);
                return null;
            }
            if (ValueRules.CheckPathSegment(value!) is string reason)
            {
                throw new CloudflareAIException(ErrorIds.ProviderEnvironmentVariableInvalid, ErrorKind.InvalidData,
                    $"{name} {reason}, so it cannot be part of a Cloudflare API URL.",
                    $"Correct {name}; Test-AIProviderEnvironment shows the expected form.")
                { Target = name };
            }
            return value;
        }
    }
}
