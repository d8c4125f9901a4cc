using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace CloudflareAI.Tests.Chat.Errors
{
    /// <summary>The error codes Cloudflare and OpenAI added or changed in 2026, and where -MaxTokens goes by which name.</summary>
    public class PlatformErrorCodesTests
    {
        private const string Secret = "cf-secret-value-123456";
        private const string WorkersDefault = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";

        private const string Retired =
            "{\"errors\":[{\"message\":\"AiError: AiError: 5028: This model was deprecated on 2026-05-30. Please use an alternative model (5028aa00-0000-4000-8000-00000000cafe)\",\"code\":5028}],\"success\":false,\"result\":{},\"messages\":[]}";

        private const string PlanRequired =
            "{\"errors\":[{\"message\":\"AiError: AiError: 5035: This model requires the Workers Paid plan. (5035bb00)\",\"code\":5035}],\"success\":false,\"result\":{},\"messages\":[]}";

        private const string SchemaWithStream =
            "{\"errors\":[{\"message\":\"AiError: AiError: JSON Schema mode is not supported with stream mode (5023cc00)\",\"code\":5023}],\"success\":false}";

        private const string InvalidInput =
            "{\"errors\":[{\"message\":\"AiError: AiError: Invalid input: tool_choice must be auto, none or required (8001dd00)\",\"code\":8001}],\"success\":false}";

        private const string Gateway2009 = "{\"result\":null,\"success\":false,\"errors\":[{\"code\":2009,\"message\":\"Unauthorized\"}],\"messages\":[]}";

        private const string UnifiedBilling503 =
            "{\"result\":null,\"success\":false,\"errors\":[{\"message\":\"The provider rejected the Unified Billing credential\"}],\"messages\":[]}";

        private const string Upstream503 = "{\"result\":null,\"success\":false,\"errors\":[{\"code\":7009,\"message\":\"Upstream service unavailable\"}],\"messages\":[]}";

        private const string InsufficientQuota =
            "{\"error\":{\"message\":\"You exceeded your current quota, please check your plan and billing details.\",\"type\":\"insufficient_quota\",\"param\":null,\"code\":\"insufficient_quota\"}}";

        private static ChatErrorClassifier Classifier(string provider, bool restGateway = false, string? defaultModel = null) =>
            new ChatErrorClassifier(provider, provider.StartsWith("cloudflare-", StringComparison.Ordinal), new SecretRedactor(new[] { Secret }),
                restGateway, defaultModel);

        private static ChatErrorClassifier Workers() => Classifier("cloudflare-workers-ai", defaultModel: WorkersDefault);

        private static ChatErrorClassifier Rest() => Classifier(EndpointRules.RestGatewayAlias, restGateway: true, defaultModel: WorkersDefault);

        private static ChatErrorClassifier Compat() => Classifier("cloudflare-ai-gateway", defaultModel: "workers-ai/" + WorkersDefault);

        private static ChatErrorClassifier OpenAi() => Classifier("openai");

        private static ChatException Classify(ChatErrorClassifier classifier, int status, string body) =>
            classifier.FromResponse(status, null, ApiErrorBody.Parse(body), null, null, false, 1);

        public static IEnumerable<object[]> Rows() => new[]
        {
            new object[] { "workers", 400, Retired, ErrorIds.ChatModelNotFound, ErrorKind.ObjectNotFound },
            new object[] { "workers", 404, Retired, ErrorIds.ChatModelNotFound, ErrorKind.ObjectNotFound },
            new object[] { "workers", 500, Retired, ErrorIds.ChatModelNotFound, ErrorKind.ObjectNotFound },
            new object[] { "compat", 400, Retired, ErrorIds.ChatModelNotFound, ErrorKind.ObjectNotFound },
            new object[] { "workers", 403, PlanRequired, ErrorIds.ChatPlanRequired, ErrorKind.PermissionDenied },
            new object[] { "rest", 403, PlanRequired, ErrorIds.ChatPlanRequired, ErrorKind.PermissionDenied },
            new object[] { "workers", 400, SchemaWithStream, ErrorIds.ChatBadRequest, ErrorKind.InvalidArgument },
            new object[] { "workers", 400, InvalidInput, ErrorIds.ChatBadRequest, ErrorKind.InvalidArgument },
            new object[] { "workers", 500, InvalidInput, ErrorIds.ChatBadRequest, ErrorKind.InvalidArgument },
            new object[] { "rest", 401, Gateway2009, ErrorIds.ChatAuthenticationFailed, ErrorKind.PermissionDenied },
            new object[] { "compat", 401, Gateway2009, ErrorIds.ChatAuthenticationFailed, ErrorKind.PermissionDenied },
            new object[] { "rest", 503, UnifiedBilling503, ErrorIds.ChatAuthenticationFailed, ErrorKind.PermissionDenied },
            new object[] { "rest", 503, Upstream503, ErrorIds.ChatServerError, ErrorKind.ResourceUnavailable },
            new object[] { "compat", 503, UnifiedBilling503, ErrorIds.ChatServerError, ErrorKind.ResourceUnavailable },
            new object[] { "workers", 503, UnifiedBilling503, ErrorIds.ChatServerError, ErrorKind.ResourceUnavailable },
            new object[] { "openai", 429, InsufficientQuota, ErrorIds.ChatQuotaExceeded, ErrorKind.QuotaExceeded },
            new object[] { "rest", 429, InsufficientQuota, ErrorIds.ChatQuotaExceeded, ErrorKind.QuotaExceeded },
            new object[] { "openai", 400, Retired, ErrorIds.ChatBadRequest, ErrorKind.InvalidArgument },
            new object[] { "openai", 403, PlanRequired, ErrorIds.ChatAuthenticationFailed, ErrorKind.PermissionDenied },
        };

        private static ChatErrorClassifier ByName(string name) => name switch
        {
            "workers" => Workers(),
            "rest" => Rest(),
            "compat" => Compat(),
            _ => OpenAi(),
        };

        [Theory]
        [MemberData(nameof(Rows))]
        public void NewCodesAreClassified(string classifier, int status, string body, string errorId, ErrorKind kind)
        {
            ChatException ex = Classify(ByName(classifier), status, body);

            Assert.Equal(errorId, ex.ErrorId);
            Assert.Equal(kind, ex.Kind);
            Assert.Equal(status, ex.StatusCode);
        }

        [Theory]
        [InlineData("workers", 400, Retired, false)]
        [InlineData("workers", 500, Retired, false)]
        [InlineData("workers", 503, Retired, false)]
        [InlineData("workers", 403, PlanRequired, false)]
        [InlineData("workers", 503, PlanRequired, false)]
        [InlineData("workers", 400, SchemaWithStream, false)]
        [InlineData("workers", 500, InvalidInput, false)]
        [InlineData("rest", 401, Gateway2009, false)]
        [InlineData("rest", 503, UnifiedBilling503, false)]
        [InlineData("rest", 503, Upstream503, true)]
        [InlineData("compat", 503, UnifiedBilling503, true)]
        [InlineData("openai", 429, InsufficientQuota, false)]
        [InlineData("rest", 429, InsufficientQuota, false)]
        [InlineData("openai", 429, "{\"error\":{\"message\":\"Rate limit reached\",\"code\":\"rate_limit_exceeded\"}}", true)]
        public void NewCodesAndTheRetryPolicy(string classifier, int status, string body, bool retried)
        {
            ApiErrorBody parsed = ApiErrorBody.Parse(body);
            string? why = ByName(classifier).WhyNotRetried(status, parsed);

            RetryDecision decision = new RetryPolicy(3, () => 0.5).AfterStatus(1, status, why, retryAfter: null);

            Assert.Equal(retried, decision.Retry);
            // On a status that is retried by itself, it is the body that decides.
            if (RetryPolicy.IsRetryableStatus(status)) Assert.Equal(retried, why == null);
        }

        [Fact]
        public void RetiredModelNamesGetAIModelAndTheCurrentDefault()
        {
            ChatException ex = Classify(Workers(), 400, Retired);

            Assert.Equal("HTTP 400 from cloudflare-workers-ai: This model was deprecated on 2026-05-30. Please use an alternative model (code 5028).", ex.Message);
            Assert.Equal("5028", ex.ProviderCode);
            Assert.Contains("retired by Cloudflare", ex.RecommendedAction);
            Assert.Contains("Get-AIModel -Provider cloudflare-workers-ai", ex.RecommendedAction);
            Assert.Contains(WorkersDefault, ex.RecommendedAction);
        }

        [Fact]
        public void RetiredModelOnTheCompatGatewayNamesItsOwnDefault()
        {
            ChatException ex = Classify(Compat(), 400, Retired);

            Assert.Contains("Get-AIModel -Provider cloudflare-ai-gateway", ex.RecommendedAction);
            Assert.Contains("workers-ai/" + WorkersDefault, ex.RecommendedAction);
        }

        [Fact]
        public void RetiredModelWithoutADefaultAsksForOne()
        {
            ChatException ex = Classify(Classifier("cloudflare-workers-ai"), 400, Retired);

            Assert.Contains("Get-AIModel -Provider cloudflare-workers-ai", ex.RecommendedAction);
            Assert.Contains("-Model", ex.RecommendedAction);
        }

        [Fact]
        public void PlanRequiredSpeaksOfWorkersPaidNotOfTheToken()
        {
            ChatException ex = Classify(Workers(), 403, PlanRequired);

            Assert.Contains("Workers Paid", ex.RecommendedAction);
            Assert.Contains("Unified Billing", ex.RecommendedAction);
            Assert.DoesNotContain("Check CLOUDFLARE_API_TOKEN", ex.RecommendedAction);
        }

        [Fact]
        public void SchemaWithStreamSaysDropStream()
        {
            Assert.Contains("drop -Stream", Classify(Workers(), 400, SchemaWithStream).RecommendedAction);
        }

        [Fact]
        public void InvalidInputCarriesTheServersText()
        {
            ChatException ex = Classify(Workers(), 400, InvalidInput);

            Assert.Contains("tool_choice must be auto, none or required", ex.Message);
            Assert.Contains("tool_choice must be auto, none or required", ex.RecommendedAction);
        }

        [Fact]
        public void Code2009OnTheRestGatewayIsAboutTheProvidersKey()
        {
            ChatException rest = Classify(Rest(), 401, Gateway2009);
            ChatException compat = Classify(Compat(), 401, Gateway2009);

            Assert.Contains("provider rejected the credentials", rest.RecommendedAction);
            Assert.Contains("bring your own key", rest.RecommendedAction);
            Assert.DoesNotContain("CLOUDFLARE_AI_GATEWAY_TOKEN", rest.RecommendedAction);
            Assert.Contains("CLOUDFLARE_AI_GATEWAY_TOKEN", compat.RecommendedAction);
        }

        [Fact]
        public void UnifiedBillingCredentialHint()
        {
            ChatException ex = Classify(Rest(), 503, UnifiedBilling503);

            Assert.Contains("Unified Billing credential", ex.RecommendedAction);
            Assert.Contains("retrying will not help", ex.RecommendedAction);
        }

        [Fact]
        public void InsufficientQuotaHintIsNotAboutWorkersAi()
        {
            ChatException ex = Classify(OpenAi(), 429, InsufficientQuota);

            Assert.Contains("insufficient_quota", ex.RecommendedAction);
            Assert.DoesNotContain("neurons", ex.RecommendedAction);
        }

        [Theory]
        [InlineData("invalid_api_key", ErrorIds.ChatAuthenticationFailed)]
        [InlineData("insufficient_quota", ErrorIds.ChatQuotaExceeded)]
        [InlineData("model_not_found", ErrorIds.ChatModelNotFound)]
        [InlineData("rate_limit_exceeded", ErrorIds.ChatRateLimited)]
        [InlineData("server_error", ErrorIds.ChatServerError)]
        public void AnErrorEventInAStreamIsClassifiedByItsCode(string code, string errorId)
        {
            var body = ApiErrorBody.Parse("{\"error\":{\"message\":\"Something\",\"type\":\"x\",\"code\":\"" + code + "\"}}");

            ChatException ex = OpenAi().FromErrorInResponse(body, 200, midStream: true, attempts: 1);

            Assert.Equal(errorId, ex.ErrorId);
            Assert.Equal(200, ex.StatusCode);
        }

        [Fact]
        public void ACloudflareCodeInAStreamIsClassifiedToo()
        {
            ChatException ex = Workers().FromErrorInResponse(ApiErrorBody.Parse(Retired), 200, midStream: true, attempts: 1);

            Assert.Equal(ErrorIds.ChatModelNotFound, ex.ErrorId);
            Assert.Contains("Get-AIModel", ex.RecommendedAction);
        }

        [Fact]
        public async Task AnInvalidApiKeyEventInsideA200StreamIsChatAuthenticationFailed()
        {
            var handler = new FakeHandler().Then(() => CannedResponses.EventStream(new ScriptedStream(
                CannedResponses.Event("{\"error\":{\"message\":\"Incorrect API key provided.\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"))));
            var client = new ChatClient(handler, new FakeTimer(), () => 0.5);

            ChatException ex = await Assert.ThrowsAsync<ChatException>(() =>
                client.SendAsync(Endpoints.OpenAi(), Endpoints.Request(stream: true), new ChatCallOptions(), new RecordingObserver(), CancellationToken.None));

            Assert.Equal(ErrorIds.ChatAuthenticationFailed, ex.ErrorId);
            Assert.Equal(ErrorKind.PermissionDenied, ex.Kind);
            Assert.Equal(1, ex.Attempts);
            Assert.Single(handler.Requests);
        }

        [Fact]
        public async Task AUnifiedBillingRejectionIsSentOnce()
        {
            var handler = new FakeHandler()
                .Then(() => CannedResponses.Json(HttpStatusCode.ServiceUnavailable, UnifiedBilling503))
                .Then(() => CannedResponses.Completion("never"));
            var timer = new FakeTimer();
            var client = new ChatClient(handler, timer, () => 0.5);
            var endpoint = new ChatEndpoint(EndpointRules.RestGatewayAlias,
                new Uri("https://api.cloudflare.com/client/v4/accounts/0123456789abcdef0123456789abcdef/ai/v1"),
                new[] { new KeyValuePair<string, string>("Authorization", "Bearer " + Secret), new KeyValuePair<string, string>("cf-aig-gateway-id", "gw") },
                new[] { Secret }, true, true, true);

            ChatException ex = await Assert.ThrowsAsync<ChatException>(() =>
                client.SendAsync(endpoint, Endpoints.Request(), new ChatCallOptions(), new RecordingObserver(), CancellationToken.None));

            Assert.Equal(ErrorIds.ChatAuthenticationFailed, ex.ErrorId);
            Assert.Single(handler.Requests);
            Assert.Empty(timer.Delays);
        }

        [Theory]
        [InlineData(EndpointRules.RestGatewayAlias, "https://api.cloudflare.com/client/v4/accounts/a/ai/v1", null, true)]
        [InlineData(EndpointRules.RestGatewayAlias, "http://127.0.0.1:5000/client/v4/accounts/a/ai/v1", null, true)]
        [InlineData("cloudflare-workers-ai", "https://api.cloudflare.com/client/v4/accounts/a/ai/v1", "gw", true)]
        [InlineData("cloudflare-workers-ai", "https://api.cloudflare.com/client/v4/accounts/a/ai/v1", null, false)]
        [InlineData("cloudflare-workers-ai", "https://api.cloudflare.com/client/v4/accounts/a/ai/v1", " ", false)]
        [InlineData("cloudflare-ai-gateway", "https://gateway.ai.cloudflare.com/v1/a/g/compat", "gw", false)]
        public void WhichEndpointsAreTheRestGateway(string provider, string url, string? gatewayId, bool expected)
        {
            var headers = gatewayId == null
                ? new KeyValuePair<string, string>[0]
                : new[] { new KeyValuePair<string, string>("CF-AIG-Gateway-Id", gatewayId) };

            Assert.Equal(expected, EndpointRules.IsRestGateway(provider, new Uri(url), headers));
        }

        [Theory]
        [InlineData("openai", "https://api.openai.com/v1", true)]
        [InlineData("openai", "https://API.OPENAI.COM/v1", true)]
        [InlineData("openai", "https://proxy.example/v1", false)]
        [InlineData("openai", "http://127.0.0.1:8000/v1", false)]
        [InlineData("azure", "https://my-resource.openai.azure.com/openai/v1", true)]
        [InlineData("azure", "https://my-resource.cognitiveservices.azure.com/openai/v1", true)]
        [InlineData("azure", "http://127.0.0.1:8000/openai/v1", false)]
        [InlineData("azure", "https://openai.azure.com.example/v1", false)]
        [InlineData("groq", "https://api.groq.com/openai/v1", false)]
        [InlineData("cloudflare-ai-gateway", "https://gateway.ai.cloudflare.com/v1/a/g/compat", false)]
        public void MaxCompletionTokensOnlyOnOpenAiAndAzureHosts(string provider, string url, bool expected)
        {
            Assert.Equal(expected, EndpointRules.UsesMaxCompletionTokens(provider, new Uri(url)));
        }

        [Theory]
        [InlineData("openai", null, "max_completion_tokens")]
        [InlineData("openai", "https://proxy.example/v1", "max_tokens")]
        [InlineData("azure", "https://my-resource.openai.azure.com/openai/v1", "max_completion_tokens")]
        [InlineData("azure", "http://127.0.0.1:8000/openai/v1", "max_tokens")]
        [InlineData("cloudflare-workers-ai", null, "max_tokens")]
        [InlineData("mistral", null, "max_tokens")]
        public async Task TheRequestBodyNamesMaxTokensAsTheHostWants(string provider, string? baseUrl, string expected)
        {
            var env = new DictionaryEnvironmentReader(new[]
            {
                new KeyValuePair<string, string>("OPENAI_API_KEY", "sk-test"),
                new KeyValuePair<string, string>("AZURE_API_KEY", "az-test"),
                new KeyValuePair<string, string>("MISTRAL_API_KEY", "mi-test"),
                new KeyValuePair<string, string>("CLOUDFLARE_API_TOKEN", "cf-test"),
                new KeyValuePair<string, string>("CLOUDFLARE_ACCOUNT_ID", "0123456789abcdef0123456789abcdef"),
            });
            ResolvedEndpoint resolved = EndpointResolver.Resolve(new EndpointOverrides { Provider = provider, Model = "m", BaseUrl = baseUrl }, env);
            var handler = new FakeHandler().Then(() => CannedResponses.Completion("ok"));
            ChatRequest request = Endpoints.Request();
            request.MaxTokens = 64;

            await new ChatClient(handler, new FakeTimer(), () => 0).SendAsync(resolved.Endpoint, request, new ChatCallOptions(), new RecordingObserver(), CancellationToken.None);

            JsonElement body = JsonDocument.Parse(handler.Requests[0].Body).RootElement;
            string[] names = body.EnumerateObject().Select(p => p.Name).ToArray();
            Assert.Contains(expected, names);
            Assert.Equal(64, body.GetProperty(expected).GetInt32());
            Assert.DoesNotContain(expected == "max_tokens" ? "max_completion_tokens" : "max_tokens", names);
        }
    }
}
