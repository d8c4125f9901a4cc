using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace CloudflareAI.Tests.Cloudflare
{
    // The origin rule for Cloudflare API URLs, and the GET JSON client (classifier, envelope errors, retries, secrets).
    public class CloudflareApiClientTests
    {
        private const string Account = "0123456789abcdef0123456789abcdef";
        private const string Token = "fake-cf-token-SECRET-123";

        private static DictionaryEnvironmentReader CloudflareEnv() =>
            TestEnvironment.With(("CLOUDFLARE_API_TOKEN", Token), ("CLOUDFLARE_ACCOUNT_ID", Account), ("CLOUDFLARE_GATEWAY_ID", "my-gw"));

        private static string? Header(CloudflareApiEndpoint e, string name) =>
            e.Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).SingleOrDefault();

        [Fact]
        public void Workers_AI_API_URLs_are_built_on_the_origin_of_the_base_URL()
        {
            var api = EndpointResolver.ResolveCloudflareApi(new EndpointOverrides { Provider = "cloudflare-workers-ai" }, CloudflareEnv());
            Assert.Equal("https://api.cloudflare.com/", api.Origin.AbsoluteUri);
            Assert.Equal($"https://api.cloudflare.com/client/v4/accounts/{Account}/ai/models/search?task=Text%20Generation&per_page=100&page=2",
                api.ModelsSearchUrl("Text Generation", 2, 100).AbsoluteUri);
            Assert.Equal("https://api.cloudflare.com/client/v4/user/tokens/verify", api.UserTokenVerifyUrl.AbsoluteUri);
            Assert.Equal($"https://api.cloudflare.com/client/v4/accounts/{Account}/tokens/verify", api.AccountTokenVerifyUrl.AbsoluteUri);
            Assert.Null(api.GatewayUrl);
            Assert.Equal("Bearer " + Token, Header(api, "Authorization"));
            Assert.Contains(Token, api.Secrets);
        }

        [Fact]
        public void A_BaseUrl_override_moves_every_API_call_to_its_origin()
        {
            var api = EndpointResolver.ResolveCloudflareApi(new EndpointOverrides
            {
                Provider = "cloudflare-ai-gateway",
                BaseUrl = "http://127.0.0.1:5123/v1/${CLOUDFLARE_ACCOUNT_ID}/${CLOUDFLARE_GATEWAY_ID}/compat",
            }, CloudflareEnv());
            Assert.Equal("http://127.0.0.1:5123/", api.Origin.AbsoluteUri);
            Assert.Equal($"http://127.0.0.1:5123/client/v4/accounts/{Account}/ai-gateway/gateways/my-gw", api.GatewayUrl!.AbsoluteUri);
            Assert.Equal($"http://127.0.0.1:5123/client/v4/accounts/{Account}/ai/models/search?per_page=50&page=1", api.ModelsSearchUrl(null, 1, 50).AbsoluteUri);
            // The API takes the API token, never the gateway header.
            Assert.Equal("Bearer " + Token, Header(api, "Authorization"));
            Assert.Null(Header(api, "cf-aig-authorization"));
        }

        [Fact]
        public void The_compat_gateway_host_reaches_the_API_on_api_cloudflare_com()
        {
            var api = EndpointResolver.ResolveCloudflareApi(new EndpointOverrides { Provider = "cloudflare-ai-gateway" }, CloudflareEnv());
            Assert.Equal("https://api.cloudflare.com/", api.Origin.AbsoluteUri);
            Assert.Equal("my-gw", api.GatewayId);
        }

        [Fact]
        public void ApiKey_replaces_the_token_and_a_gateway_only_token_is_not_enough()
        {
            var env = TestEnvironment.With(("CLOUDFLARE_ACCOUNT_ID", Account), ("CLOUDFLARE_GATEWAY_ID", "gw"), ("CLOUDFLARE_AI_GATEWAY_TOKEN", "gateway-only-token"));
            var e = Assert.Throws<CloudflareAIException>(() =>
                EndpointResolver.ResolveCloudflareApi(new EndpointOverrides { Provider = "cloudflare-ai-gateway" }, env));
            Assert.Equal(ErrorIds.ProviderEnvironmentVariableMissing, e.ErrorId);
            Assert.Contains("CLOUDFLARE_API_TOKEN", e.Message);
            Assert.DoesNotContain("gateway-only-token", e.Message + e.RecommendedAction);

            var api = EndpointResolver.ResolveCloudflareApi(new EndpointOverrides { Provider = "cloudflare-ai-gateway", ApiKey = "key-from-ApiKey" }, env);
            Assert.Equal("Bearer key-from-ApiKey", Header(api, "Authorization"));
        }

        [Fact]
        public void Plain_http_to_a_remote_host_is_refused_and_a_non_Cloudflare_alias_has_no_API()
        {
            var e = Assert.Throws<CloudflareAIException>(() => EndpointResolver.ResolveCloudflareApi(new EndpointOverrides
            {
                Provider = "cloudflare-workers-ai",
                BaseUrl = "http://example.com/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1",
            }, CloudflareEnv()));
            Assert.Equal(ErrorIds.InsecureEndpoint, e.ErrorId);

            var o = Assert.Throws<CloudflareAIException>(() => EndpointResolver.ResolveCloudflareApi(new EndpointOverrides { Provider = "openai" },
                TestEnvironment.With(("OPENAI_API_KEY", "sk-x"))));
            Assert.Equal(ErrorIds.ProviderNotConfigured, o.ErrorId);
        }

        [Fact]
        public void RequireModel_false_resolves_an_alias_without_a_default_model()
        {
            var r = EndpointResolver.Resolve(new EndpointOverrides { Provider = "openai", RequireModel = false }, TestEnvironment.With(("OPENAI_API_KEY", "sk-x")));
            Assert.Equal(string.Empty, r.Model);
            Assert.Throws<CloudflareAIException>(() => EndpointResolver.Resolve(new EndpointOverrides { Provider = "openai" }, TestEnvironment.With(("OPENAI_API_KEY", "sk-x"))));
        }

        private static (CloudflareApiClient Client, FakeHandler Handler, FakeTimer Timer) NewClient()
        {
            var handler = new FakeHandler();
            var timer = new FakeTimer();
            return (new CloudflareApiClient(new ChatClient(handler, timer, () => 0.5)), handler, timer);
        }

        private static CloudflareApiEndpoint Api() =>
            EndpointResolver.ResolveCloudflareApi(new EndpointOverrides { Provider = "cloudflare-workers-ai" }, CloudflareEnv());

        [Fact]
        public async Task A_GET_sends_the_token_and_returns_the_JSON()
        {
            var (client, handler, _) = NewClient();
            handler.Then(() => CannedResponses.Json(HttpStatusCode.OK, "{\"success\":true,\"result\":[{\"name\":\"m\"}]}"));
            var api = Api();
            var lines = new List<string>();
            using var answer = await client.GetJsonAsync(api, api.UserTokenVerifyUrl, new ApiGetOptions { Verbose = lines.Add }, CancellationToken.None);
            Assert.Equal("m", answer.Root.GetProperty("result")[0].GetProperty("name").GetString());
            Assert.Equal(HttpMethod.Get, handler.Requests[0].Method);
            Assert.Equal("Bearer " + Token, handler.Requests[0].Headers["Authorization"]);
            Assert.Equal("application/json", handler.Requests[0].Headers["Accept"]);
            Assert.Contains(lines, l => l.StartsWith("GET https://api.cloudflare.com/client/v4/user/tokens/verify", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("HTTP 200", StringComparison.Ordinal));
        }

        [Fact]
        public async Task A_401_envelope_is_ChatAuthenticationFailed_with_no_secret_in_it()
        {
            var (client, handler, _) = NewClient();
            handler.Then(() => CannedResponses.Json(HttpStatusCode.Unauthorized,
                "{\"success\":false,\"errors\":[{\"code\":10000,\"message\":\"Authentication error for " + Token + "\"}],\"result\":null}"));
            var api = Api();
            var e = await Assert.ThrowsAsync<ChatException>(() => client.GetJsonAsync(api, api.UserTokenVerifyUrl, new ApiGetOptions(), CancellationToken.None));
            Assert.Equal(ErrorIds.ChatAuthenticationFailed, e.ErrorId);
            Assert.Equal(401, e.StatusCode);
            Assert.Equal("10000", e.ProviderCode);
            Assert.DoesNotContain(Token, e.Message + e.RecommendedAction);
            Assert.Single(handler.Requests);
        }

        [Fact]
        public async Task A_200_envelope_that_says_success_false_is_an_error()
        {
            var (client, handler, _) = NewClient();
            handler.Then(() => CannedResponses.Json(HttpStatusCode.OK, "{\"success\":false,\"errors\":[{\"code\":7003,\"message\":\"Could not route\"}],\"result\":null}"));
            var api = Api();
            var e = await Assert.ThrowsAsync<ChatException>(() => client.GetJsonAsync(api, api.UserTokenVerifyUrl, new ApiGetOptions(), CancellationToken.None));
            Assert.Equal(ErrorIds.ChatBadRequest, e.ErrorId);
            Assert.Equal("7003", e.ProviderCode);
        }

        [Fact]
        public async Task A_503_is_retried_on_the_injected_clock_and_MaxRetries_bounds_it()
        {
            var (client, handler, timer) = NewClient();
            handler.Then(() => CannedResponses.Json(HttpStatusCode.ServiceUnavailable, "{}"))
                   .Then(() => CannedResponses.Json(HttpStatusCode.OK, "{\"success\":true,\"result\":{}}"));
            var api = Api();
            using (var ok = await client.GetJsonAsync(api, api.UserTokenVerifyUrl, new ApiGetOptions(), CancellationToken.None))
            {
                Assert.Equal(2, ok.Attempts);
            }
            Assert.Single(timer.Delays);

            (client, handler, timer) = NewClient();
            handler.Then(() => CannedResponses.Json(HttpStatusCode.ServiceUnavailable, "{}"));
            var e = await Assert.ThrowsAsync<ChatException>(() => client.GetJsonAsync(api, api.UserTokenVerifyUrl, new ApiGetOptions { MaxRetries = 0 }, CancellationToken.None));
            Assert.Equal(ErrorIds.ChatServerError, e.ErrorId);
            Assert.Empty(timer.Delays);
        }

        [Fact]
        public async Task A_GET_times_out_on_the_injected_clock_as_a_chat_call_does_and_is_not_retried()
        {
            var (client, handler, timer) = NewClient();
            bool cancelledEarly = true;
            handler.Then(async (_, ct) =>
            {
                timer.Advance(TimeSpan.FromSeconds(29));
                cancelledEarly = ct.IsCancellationRequested;
                timer.Advance(TimeSpan.FromSeconds(1));
                await Task.Delay(Timeout.Infinite, ct);
                return CannedResponses.Json(HttpStatusCode.OK, "{}");
            });
            var api = Api();
            var verbose = new List<string>();

            var e = await Assert.ThrowsAsync<ChatException>(() =>
                client.GetJsonAsync(api, api.UserTokenVerifyUrl, new ApiGetOptions { Verbose = verbose.Add }, CancellationToken.None));

            Assert.False(cancelledEarly, "the attempt was cancelled before its timeout ran out");
            Assert.Equal(ErrorIds.ChatTimeout, e.ErrorId);
            Assert.Equal(1, timer.TimeoutsFired);
            Assert.Single(handler.Requests);
            Assert.Empty(timer.Delays);
        }

        [Fact]
        public async Task A_retried_GET_says_why_in_verbose_as_a_chat_call_does()
        {
            var (client, handler, _) = NewClient();
            handler.Then(() => CannedResponses.Json(HttpStatusCode.ServiceUnavailable, "{}"))
                   .Then(() => CannedResponses.Json(HttpStatusCode.OK, "{\"success\":true,\"result\":{}}"));
            var api = Api();
            var verbose = new List<string>();
            using (await client.GetJsonAsync(api, api.UserTokenVerifyUrl, new ApiGetOptions { Verbose = verbose.Add }, CancellationToken.None)) { }
            Assert.Contains("Attempt 1 failed (HTTP 503 Service Unavailable); retrying in 0.5 s", verbose);
        }

        [Fact]
        public async Task A_body_that_is_not_JSON_is_ChatResponseInvalid_and_cancellation_is_honoured()
        {
            var (client, handler, _) = NewClient();
            handler.Then(() => CannedResponses.Json(HttpStatusCode.OK, "<html>hello</html>"));
            var api = Api();
            var e = await Assert.ThrowsAsync<ChatException>(() => client.GetJsonAsync(api, api.UserTokenVerifyUrl, new ApiGetOptions(), CancellationToken.None));
            Assert.Equal(ErrorIds.ChatResponseInvalid, e.ErrorId);

            using var cancelled = new CancellationTokenSource();
            cancelled.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetJsonAsync(api, api.UserTokenVerifyUrl, new ApiGetOptions(), cancelled.Token));
        }
    }
}
