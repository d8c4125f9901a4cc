using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace CloudflareAI.Tests.Online
{
    // The rules of Test-AIProviderEnvironment -Online over a scripted HTTP handler: which requests, in which order, and
    // which check each answer becomes.
    public class OnlineEnvironmentCheckerTests
    {
        private const string Account = "0123456789abcdef0123456789abcdef";
        private const string Token = "fake-online-token-SECRET-42";
        private const string OpenAiKey = "sk-fake-online-SECRET-7";

        private const string Active = "{\"result\":{\"id\":\"ab12\",\"status\":\"active\"},\"success\":true,\"errors\":[],\"messages\":[{\"code\":10000,\"message\":\"This API Token is valid and active\",\"type\":null}]}";
        private const string InvalidToken = "{\"success\":false,\"errors\":[{\"code\":1000,\"message\":\"Invalid API Token\"}],\"messages\":[],\"result\":null}";
        private const string AuthenticationError = "{\"result\":null,\"success\":false,\"errors\":[{\"code\":10000,\"message\":\"Authentication error\"}],\"messages\":[]}";
        private const string Gateway = "{\"success\":true,\"errors\":[],\"messages\":[],\"result\":{\"id\":\"my-gw\"}}";

        private static DictionaryEnvironmentReader CloudflareEnv() =>
            TestEnvironment.With(("CLOUDFLARE_API_TOKEN", Token), ("CLOUDFLARE_ACCOUNT_ID", Account), ("CLOUDFLARE_GATEWAY_ID", "my-gw"));

        private static ProviderAliasDefinition Alias(string name)
        {
            Assert.True(AliasCatalog.TryGet(name, out var alias));
            return alias;
        }

        /// <summary>The Workers AI name of an alias's default model (the compat gateway prefixes workers-ai/).</summary>
        private static string CatalogName(ProviderAliasDefinition alias) =>
            alias.DefaultModel!.StartsWith(CloudflareApi.WorkersAiPrefix, StringComparison.Ordinal)
                ? alias.DefaultModel.Substring(CloudflareApi.WorkersAiPrefix.Length)
                : alias.DefaultModel;

        private static string Catalog(string model, string? deprecation = null)
        {
            string properties = deprecation == null
                ? "[{\"property_id\":\"context_window\",\"value\":\"128000\"}]"
                : "[{\"property_id\":\"planned_deprecation_date\",\"value\":\"" + deprecation + "\"}]";
            return "{\"success\":true,\"errors\":[],\"messages\":[],\"result\":[" +
                   "{\"id\":\"1\",\"name\":\"@cf/other/model\",\"task\":{\"name\":\"Text Generation\"},\"properties\":[]}," +
                   "{\"id\":\"2\",\"name\":" + CannedResponses.Quote(model) + ",\"task\":{\"name\":\"Text Generation\"},\"properties\":" + properties + "}]," +
                   "\"result_info\":{\"page\":1,\"per_page\":100,\"count\":2,\"total_count\":2}}";
        }

        private static (CloudflareApiClient Client, FakeHandler Handler, FakeTimer Timer) NewClient()
        {
            var handler = new FakeHandler();
            var timer = new FakeTimer();
            return (new CloudflareApiClient(new ChatClient(handler, timer, () => 0.5)), handler, timer);
        }

        private static HttpResponseMessage Json(HttpStatusCode status, string body) => CannedResponses.Json(status, body);

        private static Task<ProviderEnvironmentResult> Check(CloudflareApiClient client, string alias, IEnvironmentReader env, List<string>? verbose = null,
            string? baseUrl = null)
        {
            var definition = Alias(alias);
            var offline = ProviderEnvironmentInspector.Inspect(definition, env);
            Assert.True(offline.IsReady);
            return OnlineEnvironmentChecker.CheckAsync(client, new ModelCatalog(client, new ModelCatalogCache(client.Clock)), definition, offline, env, new OnlineCheckOptions { BaseUrl = baseUrl },
                verbose == null ? null : new Action<string>(line => { lock (verbose) verbose.Add(line); }), CancellationToken.None);
        }

        private static void AssertNoSecret(ProviderEnvironmentResult result, params string[] secrets)
        {
            string all = string.Join("\n", result.Checks.Select(c => c.ToString()).Concat(result.Problems));
            foreach (string secret in secrets) Assert.DoesNotContain(secret, all);
        }

        [Fact]
        public async Task A_healthy_Workers_AI_account_passes_token_catalog_and_default_model()
        {
            var (client, handler, _) = NewClient();
            var alias = Alias("cloudflare-workers-ai");
            handler.Then(() => Json(HttpStatusCode.OK, Active)).Then(() => Json(HttpStatusCode.OK, Catalog(CatalogName(alias))));
            var verbose = new List<string>();

            var result = await Check(client, alias.Name, CloudflareEnv(), verbose);

            Assert.True(result.IsReady);
            Assert.Equal(new[] { "Token", "Models", "DefaultModel" }, result.Checks.Select(c => c.Name));
            Assert.All(result.Checks, c => Assert.Equal(EnvironmentCheckLevel.Passed, c.Level));
            Assert.Contains("a user token", result.Checks[0].Message);
            Assert.Contains("2 text-generation models", result.Checks[1].Message);
            Assert.Equal("https://api.cloudflare.com/client/v4/user/tokens/verify", handler.Requests[0].Uri!.AbsoluteUri);
            Assert.Equal($"https://api.cloudflare.com/client/v4/accounts/{Account}/ai/models/search?task=Text%20Generation&per_page=100&page=1",
                handler.Requests[1].Uri!.AbsoluteUri);
            Assert.All(handler.Requests, r => Assert.Equal("Bearer " + Token, r.Headers["Authorization"]));
            Assert.Contains(verbose, line => line.StartsWith("GET https://api.cloudflare.com/client/v4/user/tokens/verify", StringComparison.Ordinal));
            Assert.DoesNotContain(verbose, line => line.Contains(Token));
            AssertNoSecret(result, Token);
        }

        [Fact]
        public async Task An_account_owned_token_refused_by_the_user_form_passes_on_the_account_form()
        {
            var (client, handler, _) = NewClient();
            var alias = Alias("cloudflare-workers-ai");
            handler.Then(() => Json(HttpStatusCode.Unauthorized, InvalidToken))
                .Then(() => Json(HttpStatusCode.OK, Active))
                .Then(() => Json(HttpStatusCode.OK, Catalog(CatalogName(alias))));

            var result = await Check(client, alias.Name, CloudflareEnv());

            Assert.True(result.IsReady);
            Assert.Equal($"https://api.cloudflare.com/client/v4/accounts/{Account}/tokens/verify", handler.Requests[1].Uri!.AbsoluteUri);
            Assert.Equal(EnvironmentCheckLevel.Passed, result.Checks[0].Level);
            Assert.Contains("account-owned", result.Checks[0].Message);
        }

        [Fact]
        public async Task A_token_refused_in_both_forms_fails_and_nothing_else_is_asked()
        {
            var (client, handler, _) = NewClient();
            handler.Then(() => Json(HttpStatusCode.Unauthorized, InvalidToken)).Then(() => Json(HttpStatusCode.Unauthorized, InvalidToken));

            var result = await Check(client, "cloudflare-workers-ai", CloudflareEnv());

            Assert.False(result.IsReady);
            var check = Assert.Single(result.Checks);
            Assert.Equal("Token", check.Name);
            Assert.False(check.Passed);
            Assert.Contains("Invalid API Token (code 1000)", check.Message);
            Assert.Contains("$env:CLOUDFLARE_API_TOKEN = '...'", check.Message);
            Assert.Equal(2, handler.Requests.Count);
            AssertNoSecret(result, Token);
        }

        [Fact]
        public async Task A_token_that_is_not_active_fails()
        {
            var (client, handler, _) = NewClient();
            handler.Then(() => Json(HttpStatusCode.OK, Active.Replace("\"active\"", "\"expired\"")));

            var result = await Check(client, "cloudflare-workers-ai", CloudflareEnv());

            Assert.False(result.IsReady);
            Assert.Contains("status 'expired'", Assert.Single(result.Checks).Message);
        }

        [Fact]
        public async Task A_host_that_refuses_connections_is_a_failed_check_after_one_retry()
        {
            var (client, handler, timer) = NewClient();
            handler.Then((_, _) => throw new HttpRequestException("Connection refused"))
                .Then((_, _) => throw new HttpRequestException("Connection refused"));

            var result = await Check(client, "cloudflare-workers-ai", CloudflareEnv());

            Assert.False(result.IsReady);
            var check = Assert.Single(result.Checks);
            Assert.StartsWith("Could not reach api.cloudflare.com", check.Message);
            Assert.Equal(2, handler.Requests.Count);
            Assert.Single(timer.Delays);
        }

        [Fact]
        public async Task A_server_error_is_reported_at_once_without_a_retry()
        {
            var (client, handler, timer) = NewClient();
            handler.Then(() => Json(HttpStatusCode.ServiceUnavailable, "{\"success\":false,\"errors\":[{\"code\":7009,\"message\":\"Upstream service unavailable\"}]}"));

            var result = await Check(client, "cloudflare-workers-ai", CloudflareEnv());

            Assert.False(result.IsReady);
            Assert.Contains("HTTP 503", Assert.Single(result.Checks).Message);
            Assert.Single(handler.Requests);
            Assert.Empty(timer.Delays);
        }

        [Fact]
        public async Task No_answer_within_the_timeout_is_a_failed_check_that_names_the_limit()
        {
            // Never answers: only the per-request timeout ends the wait. The fake clock runs it out as soon as the request
            // is sent, so nothing waits for real time.
            var handler = new FakeHandler();
            var timer = new FakeTimer();
            var client = new CloudflareApiClient(new ChatClient(handler, timer, () => 0.5));
            handler.Then(async (_, ct) =>
            {
                Assert.Equal(TimeSpan.FromMilliseconds(200), timer.NextTimeoutIn);
                timer.AdvanceToNextTimeout();
                await Task.Delay(Timeout.Infinite, ct);
                throw new InvalidOperationException();
            });
            var definition = Alias("cloudflare-workers-ai");
            var env = CloudflareEnv();
            var options = new OnlineCheckOptions { Timeout = TimeSpan.FromMilliseconds(200) };

            var result = await OnlineEnvironmentChecker.CheckAsync(client, new ModelCatalog(client, new ModelCatalogCache(client.Clock)), definition,
                ProviderEnvironmentInspector.Inspect(definition, env), env, options, null,
                CancellationToken.None);

            var check = Assert.Single(result.Checks);
            Assert.False(check.Passed);
            Assert.StartsWith("Could not reach api.cloudflare.com (cloudflare-workers-ai): no answer within 0.2 s", check.Message);
            Assert.Single(handler.Requests);
            Assert.Equal(1, timer.TimeoutsFired);
        }

        [Fact]
        public async Task The_compat_gateway_checks_its_gateway_and_its_prefixed_default_model()
        {
            var (client, handler, _) = NewClient();
            var alias = Alias("cloudflare-ai-gateway");
            handler.Then(() => Json(HttpStatusCode.OK, Active))
                .Then(() => Json(HttpStatusCode.OK, Catalog(CatalogName(alias))))
                .Then(() => Json(HttpStatusCode.OK, Gateway));

            var result = await Check(client, alias.Name, CloudflareEnv());

            Assert.True(result.IsReady);
            Assert.Equal(new[] { "Token", "Models", "Gateway", "DefaultModel" }, result.Checks.Select(c => c.Name));
            Assert.Equal($"https://api.cloudflare.com/client/v4/accounts/{Account}/ai-gateway/gateways/my-gw", handler.Requests[2].Uri!.AbsoluteUri);
            Assert.Contains(alias.DefaultModel!, result.Checks[3].Message);
            Assert.All(result.Checks, c => Assert.True(c.Passed));
        }

        [Fact]
        public async Task A_missing_gateway_fails_but_a_token_that_may_not_read_gateways_is_only_a_warning()
        {
            var alias = Alias("cloudflare-ai-gateway");

            var (client, handler, _) = NewClient();
            handler.Then(() => Json(HttpStatusCode.OK, Active))
                .Then(() => Json(HttpStatusCode.OK, Catalog(CatalogName(alias))))
                .Then(() => Json(HttpStatusCode.NotFound, "{\"success\":false,\"errors\":[{\"code\":7002,\"message\":\"Not Found\"}]}"));
            var missing = await Check(client, alias.Name, CloudflareEnv());
            Assert.False(missing.IsReady);
            var gateway = missing.Checks.Single(c => c.Name == "Gateway");
            Assert.Equal(EnvironmentCheckLevel.Failed, gateway.Level);
            Assert.Contains("no gateway 'my-gw'", gateway.Message);
            Assert.Contains("$env:CLOUDFLARE_GATEWAY_ID = '...'", gateway.Message);

            (client, handler, _) = NewClient();
            handler.Then(() => Json(HttpStatusCode.OK, Active))
                .Then(() => Json(HttpStatusCode.OK, Catalog(CatalogName(alias))))
                .Then(() => Json(HttpStatusCode.Forbidden, AuthenticationError));
            var forbidden = await Check(client, alias.Name, CloudflareEnv());
            Assert.True(forbidden.IsReady);
            gateway = forbidden.Checks.Single(c => c.Name == "Gateway");
            Assert.Equal(EnvironmentCheckLevel.Warning, gateway.Level);
            Assert.True(gateway.Passed);
            Assert.Contains("AI Gateway Read", gateway.Message);
        }

        [Fact]
        public async Task A_token_without_Workers_AI_Read_fails_the_catalog_check()
        {
            var (client, handler, _) = NewClient();
            handler.Then(() => Json(HttpStatusCode.OK, Active)).Then(() => Json(HttpStatusCode.Forbidden, AuthenticationError));

            var result = await Check(client, "cloudflare-workers-ai", CloudflareEnv());

            Assert.False(result.IsReady);
            Assert.Equal(new[] { "Token", "Models" }, result.Checks.Select(c => c.Name));
            Assert.Contains("Workers AI Read", result.Checks[1].Message);
        }

        [Fact]
        public async Task A_retired_default_model_fails_and_one_retiring_within_30_days_warns()
        {
            var alias = Alias("cloudflare-workers-ai");

            var (client, handler, timer) = NewClient();
            handler.Then(() => Json(HttpStatusCode.OK, Active)).Then(() => Json(HttpStatusCode.OK, Catalog(CatalogName(alias), "2026-05-30")));
            var retired = await Check(client, alias.Name, CloudflareEnv());
            Assert.False(retired.IsReady);
            Assert.Contains("deprecated on 2026-05-30", retired.Checks.Single(c => c.Name == "DefaultModel").Message);
            Assert.Contains("Get-AIModel -Provider cloudflare-workers-ai", retired.Checks.Single(c => c.Name == "DefaultModel").Message);

            (client, handler, timer) = NewClient();
            // The fake clock says 2026-07-01.
            handler.Then(() => Json(HttpStatusCode.OK, Active)).Then(() => Json(HttpStatusCode.OK, Catalog(CatalogName(alias), "2026-07-20")));
            var soon = await Check(client, alias.Name, CloudflareEnv());
            Assert.True(soon.IsReady);
            Assert.Equal(EnvironmentCheckLevel.Warning, soon.Checks.Single(c => c.Name == "DefaultModel").Level);

            (client, handler, timer) = NewClient();
            handler.Then(() => Json(HttpStatusCode.OK, Active)).Then(() => Json(HttpStatusCode.OK, Catalog("@cf/some/other-model")));
            var gone = await Check(client, alias.Name, CloudflareEnv());
            Assert.False(gone.IsReady);
            Assert.Contains("not in the account's catalog", gone.Checks.Single(c => c.Name == "DefaultModel").Message);
        }

        [Fact]
        public async Task Only_the_gateway_token_means_the_account_API_is_not_checked_and_nothing_is_sent()
        {
            var (client, handler, _) = NewClient();
            var env = TestEnvironment.With(("CLOUDFLARE_ACCOUNT_ID", Account), ("CLOUDFLARE_GATEWAY_ID", "my-gw"), ("CLOUDFLARE_AI_GATEWAY_TOKEN", "gateway-token-SECRET"));

            var result = await Check(client, "cloudflare-ai-gateway", env);

            Assert.True(result.IsReady);
            Assert.Equal(EnvironmentCheckLevel.Warning, Assert.Single(result.Checks).Level);
            Assert.Empty(handler.Requests);
            AssertNoSecret(result, "gateway-token-SECRET");
        }

        [Fact]
        public async Task Other_aliases_ask_their_models_list_with_their_own_token()
        {
            var env = TestEnvironment.With(("OPENAI_API_KEY", OpenAiKey));

            var (client, handler, _) = NewClient();
            handler.Then(() => Json(HttpStatusCode.OK, "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-x\"},{\"id\":\"gpt-y\"},{\"id\":\"gpt-z\"}]}"));
            var ok = await Check(client, "openai", env);
            Assert.True(ok.IsReady);
            Assert.Equal("https://api.openai.com/v1/models", handler.Requests[0].Uri!.AbsoluteUri);
            Assert.Equal("Bearer " + OpenAiKey, handler.Requests[0].Headers["Authorization"]);
            Assert.Equal("ModelList", Assert.Single(ok.Checks).Name);
            Assert.Contains("3 models", ok.Checks[0].Message);

            (client, handler, _) = NewClient();
            handler.Then(() => Json(HttpStatusCode.Unauthorized, "{\"error\":{\"code\":\"invalid_api_key\",\"message\":\"Incorrect API key provided: " + OpenAiKey + ".\"}}"));
            var refused = await Check(client, "openai", env);
            Assert.False(refused.IsReady);
            Assert.Contains("refuses OPENAI_API_KEY", refused.Checks[0].Message);
            AssertNoSecret(refused, OpenAiKey);

            (client, handler, _) = NewClient();
            handler.Then(() => Json(HttpStatusCode.NotFound, "{\"error\":{\"message\":\"not found\"}}"));
            var none = await Check(client, "openai", env, baseUrl: "http://127.0.0.1:9/v1");
            Assert.True(none.IsReady);
            Assert.Equal("http://127.0.0.1:9/v1/models", handler.Requests[0].Uri!.AbsoluteUri);
            Assert.Equal(EnvironmentCheckLevel.Warning, none.Checks[0].Level);
            Assert.Contains("has no model list", none.Checks[0].Message);
        }

        [Fact]
        public async Task A_BaseUrl_that_sends_the_token_over_plain_http_to_a_remote_host_is_a_failed_check_and_nothing_is_sent()
        {
            var (client, handler, _) = NewClient();

            var result = await Check(client, "cloudflare-workers-ai", CloudflareEnv(), baseUrl: "http://example.com/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1");

            Assert.False(result.IsReady);
            var check = Assert.Single(result.Checks);
            Assert.Equal("Endpoint", check.Name);
            Assert.Contains("plain http", check.Message);
            Assert.Empty(handler.Requests);
        }
    }
}
