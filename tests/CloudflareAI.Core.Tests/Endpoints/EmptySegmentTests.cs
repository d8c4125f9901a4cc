using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace CloudflareAI.Tests.Endpoints
{
    // A base URL with '//' in its path is what a double-quoted template leaves: refused before sending, with the trap named.
    public class EmptySegmentTests
    {
        private const string Account = "0123456789abcdef0123456789abcdef";

        private static readonly DictionaryEnvironmentReader Cloudflare = TestEnvironment.With(("CLOUDFLARE_API_TOKEN", "tok-cf-1"), ("CLOUDFLARE_ACCOUNT_ID", Account));

        [Fact]
        public void A_double_quoted_Workers_AI_template_is_UrlTemplateInvalid_with_the_single_quoted_template()
        {
            var e = Assert.ThrowsAny<CloudflareAIException>(() => EndpointResolver.Resolve(new EndpointOverrides
            {
                Provider = "cloudflare-workers-ai",
                BaseUrl = "https://api.cloudflare.com/client/v4/accounts//ai/v1",
            }, Cloudflare));
            Assert.Equal(ErrorIds.UrlTemplateInvalid, e.ErrorId);
            Assert.Contains("empty path segment", e.Message);
            Assert.Contains("double quotes", e.Message);
            Assert.Contains("'//' at character 46", e.Message);
            Assert.Contains("-BaseUrl 'https://api.cloudflare.com/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1'", e.RecommendedAction);
            Assert.DoesNotContain("7003", e.Message + e.RecommendedAction);
        }

        [Fact]
        public void Another_origin_in_front_of_the_aliases_path_gets_the_aliases_path_in_the_suggestion()
        {
            var e = Assert.ThrowsAny<CloudflareAIException>(() => EndpointResolver.Resolve(new EndpointOverrides
            {
                Provider = "cloudflare-ai-gateway",
                BaseUrl = "http://127.0.0.1:8080/v1///compat",
            }, TestEnvironment.With(("CLOUDFLARE_API_TOKEN", "tok-cf-1"), ("CLOUDFLARE_ACCOUNT_ID", Account), ("CLOUDFLARE_GATEWAY_ID", "gw"))));
            Assert.Equal(ErrorIds.UrlTemplateInvalid, e.ErrorId);
            Assert.Contains("'http://127.0.0.1:8080/v1/${CLOUDFLARE_ACCOUNT_ID}/${CLOUDFLARE_GATEWAY_ID}/compat'", e.RecommendedAction);
        }

        [Fact]
        public void Without_a_known_path_the_suggestion_puts_a_placeholder_in_the_gap()
        {
            var e = Assert.ThrowsAny<CloudflareAIException>(() => EndpointResolver.Resolve(new EndpointOverrides
            {
                Provider = "openai",
                Model = "m",
                BaseUrl = "https://example.com/tenants//v1",
                ApiKey = "key-1",
            }, TestEnvironment.With()));
            Assert.Equal(ErrorIds.UrlTemplateInvalid, e.ErrorId);
            Assert.Contains("-BaseUrl 'https://example.com/tenants/${NAME}/v1'", e.RecommendedAction);
        }

        [Fact]
        public void The_message_never_shows_a_secret_that_is_part_of_the_URL()
        {
            var e = Assert.ThrowsAny<CloudflareAIException>(() => EndpointResolver.Resolve(new EndpointOverrides
            {
                Provider = "openai",
                Model = "m",
                BaseUrl = "https://example.com/Distinct-KEY-4d2a//v1",
                ApiKey = "Distinct-KEY-4d2a",
            }, TestEnvironment.With()));
            Assert.Equal(ErrorIds.UrlTemplateInvalid, e.ErrorId);
            Assert.DoesNotContain("Distinct-KEY", e.Message + e.RecommendedAction + e.Target);
        }

        [Theory]
        [InlineData("https://api.example.com/v1")]
        [InlineData("https://api.example.com/v1/")]
        [InlineData("https://api.example.com")]
        [InlineData("http://127.0.0.1:8080/a/b/c")]
        public void A_URL_without_an_empty_segment_passes(string url)
        {
            var r = EndpointResolver.Resolve(new EndpointOverrides { Provider = "openai", Model = "m", BaseUrl = url, ApiKey = "key-1" }, TestEnvironment.With());
            Assert.StartsWith(url.TrimEnd('/'), r.Endpoint.ChatCompletionsUrl.AbsoluteUri);
        }

        [Theory]
        [InlineData("https://h/a//b", 11)]
        [InlineData("https://h//b", 9)]
        [InlineData("https://h/a/b", -1)]
        [InlineData("https://h/a?x=//", -1)]
        [InlineData("https://h", -1)]
        public void The_empty_segment_is_found_in_the_path_only(string url, int index)
        {
            Assert.Equal(index, EmptySegmentRule.EmptySegmentIndex(url));
        }
    }
}
