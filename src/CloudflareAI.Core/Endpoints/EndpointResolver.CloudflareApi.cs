using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace CloudflareAI.Endpoints
{
    public static partial class EndpointResolver
    {
        /// <summary>
        /// Resolves a Cloudflare alias (alias selection, templates, secrets and the InsecureEndpoint rule as for chat) and
        /// derives where its v4 API calls go and with which token. Needs CLOUDFLARE_ACCOUNT_ID and an API token
        /// (-ApiKey or CLOUDFLARE_API_TOKEN); a gateway-only token cannot read the API.
        /// </summary>
        /// <exception cref="CloudflareAIException">Setup errors, with the ErrorIds of chat; ProviderNotConfigured for a non-Cloudflare alias.</exception>
        public static CloudflareApiEndpoint ResolveCloudflareApi(EndpointOverrides request, IEnvironmentReader environment)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            var chatRequest = new EndpointOverrides
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
