using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace CloudflareAI.Online
{
    /// <summary>What Test-AIProviderEnvironment -Online passes on.</summary>
    public sealed class OnlineCheckOptions
    {
        /// <summary>Bounds each request (-TimeoutSec, default 10 s).</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>-BaseUrl, a template; for the Cloudflare aliases its origin also carries the account API calls.</summary>
        public string? BaseUrl { get; set; }
    }

    /// <summary>
    /// The network checks of Test-AIProviderEnvironment -Online: for the Cloudflare aliases the token (user or
    /// account-owned), the account's Workers AI catalog, the gateway and the default model; for every other alias the
    /// host's /models with the token. Whatever the network does becomes a check, never an exception: a CI gate wants one
    /// answer, and "could not reach" is an answer.
    /// </summary>
    public static class OnlineEnvironmentChecker
    {
        /// <summary>A model this close to its planned deprecation still works, but the CI gate should say so.</summary>
        private static readonly TimeSpan DeprecationWarningWindow = TimeSpan.FromDays(30);

        /// <summary>Check name: the token verifies.</summary>
        public const string TokenCheck = "Token";
        /// <summary>Check name: the account's model catalog can be read.</summary>
        public const string ModelsCheck = "Models";
        /// <summary>Check name: the gateway exists in the account.</summary>
        public const string GatewayCheck = "Gateway";
        /// <summary>Check name: the alias's default model is in the catalog.</summary>
        public const string DefaultModelCheck = "DefaultModel";
        /// <summary>Check name: a non-Cloudflare host lists its models.</summary>
        public const string ModelListCheck = "ModelList";
        /// <summary>Check name: the host answers at all.</summary>
        public const string EndpointCheck = "Endpoint";

        /// <summary>Runs the checks on the shared client and returns <paramref name="offline"/> with Checks filled and IsReady updated.</summary>
        public static Task<ProviderEnvironmentResult> CheckAsync(ProviderAliasDefinition alias, ProviderEnvironmentResult offline,
            IEnvironmentReader environment, OnlineCheckOptions options, Action<string>? verbose, CancellationToken cancellationToken) =>
            CheckAsync(CloudflareApiClient.Shared, ModelCatalog.Shared, alias, offline, environment, options, verbose, cancellationToken);

        /// <summary>As above on a given client and catalog (tests pass ones over a fake handler and clock).</summary>
        public static async Task<ProviderEnvironmentResult> CheckAsync(CloudflareApiClient client, ModelCatalog catalog, ProviderAliasDefinition alias,
            ProviderEnvironmentResult offline, IEnvironmentReader environment, OnlineCheckOptions options, Action<string>? verbose,
            CancellationToken cancellationToken)
        {
            if (client == null) throw new ArgumentNullException(nameof(client));
            if (catalog == null) throw new ArgumentNullException(nameof(catalog));
            if (alias == null) throw new ArgumentNullException(nameof(alias));
            if (offline == null) throw new ArgumentNullException(nameof(offline));
            if (options == null) throw new ArgumentNullException(nameof(options));

            var run = new CheckRun(client, catalog, alias, environment, options, verbose, cancellationToken);
            try
            {
                if (alias.IsCloudflare) await run.CloudflareAsync().ConfigureAwait(false);
                else await run.ModelListAsync().ConfigureAwait(false);
            }
            catch (CloudflareAIException e) when (!(e is ChatException))
            {
                // A setup problem only -BaseUrl can bring (a bad template, plain http to a remote host): the offline checks
                // passed for the alias's own URL, so this is the one thing to fix.
                run.Fail(EndpointCheck, $"{e.Message} {e.RecommendedAction}");
            }

            return new ProviderEnvironmentResult
            {
                Name = offline.Name,
                IsReady = offline.IsReady && run.Checks.All(c => c.Passed),
                RequiredVariables = offline.RequiredVariables,
                MissingVariables = offline.MissingVariables,
                InvalidVariables = offline.InvalidVariables,
                BaseUrl = offline.BaseUrl,
                Problems = offline.Problems,
                Checks = run.Checks,
            };
        }

        /// <summary>One alias's checks, in order; a check that makes the later ones pointless ends the run.</summary>
        private sealed class CheckRun
        {
            private readonly CloudflareApiClient client;
            private readonly ModelCatalog catalog;
            private readonly ProviderAliasDefinition alias;
            private readonly IEnvironmentReader environment;
            private readonly OnlineCheckOptions options;
            private readonly CancellationToken cancellationToken;
            private readonly ApiGetOptions getOptions;

            public CheckRun(CloudflareApiClient client, ModelCatalog catalog, ProviderAliasDefinition alias, IEnvironmentReader environment, OnlineCheckOptions options,
                Action<string>? verbose, CancellationToken cancellationToken)
            {
                this.client = client;
                this.catalog = catalog;
                this.alias = alias;
                this.environment = environment;
                this.options = options;
                this.cancellationToken = cancellationToken;
                // One retry, and only when the connection failed: a status is the host's answer, and a check should report
                // it, not wait out a backoff for it.
                getOptions = new ApiGetOptions { Timeout = options.Timeout, MaxRetries = 1, RetryStatuses = false, Verbose = verbose };
            }

            public List<EnvironmentCheck> Checks { get; } = new List<EnvironmentCheck>();

            public void Pass(string name, string message) => Checks.Add(new EnvironmentCheck(name, EnvironmentCheckLevel.Passed, message));

            public void Warn(string name, string message) => Checks.Add(new EnvironmentCheck(name, EnvironmentCheckLevel.Warning, message));

            public void Fail(string name, string message) => Checks.Add(new EnvironmentCheck(name, EnvironmentCheckLevel.Failed, message));

            public async Task CloudflareAsync()
            {
                CloudflareApiEndpoint api;
                try
                {
                    api = EndpointResolver.ResolveCloudflareApi(new EndpointOverrides { Provider = alias.Name, BaseUrl = options.BaseUrl }, environment);
                }
                catch (CloudflareAIException e) when (e.ErrorId == ErrorIds.ProviderEnvironmentVariableMissing && alias.Gateway != null
                    && string.IsNullOrEmpty(environment.Get(AliasCatalog.CloudflareApiToken)))
                {
                    // The gateway is ready with its own token alone, and that token cannot read the account API.
                    Warn(TokenCheck,
                        $"Not checked online: only {AliasCatalog.CloudflareAiGatewayToken} is set, and Cloudflare's account API (token, catalog and gateway checks) " +
                        $"takes {AliasCatalog.CloudflareApiToken}. To check them too, set a Cloudflare API token: $env:{AliasCatalog.CloudflareApiToken} = '...'");
                    return;
                }

                if (!await TokenAsync(api).ConfigureAwait(false)) return;
                IReadOnlyList<ModelInfo>? models = await ModelsAsync(api).ConfigureAwait(false);
                if (api.GatewayUrl != null) await GatewayAsync(api, api.GatewayUrl).ConfigureAwait(false);
                if (models != null) DefaultModel(models);
            }

            /// <summary>The user form first; Cloudflare answers it with 401 "Invalid API Token" for an account-owned token too, so
            /// a refusal there is asked again in the account form before the token is called invalid.</summary>
            private async Task<bool> TokenAsync(CloudflareApiEndpoint api)
            {
                string variable = AliasCatalog.CloudflareApiToken;
                string host = api.Origin.Authority;
                ChatException refused;
                try
                {
                    using (ApiJsonResponse user = await client.GetJsonAsync(api, api.UserTokenVerifyUrl, getOptions, cancellationToken).ConfigureAwait(false))
                    {
                        return TokenStatus(user, variable, "a user token");
                    }
                }
                catch (ChatException e) when (IsRefusal(e))
                {
                    refused = e;
                }
                catch (ChatException e)
                {
                    Fail(TokenCheck, Unreachable(e, host) ?? $"Could not verify {variable}: {e.Message} {e.RecommendedAction}");
                    return false;
                }

                try
                {
                    using (ApiJsonResponse account = await client.GetJsonAsync(api, api.AccountTokenVerifyUrl, getOptions, cancellationToken).ConfigureAwait(false))
                    {
                        return TokenStatus(account, variable, "an account-owned token");
                    }
                }
                catch (ChatException e) when (IsRefusal(e))
                {
                    Fail(TokenCheck,
                        $"Cloudflare does not accept {variable} ({Detail(refused)}); it is revoked, expired or mistyped, as a user token and as a token of the account. " +
                        $"Create a token (My Profile, API Tokens, or Manage Account, Account API Tokens, 'Workers AI' template) and set it: $env:{variable} = '...'");
                    return false;
                }
                catch (ChatException e) when (e.ProviderCode == "7003" || e.ProviderCode == "7000" || e.StatusCode == 404)
                {
                    Fail(TokenCheck,
                        $"{variable} is not a user token ({Detail(refused)}), and the account form of the check found no account {AliasCatalog.CloudflareAccountId} names " +
                        $"({Detail(e)}). Copy the account ID again from the dashboard (Workers AI, 'Use REST API'): $env:{AliasCatalog.CloudflareAccountId} = '...'");
                    return false;
                }
                catch (ChatException e)
                {
                    Fail(TokenCheck, Unreachable(e, host) ?? $"Could not verify {variable}: {e.Message} {e.RecommendedAction}");
                    return false;
                }
            }

            private bool TokenStatus(ApiJsonResponse response, string variable, string kind)
            {
                string? status = null;
                if (response.Root.ValueKind == JsonValueKind.Object && response.Root.TryGetProperty("result", out JsonElement result)
                    && result.ValueKind == JsonValueKind.Object && result.TryGetProperty("status", out JsonElement value) && value.ValueKind == JsonValueKind.String)
                {
                    status = value.GetString();
                }
                if (string.Equals(status, "active", StringComparison.OrdinalIgnoreCase))
                {
                    Pass(TokenCheck, $"{variable} is valid and active ({kind}).");
                    return true;
                }
                string shown = status == null ? "no status" : $"status '{status}'";
                Fail(TokenCheck,
                    $"Cloudflare knows {variable} ({kind}) but reports {shown}, so requests with it are refused. Create a new token (My Profile, API Tokens, " +
                    $"'Workers AI' template) and set it: $env:{variable} = '...'");
                return false;
            }

            /// <summary>The account's text-generation catalog, read afresh (a preflight asks now, and the cache gains a fresh copy):
            /// proves Workers AI Read and the account ID.</summary>
            private async Task<IReadOnlyList<ModelInfo>?> ModelsAsync(CloudflareApiEndpoint api)
            {
                try
                {
                    ModelCatalogResult result = await catalog.ListAsync(api.Resolved, null, environment, ModelCatalog.TextGeneration, refresh: true, getOptions,
                        cancellationToken).ConfigureAwait(false);
                    Pass(ModelsCheck, $"The account answers the Workers AI model catalog ({Count(result.Models.Count, "text-generation model")}).");
                    return result.Models;
                }
                catch (ChatException e) when (e.ProviderCode == "7003" || e.ProviderCode == "7000")
                {
                    Fail(ModelsCheck,
                        $"Cloudflare finds no account {AliasCatalog.CloudflareAccountId} names ({Detail(e)}). Copy the account ID again from the dashboard " +
                        $"(Workers AI, 'Use REST API'): $env:{AliasCatalog.CloudflareAccountId} = '...'");
                }
                catch (ChatException e) when (IsRefusal(e))
                {
                    Fail(ModelsCheck,
                        $"The token cannot read the account's Workers AI catalog ({Detail(e)}). Give {AliasCatalog.CloudflareApiToken} the Workers AI Read permission " +
                        $"(the 'Workers AI' token template has it), or check that it is a token of this account.");
                }
                catch (ChatException e)
                {
                    Fail(ModelsCheck, Unreachable(e, api.Origin.Authority) ?? $"The Workers AI model catalog could not be read: {e.Message} {e.RecommendedAction}");
                }
                return null;
            }

            private async Task GatewayAsync(CloudflareApiEndpoint api, Uri url)
            {
                string gateway = api.GatewayId!;
                string variable = AliasCatalog.CloudflareGatewayId;
                try
                {
                    using (await client.GetJsonAsync(api, url, getOptions, cancellationToken).ConfigureAwait(false))
                    {
                        Pass(GatewayCheck, $"The gateway '{gateway}' exists in the account.");
                    }
                }
                catch (ChatException e) when (e.StatusCode == 404)
                {
                    Fail(GatewayCheck,
                        $"The account has no gateway '{gateway}' ({Detail(e)}). Create it (AI, AI Gateway, 'Create Gateway') or set the ID of an existing one: " +
                        $"$env:{variable} = '...'");
                }
                catch (ChatException e) when (IsRefusal(e))
                {
                    // Reading gateways takes AI Gateway Read; a token with only AI Gateway Run can still send through the gateway.
                    Warn(GatewayCheck,
                        $"Not checked: the token may not read gateways ({Detail(e)}); that takes the AI Gateway Read permission, which calling the gateway does not need. " +
                        $"Add AI Gateway Read to {AliasCatalog.CloudflareApiToken} to have '{gateway}' checked.");
                }
                catch (ChatException e)
                {
                    Fail(GatewayCheck, Unreachable(e, api.Origin.Authority) ?? $"The gateway '{gateway}' could not be looked up: {e.Message} {e.RecommendedAction}");
                }
            }

            /// <summary>The catalog names models as the alias calls them (workers-ai/... on the compat gateway).</summary>
            private void DefaultModel(IReadOnlyList<ModelInfo> models)
            {
                string? model = alias.DefaultModel;
                if (string.IsNullOrEmpty(model)) return;
                string list = $"Get-AIModel -Provider {alias.Name}";
                ModelInfo? entry = models.FirstOrDefault(e => string.Equals(e.Name, model, StringComparison.OrdinalIgnoreCase));
                if (entry == null)
                {
                    Fail(DefaultModelCheck,
                        $"The default model {model} is not in the account's catalog: Cloudflare has retired it, or it is not offered to this account. " +
                        $"Pick a model with {list} and pass it with -Model.");
                    return;
                }
                DateTimeOffset now = client.Clock.UtcNow;
                if (entry.PlannedDeprecation is DateTime date)
                {
                    string day = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                    if (entry.IsDeprecated || date <= now.UtcDateTime)
                    {
                        Fail(DefaultModelCheck, $"The default model {model} was deprecated on {day}; calls to it fail. Pick a model with {list} and pass it with -Model.");
                        return;
                    }
                    if (date - now.UtcDateTime <= DeprecationWarningWindow)
                    {
                        Warn(DefaultModelCheck, $"The default model {model} is planned for deprecation on {day}. Move to another before then: {list}.");
                        return;
                    }
                }
                Pass(DefaultModelCheck, $"The default model {model} is in the catalog and not deprecated.");
            }

            /// <summary>Every other alias: GET {base}/models with the alias's own headers.</summary>
            public async Task ModelListAsync()
            {
                ResolvedEndpoint resolved = EndpointResolver.Resolve(
                    new EndpointOverrides { Provider = alias.Name, BaseUrl = options.BaseUrl, RequireModel = false }, environment);
                var url = new Uri(resolved.Endpoint.BaseUrl.AbsoluteUri.TrimEnd('/') + "/models");
                string host = url.Authority;
                string token = alias.TokenVariable == null ? "the request" : alias.TokenVariable;
                try
                {
                    using (ApiJsonResponse response = await client.GetJsonAsync(resolved.Endpoint, url, getOptions, cancellationToken).ConfigureAwait(false))
                    {
                        int? count = response.Root.ValueKind == JsonValueKind.Object && response.Root.TryGetProperty("data", out JsonElement data)
                            && data.ValueKind == JsonValueKind.Array ? data.GetArrayLength() : (int?)null;
                        string models = count == null ? string.Empty : $" ({Count(count.Value, "model")})";
                        Pass(ModelListCheck, alias.TokenVariable == null
                            ? $"{host} answers GET /models{models}."
                            : $"{host} accepts {alias.TokenVariable}: GET /models answered{models}.");
                    }
                }
                catch (ChatException e) when (e.StatusCode == 404 || e.StatusCode == 405)
                {
                    // Not the user's fault, and not a sign the alias is broken: many hosts simply have no model list.
                    Warn(ModelListCheck,
                        $"{host} has no model list (HTTP {e.StatusCode} on GET /models), so {token} could not be checked this way. " +
                        $"A first Invoke-AIChat -Provider {alias.Name} -Model <model> 'Hello' tells whether it is accepted.");
                }
                catch (ChatException e) when (IsRefusal(e))
                {
                    string fix = alias.TokenVariable == null
                        ? "Check the server's own authentication settings."
                        : $"Check the value of {alias.TokenVariable} (see {alias.DocumentationUrl}) and set it again: $env:{alias.TokenVariable} = '...'";
                    Fail(ModelListCheck, $"{host} refuses {token} ({Detail(e)}). {fix}");
                }
                catch (ChatException e)
                {
                    Fail(ModelListCheck, Unreachable(e, host) ?? $"GET /models on {host} failed: {e.Message} {e.RecommendedAction}");
                }
            }

            private string? Unreachable(ChatException e, string host)
            {
                if (e.ErrorId == ErrorIds.ChatConnectionFailed)
                {
                    return $"{e.Message} Check the network, a proxy (HTTPS_PROXY) or -BaseUrl.";
                }
                if (e.ErrorId == ErrorIds.ChatTimeout)
                {
                    string seconds = options.Timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
                    return $"Could not reach {host} ({alias.Name}): no answer within {seconds} s. Check the network or a proxy, or allow longer with -TimeoutSec.";
                }
                return null;
            }
        }

        private static bool IsRefusal(ChatException e) => e.StatusCode == 401 || e.StatusCode == 403;

        /// <summary>"HTTP 401, Invalid API Token (code 1000)": what the server said, without the "from alias" preamble.</summary>
        private static string Detail(ChatException e)
        {
            string message = e.Message;
            int colon = message.IndexOf(": ", StringComparison.Ordinal);
            string text = colon >= 0 ? message.Substring(colon + 2).TrimEnd('.') : message.TrimEnd('.');
            return e.StatusCode is int status ? $"HTTP {status}: {text}" : text;
        }

        private static string Count(int n, string what) => n == 1 ? $"1 {what}" : $"{n.ToString(CultureInfo.InvariantCulture)} {what}s";
    }
}
