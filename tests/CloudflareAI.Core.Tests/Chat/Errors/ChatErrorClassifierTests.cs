using System;
using Xunit;

namespace CloudflareAI.Tests.Chat.Errors
{
    public class ChatErrorClassifierTests
    {
        private const string Secret = "cf-secret-value-123456";

        private static ChatErrorClassifier Cloudflare() => new ChatErrorClassifier("cloudflare-workers-ai", true, new SecretRedactor(new[] { Secret }));

        private static ChatErrorClassifier OpenAi() => new ChatErrorClassifier("openai", false, new SecretRedactor(new[] { Secret }));

        private static ChatException Classify(ChatErrorClassifier classifier, int status, string body) =>
            classifier.FromResponse(status, null, ApiErrorBody.Parse(body), null, null, false, 1);

        [Theory]
        [InlineData(401, "{\"errors\":[{\"code\":10000,\"message\":\"Authentication error\"}]}", ErrorIds.ChatAuthenticationFailed, ErrorKind.PermissionDenied)]
        [InlineData(403, "{\"errors\":[{\"code\":10000,\"message\":\"Authentication error\"}]}", ErrorIds.ChatAuthenticationFailed, ErrorKind.PermissionDenied)]
        [InlineData(400, "{\"errors\":[{\"code\":10000,\"message\":\"Authentication error\"}]}", ErrorIds.ChatAuthenticationFailed, ErrorKind.PermissionDenied)]
        [InlineData(403, "{\"errors\":[{\"code\":5016,\"message\":\"User has not agreed to Llama3.2 model terms\"}]}", ErrorIds.ChatAuthenticationFailed, ErrorKind.PermissionDenied)]
        [InlineData(404, "{\"errors\":[{\"code\":3042,\"message\":\"The model name is invalid\"}]}", ErrorIds.ChatModelNotFound, ErrorKind.ObjectNotFound)]
        [InlineData(400, "{\"errors\":[{\"code\":5007,\"message\":\"No such model @cf/x or task\"}]}", ErrorIds.ChatModelNotFound, ErrorKind.ObjectNotFound)]
        [InlineData(404, "", ErrorIds.ChatModelNotFound, ErrorKind.ObjectNotFound)]
        [InlineData(400, "{\"errors\":[{\"code\":7003,\"message\":\"Could not route\"},{\"code\":7000,\"message\":\"No route for that URI\"}]}", ErrorIds.ChatBadRequest, ErrorKind.InvalidArgument)]
        [InlineData(403, "{\"errors\":[{\"code\":7003,\"message\":\"Could not route\"}]}", ErrorIds.ChatBadRequest, ErrorKind.InvalidArgument)]
        [InlineData(404, "{\"errors\":[{\"code\":7000,\"message\":\"No route for that URI\"}]}", ErrorIds.ChatBadRequest, ErrorKind.InvalidArgument)]
        [InlineData(401, "{\"error\":[{\"code\":2009,\"message\":\"Unauthorized\"}]}", ErrorIds.ChatAuthenticationFailed, ErrorKind.PermissionDenied)]
        [InlineData(400, "{\"errors\":[{\"code\":5006,\"message\":\"Bad input\"}]}", ErrorIds.ChatBadRequest, ErrorKind.InvalidArgument)]
        [InlineData(413, "{\"errors\":[{\"code\":3006,\"message\":\"Request too large\"}]}", ErrorIds.ChatBadRequest, ErrorKind.InvalidArgument)]
        [InlineData(422, "{\"error\":{\"message\":\"Unprocessable\"}}", ErrorIds.ChatBadRequest, ErrorKind.InvalidArgument)]
        [InlineData(405, "", ErrorIds.ChatBadRequest, ErrorKind.InvalidArgument)]
        [InlineData(429, "{\"errors\":[{\"code\":3036,\"message\":\"Account limited\"}]}", ErrorIds.ChatQuotaExceeded, ErrorKind.QuotaExceeded)]
        [InlineData(429, "{\"errors\":[{\"code\":4006,\"message\":\"AiError: AiError: you have used up your daily free allocation of 10,000 neurons\"}]}", ErrorIds.ChatQuotaExceeded, ErrorKind.QuotaExceeded)]
        [InlineData(429, "{\"errors\":[{\"message\":\"you have used up your daily free allocation of 10,000 neurons\"}]}", ErrorIds.ChatQuotaExceeded, ErrorKind.QuotaExceeded)]
        [InlineData(429, "{\"errors\":[{\"code\":3040,\"message\":\"Capacity temporarily exceeded\"}]}", ErrorIds.ChatRateLimited, ErrorKind.LimitsExceeded)]
        [InlineData(429, "{\"errors\":[{\"code\":3021,\"message\":\"rate limiting\"}]}", ErrorIds.ChatRateLimited, ErrorKind.LimitsExceeded)]
        [InlineData(400, "{\"errors\":[{\"message\":\"AiError: AiError: 5028: This model was deprecated on 2026-05-30. Please use an alternative model\",\"code\":5028}]}", ErrorIds.ChatModelNotFound, ErrorKind.ObjectNotFound)]
        [InlineData(403, "{\"errors\":[{\"message\":\"AiError: AiError: 5035: This model requires the Workers Paid plan\",\"code\":5035}]}", ErrorIds.ChatPlanRequired, ErrorKind.PermissionDenied)]
        [InlineData(400, "{\"errors\":[{\"message\":\"JSON Schema mode is not supported with stream mode\",\"code\":5023}]}", ErrorIds.ChatBadRequest, ErrorKind.InvalidArgument)]
        [InlineData(400, "{\"errors\":[{\"message\":\"Invalid input\",\"code\":8001}]}", ErrorIds.ChatBadRequest, ErrorKind.InvalidArgument)]
        [InlineData(408, "", ErrorIds.ChatServerError, ErrorKind.ResourceUnavailable)]
        [InlineData(500, "", ErrorIds.ChatServerError, ErrorKind.ResourceUnavailable)]
        [InlineData(502, "<html><body>502 Bad Gateway</body></html>", ErrorIds.ChatServerError, ErrorKind.ResourceUnavailable)]
        [InlineData(503, "{\"errors\":[{\"code\":7009,\"message\":\"Upstream service unavailable\"}]}", ErrorIds.ChatServerError, ErrorKind.ResourceUnavailable)]
        [InlineData(504, "", ErrorIds.ChatServerError, ErrorKind.ResourceUnavailable)]
        public void CloudflareClassificationTable(int status, string body, string errorId, ErrorKind kind)
        {
            ChatException ex = Classify(Cloudflare(), status, body);

            Assert.Equal(errorId, ex.ErrorId);
            Assert.Equal(kind, ex.Kind);
            Assert.Equal(status, ex.StatusCode);
            Assert.False(string.IsNullOrWhiteSpace(ex.RecommendedAction));
        }

        [Theory]
        [InlineData(401, ErrorIds.ChatAuthenticationFailed)]
        [InlineData(403, ErrorIds.ChatAuthenticationFailed)]
        [InlineData(404, ErrorIds.ChatModelNotFound)]
        [InlineData(400, ErrorIds.ChatBadRequest)]
        [InlineData(429, ErrorIds.ChatRateLimited)]
        [InlineData(500, ErrorIds.ChatServerError)]
        public void OtherProvidersByStatus(int status, string errorId)
        {
            Assert.Equal(errorId, Classify(OpenAi(), status, "{\"error\":{\"message\":\"x\"}}").ErrorId);
        }

        [Fact]
        public void CloudflareCodesOnlyCountForCloudflareEndpoints()
        {
            Assert.Equal(ErrorIds.ChatBadRequest, Classify(OpenAi(), 400, "{\"error\":{\"code\":5007,\"message\":\"x\"}}").ErrorId);
            Assert.Equal(ErrorIds.ChatModelNotFound, Classify(Cloudflare(), 400, "{\"error\":{\"code\":5007,\"message\":\"x\"}}").ErrorId);
        }

        [Fact]
        public void MessageReadsLikeTheSpec()
        {
            ChatException ex = Classify(Cloudflare(), 401, "{\"result\":null,\"success\":false,\"errors\":[{\"code\":10000,\"message\":\"Authentication error\"}],\"messages\":[]}");

            Assert.Equal("HTTP 401 from cloudflare-workers-ai: Authentication error (code 10000).", ex.Message);
            Assert.Equal("10000", ex.ProviderCode);
            Assert.Contains("Workers AI", ex.RecommendedAction);
            Assert.Contains("permission", ex.RecommendedAction, StringComparison.OrdinalIgnoreCase);
        }

        [Theory]
        [InlineData("{\"errors\":[{\"code\":7003,\"message\":\"x\"}]}", "CLOUDFLARE_ACCOUNT_ID")]
        [InlineData("{\"errors\":[{\"code\":5007,\"message\":\"x\"}]}", "@cf/meta/llama-3.3-70b-instruct-fp8-fast")]
        [InlineData("{\"errors\":[{\"code\":3036,\"message\":\"x\"}]}", "00:00 UTC")]
        [InlineData("{\"errors\":[{\"code\":3040,\"message\":\"x\"}]}", "-ThrottleLimit")]
        public void HintsSayWhatToDoNext(string body, string expected)
        {
            Assert.Contains(expected, Classify(Cloudflare(), body.Contains("3040") || body.Contains("3036") ? 429 : 400, body).RecommendedAction);
        }

        [Fact]
        public void GatewayTokenHint()
        {
            ChatException ex = Classify(Cloudflare(), 401, "{\"code\":2009,\"message\":\"Unauthorized\"}");

            Assert.Equal("Set CLOUDFLARE_AI_GATEWAY_TOKEN to the gateway's authentication token, or give CLOUDFLARE_API_TOKEN the AI Gateway Run permission.", ex.RecommendedAction);
        }

        [Fact]
        public void ServerErrorAndTimeoutHints()
        {
            Assert.Contains("try again later", Classify(Cloudflare(), 503, "").RecommendedAction);
            Assert.Contains("-TimeoutSec", Cloudflare().TimedOut(TimeSpan.FromSeconds(30), false, 1, null).RecommendedAction);
        }

        [Fact]
        public void HtmlBodyIsReportedWithStatusAndText()
        {
            ChatException ex = Classify(Cloudflare(), 502, "<html><head><title>502 Bad Gateway</title></head><body><center>cloudflare</center></body></html>");

            Assert.Equal("HTTP 502 from cloudflare-workers-ai (not JSON, perhaps from a proxy): 502 Bad Gateway cloudflare.", ex.Message);
        }

        [Fact]
        public void EmptyBodyUsesTheReasonPhrase()
        {
            ChatException ex = Cloudflare().FromResponse(503, "Service Unavailable", ApiErrorBody.Parse(""), null, null, false, 4);

            Assert.Equal("HTTP 503 from cloudflare-workers-ai: Service Unavailable. Gave up after 4 attempts.", ex.Message);
            Assert.Equal(4, ex.Attempts);
        }

        [Fact]
        public void RequestIdIsKept()
        {
            ChatException ex = Classify(Cloudflare(), 400, "{\"errors\":[{\"message\":\"AiError: AiError: Max context reached (0a1b2c3d-4e5f-6789-abcd-ef0123456789)\",\"code\":3030}]}");

            Assert.Equal("0a1b2c3d-4e5f-6789-abcd-ef0123456789", ex.RequestId);
            Assert.Equal("HTTP 400 from cloudflare-workers-ai: Max context reached (code 3030).", ex.Message);
        }

        [Fact]
        public void RedirectNamesTheLocationHost()
        {
            ChatException ex = Cloudflare().FromResponse(301, "Moved Permanently", ApiErrorBody.Parse(""), "evil.example.com", null, false, 1);

            Assert.Equal(ErrorIds.ChatBadRequest, ex.ErrorId);
            Assert.Contains("evil.example.com", ex.Message);
            Assert.Contains("automatic redirects are off", ex.Message);
        }

        [Fact]
        public void RetryAfterAboveTheCapNamesTheWait()
        {
            ChatException ex = Cloudflare().FromResponse(429, "Too Many Requests", ApiErrorBody.Parse("{\"errors\":[{\"code\":3040,\"message\":\"busy\"}]}"),
                null, TimeSpan.FromSeconds(3600), true, 1);

            Assert.Equal(ErrorIds.ChatRateLimited, ex.ErrorId);
            Assert.Equal(TimeSpan.FromSeconds(3600), ex.RetryAfter);
            Assert.Contains("wait 60 min 0 s", ex.Message);
            Assert.Contains("Wait 60 min 0 s", ex.RecommendedAction);
        }

        [Theory]
        [InlineData(503)]
        [InlineData(502)]
        [InlineData(500)]
        [InlineData(408)]
        public void RetryAfterAboveTheCapOnAnyRetryableStatusIsChatRateLimited(int status)
        {
            ChatException ex = Cloudflare().FromResponse(status, "Busy", ApiErrorBody.Parse("<html>busy</html>"),
                null, TimeSpan.FromSeconds(120), true, 1);

            Assert.Equal(ErrorIds.ChatRateLimited, ex.ErrorId);
            Assert.Equal(ErrorKind.LimitsExceeded, ex.Kind);
            Assert.Equal(TimeSpan.FromSeconds(120), ex.RetryAfter);
            Assert.Contains("Wait 2 min 0 s", ex.RecommendedAction);
        }

        [Fact]
        public void SecretsEchoedByTheServerAreRemoved()
        {
            ChatException ex = Classify(Cloudflare(), 401, "{\"errors\":[{\"code\":10000,\"message\":\"Token " + Secret + " is not valid (" + Secret + ")\"}]}");

            Assert.DoesNotContain(Secret, ex.Message);
            Assert.Contains("***", ex.Message);
        }

        [Fact]
        public void InnerExceptionHoldingASecretIsDropped()
        {
            var inner = new System.Net.Http.HttpRequestException("failed for " + Secret);
            ChatException ex = Cloudflare().ConnectionFailed(inner, "api.cloudflare.com", false, 1);

            Assert.Null(ex.InnerException);
            Assert.DoesNotContain(Secret, ex.Message);
            Assert.Equal(ErrorIds.ChatConnectionFailed, ex.ErrorId);
            Assert.Equal(ErrorKind.ConnectionError, ex.Kind);
        }

        [Fact]
        public void VeryLongServerMessagesAreCut()
        {
            ChatException ex = Classify(Cloudflare(), 400, "{\"errors\":[{\"code\":8007,\"message\":\"" + new string('y', 5000) + "\"}]}");

            Assert.True(ex.Message.Length <= 1203, ex.Message.Length.ToString());
            Assert.EndsWith("...", ex.Message);
        }

        [Theory]
        [InlineData(45, "45 s")]
        [InlineData(118.2, "119 s")]
        [InlineData(120, "2 min 0 s")]
        [InlineData(303, "5 min 3 s")]
        [InlineData(7800, "2 h 10 min")]
        public void WaitsAreReadable(double seconds, string expected)
        {
            Assert.Equal(expected, ChatErrorClassifier.FormatWait(TimeSpan.FromSeconds(seconds)));
        }
    }
}
