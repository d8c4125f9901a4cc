using System.Linq;
using Xunit;

namespace CloudflareAI.Tests.Chat.Errors
{
    public class ApiErrorBodyTests
    {
        [Fact]
        public void OpenAiShape()
        {
            ApiErrorBody body = ApiErrorBody.Parse("{\"error\":{\"message\":\"Incorrect API key provided.\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");

            ApiError error = Assert.Single(body.Errors);
            Assert.Equal("invalid_api_key", error.Code);
            Assert.Equal("Incorrect API key provided.", error.Message);
            Assert.True(body.IsJson);
        }

        [Fact]
        public void OpenAiShapeWithAiErrorPrefix()
        {
            ApiErrorBody body = ApiErrorBody.Parse("{\"error\":{\"code\":\"invalid_prompt\",\"message\":\"AiError: Bad input\"}}");

            Assert.Equal("Bad input (code invalid_prompt)", body.Describe());
        }

        [Fact]
        public void CloudflareEnvelopeWithErrorsArray()
        {
            ApiErrorBody body = ApiErrorBody.Parse("{\"result\":null,\"success\":false,\"errors\":[{\"code\":10000,\"message\":\"Authentication error\"}],\"messages\":[]}");

            Assert.Equal("Authentication error (code 10000)", body.Describe());
            Assert.Equal("10000", body.FirstCode);
        }

        [Fact]
        public void CloudflareEnvelopeWithErrorsAsOneObject()
        {
            ApiErrorBody body = ApiErrorBody.Parse("{\"errors\":{\"message\":\"AiError: Bad input: Error: oneOf at '/' not met\",\"code\":5006},\"success\":false,\"result\":{},\"messages\":[]}");

            ApiError error = Assert.Single(body.Errors);
            Assert.Equal("5006", error.Code);
            Assert.Equal("Bad input: Error: oneOf at '/' not met", error.Message);
        }

        [Fact]
        public void GatewayErrorSingularAsArray()
        {
            ApiErrorBody body = ApiErrorBody.Parse("{\"success\":false,\"result\":[],\"messages\":[],\"error\":[{\"code\":2001,\"message\":\"Please configure AI Gateway in the Cloudflare dashboard\"}]}");

            Assert.Equal("2001", Assert.Single(body.Errors).Code);
        }

        [Fact]
        public void GatewayErrorSingularAsObjectAndTopLevelCode()
        {
            Assert.Equal("2009", Assert.Single(ApiErrorBody.Parse("{\"error\":{\"code\":2009,\"message\":\"Unauthorized\"}}").Errors).Code);
            Assert.Equal("Unauthorized (code 2009)", ApiErrorBody.Parse("{\"code\":2009,\"message\":\"Unauthorized\"}").Describe());
        }

        [Fact]
        public void CodesAsStringsOrNumbers()
        {
            ApiErrorBody body = ApiErrorBody.Parse("{\"errors\":[{\"code\":\"7003\",\"message\":\"a\"},{\"code\":7000,\"message\":\"b\"}]}");

            Assert.Equal(new[] { "7003", "7000" }, body.Errors.Select(e => e.Code));
            Assert.True(body.HasCode("7000"));
        }

        [Fact]
        public void EveryPairIsCollected()
        {
            ApiErrorBody body = ApiErrorBody.Parse(
                "{\"success\":false,\"errors\":[{\"code\":7003,\"message\":\"Could not route to /client/v4/accounts/xxx/ai/v1/chat/completions, perhaps your object identifier is invalid?\"},{\"code\":7000,\"message\":\"No route for that URI\"}],\"messages\":[],\"result\":null}");

            Assert.Equal(
                "Could not route to /client/v4/accounts/xxx/ai/v1/chat/completions, perhaps your object identifier is invalid? (code 7003); No route for that URI (code 7000)",
                body.Describe());
        }

        [Fact]
        public void DoubleAiErrorPrefixAndTrailingRequestIdAreStripped()
        {
            ApiErrorBody body = ApiErrorBody.Parse("{\"errors\":[{\"message\":\"AiError: AiError: rate limiting: inference request per min rate reached (8700d6e7)\",\"code\":3021}],\"success\":false,\"result\":{},\"messages\":[]}");

            Assert.Equal("rate limiting: inference request per min rate reached", Assert.Single(body.Errors).Message);
            Assert.Equal("8700d6e7", body.RequestId);
        }

        [Fact]
        public void TrailingUuidBecomesTheRequestId()
        {
            ApiErrorBody body = ApiErrorBody.Parse("{\"errors\":[{\"message\":\"AiError: AiError: Max context reached 135630 tokens but model supports only 60000 (0a1b2c3d-4e5f-6789-abcd-ef0123456789)\",\"code\":3030}]}");

            Assert.Equal("Max context reached 135630 tokens but model supports only 60000", body.Errors[0].Message);
            Assert.Equal("0a1b2c3d-4e5f-6789-abcd-ef0123456789", body.RequestId);
        }

        [Fact]
        public void AParenthesisThatIsNotAnIdStays()
        {
            ApiErrorBody body = ApiErrorBody.Parse("{\"error\":{\"message\":\"Bad value (see docs)\"}}");

            Assert.Equal("Bad value (see docs)", body.Errors[0].Message);
            Assert.Null(body.RequestId);
        }

        [Fact]
        public void CodeInsideTheMessageIsTakenWhenNoneIsGiven()
        {
            ApiErrorBody body = ApiErrorBody.Parse("{\"errors\":[{\"message\":\"3040: Capacity temporarily exceeded, please try again.\"}]}");

            Assert.Equal("3040", body.Errors[0].Code);
            Assert.Equal("Capacity temporarily exceeded, please try again.", body.Errors[0].Message);
        }

        [Fact]
        public void ErrorAsAPlainString()
        {
            ApiErrorBody body = ApiErrorBody.Parse("{\"error\":\"Unauthorized\",\"code\":401}");

            Assert.Equal("Unauthorized (code 401)", body.Describe());
        }

        [Fact]
        public void FastApiDetail()
        {
            Assert.Equal("Not Found", ApiErrorBody.Parse("{\"detail\":\"Not Found\"}").Describe());
        }

        [Fact]
        public void HtmlFromAProxyIsReducedToItsText()
        {
            string html = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title><style>body { color: red; }</style>"
                + "<script>var x = '<b>';</script></head>\n<body>\n  <h1>502   Bad Gateway</h1>\n<!-- a comment -->\n<p>cloudflare &amp; friends</p></body></html>";

            ApiErrorBody body = ApiErrorBody.Parse(html);

            Assert.False(body.IsJson);
            Assert.Empty(body.Errors);
            Assert.Equal("502 Bad Gateway 502 Bad Gateway cloudflare & friends", body.Text);
        }

        [Fact]
        public void LongTextIsCutTo200Characters()
        {
            ApiErrorBody body = ApiErrorBody.Parse("<html><body>" + new string('x', 500) + "</body></html>");

            Assert.Equal(new string('x', 200) + "...", body.Text);
        }

        [Fact]
        public void PlainTextAndBrokenJsonAreReportedAsText()
        {
            Assert.Equal("upstream connect error", ApiErrorBody.Parse("upstream connect error\n").Describe());
            Assert.Equal("{\"error\": {\"mess", ApiErrorBody.Parse("{\"error\": {\"mess").Describe());
        }

        [Fact]
        public void EmptyBodyDescribesAsEmpty()
        {
            Assert.Equal("", ApiErrorBody.Parse("").Describe());
            Assert.Equal("", ApiErrorBody.Parse(null).Describe());
        }

        [Fact]
        public void JsonWithoutAnyMessageFallsBackToItsText()
        {
            ApiErrorBody body = ApiErrorBody.Parse("{\"success\":false,\"errors\":[]}");

            Assert.Empty(body.Errors);
            Assert.Equal("{\"success\":false,\"errors\":[]}", body.Describe());
        }

        [Fact]
        public void QuotaTextIsFoundInMessages()
        {
            ApiErrorBody body = ApiErrorBody.Parse("{\"errors\":[{\"message\":\"AiError: AiError: you have used up your daily free allocation of 10,000 neurons, please upgrade (abcdef12)\"}]}");

            Assert.True(body.MentionsText("daily free allocation"));
        }
    }
}
