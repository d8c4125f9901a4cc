using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace CloudflareAI.Tests.Templates
{
    // Token and header values are visible ASCII: each class of stray character is named with its 1-based position, at
    // preflight (Test-AIProviderEnvironment, availability) and before sending (EndpointResolver), never echoing the value.
    public class VisibleAsciiRuleTests
    {
        private const string Account = "0123456789abcdef0123456789abcdef";
        private const string Secret = "Distinct-TOKEN-7e1f";

        public static TheoryData<string, string> BadCharacters => new TheoryData<string, string>
        {
            // character, words the reason must use
            { "\u200b", "zero-width space (U+200B)" },
            { "\u200d", "zero-width character (U+200D)" },
            { "\ufeff", "byte order mark" },
            { "\u00a0", "no-break space (U+00A0)" },
            { "\u202f", "no-break space (U+202F)" },
            { "\u201c", "curly quote (U+201C)" },
            { "\u2019", "curly quote (U+2019)" },
            { "\u2013", "typographic dash (U+2013)" },
            { "\u0007", "control character (U+0007)" },
            { "\u001b", "control character (U+001B)" },
            { "\u007f", "control character (U+007F)" },
            { "\u0085", "control character (U+0085)" },
            { "\u2003", "non-ASCII space (U+2003)" },
            { "\u00e9", "non-ASCII character (U+00E9)" },
            { "\u0436", "non-ASCII character (U+0436)" },
            { "\ud83d\ude00", "non-ASCII character (U+1F600)" },
            { "\n", "line break" },
            { "\r", "line break" },
        };

        [Theory]
        [MemberData(nameof(BadCharacters))]
        public void A_token_with_a_stray_character_is_refused_naming_the_character_and_its_position(string bad, string words)
        {
            string value = Secret.Substring(0, 5) + bad + Secret.Substring(5);
            string? reason = ValueRules.CheckToken(value);
            Assert.NotNull(reason);
            Assert.Contains(words, reason);
            Assert.Contains("at character 6", reason);
            Assert.DoesNotContain("Distinct", reason);
            Assert.DoesNotContain("TOKEN-7e1f", reason);
        }

        [Theory]
        [MemberData(nameof(BadCharacters))]
        public void A_header_value_with_a_stray_character_is_refused_too(string bad, string words)
        {
            string? reason = ValueRules.CheckHeaderValue("Bearer " + bad + Secret);
            Assert.NotNull(reason);
            Assert.Contains(words, reason);
            Assert.Contains("at character 8", reason);
            Assert.DoesNotContain("Distinct", reason);
        }

        [Theory]
        [InlineData(" " + Secret, "at character 1")]
        [InlineData(Secret + " ", "at character 20")]
        [InlineData("ab cd", "at character 3")]
        [InlineData("ab\tcd", "at character 3")]
        public void A_token_takes_no_space_or_tab_anywhere(string value, string where)
        {
            string? reason = ValueRules.CheckToken(value);
            Assert.NotNull(reason);
            Assert.Contains(where, reason);
        }

        [Theory]
        [InlineData("Bearer x.y.z")]
        [InlineData("a\tb")]
        [InlineData("!\"#$%&'()*+,-./0123456789:;<=>?@AZ[\\]^_`az{|}~")]
        public void A_header_value_may_hold_visible_ASCII_with_spaces_and_tabs_inside(string value)
        {
            Assert.Null(ValueRules.CheckHeaderValue(value));
        }

        [Fact]
        public void Every_visible_ASCII_character_is_a_valid_token_character_and_nothing_else_is()
        {
            for (int c = 0; c < 0x3000; c++)
            {
                bool visible = c >= 0x21 && c <= 0x7e;
                Assert.Equal(visible, ValueRules.CheckToken("ab" + (char)c) == null);
            }
        }

        [Fact]
        public void The_first_bad_character_is_the_one_named()
        {
            string? reason = ValueRules.CheckToken("abc\u00a0d\u200be");
            Assert.Contains("no-break space", reason);
            Assert.Contains("at character 4", reason);
        }

        [Theory]
        [InlineData("\u200b")]
        [InlineData("\u00a0")]
        [InlineData("\u201d")]
        public void A_path_segment_or_origin_with_a_stray_character_is_refused_with_its_position(string bad)
        {
            Assert.Contains("at character 4", ValueRules.CheckPathSegment("abc" + bad + "d"));
            Assert.Contains("at character 10", ValueRules.CheckOrigin("https://x" + bad + ".example", out _));
        }

        [Fact]
        public void A_token_with_a_zero_width_space_makes_the_alias_not_ready_and_names_the_variable_and_position()
        {
            var env = TestEnvironment.Of("CLOUDFLARE_ACCOUNT_ID=" + Account, "CLOUDFLARE_API_TOKEN=" + Secret + "\u200b");
            Assert.True(AliasCatalog.TryGet("cloudflare-workers-ai", out var alias));
            var result = ProviderEnvironmentInspector.Inspect(alias, env);

            Assert.False(result.IsReady);
            Assert.False(ProviderEnvironmentInspector.GetAliasInfo(alias, env).IsAvailable);
            Assert.Equal(new[] { "CLOUDFLARE_API_TOKEN" }, result.InvalidVariables);
            var problem = Assert.Single(result.Problems, p => p.StartsWith("CLOUDFLARE_API_TOKEN", System.StringComparison.Ordinal));
            Assert.Contains("zero-width space", problem);
            Assert.Contains("at character 20", problem);
            Assert.DoesNotContain("Distinct", string.Join(" ", result.Problems));
        }

        [Fact]
        public void The_resolver_refuses_such_a_token_before_sending_with_the_variable_named()
        {
            var env = TestEnvironment.Of("CLOUDFLARE_ACCOUNT_ID=" + Account, "CLOUDFLARE_API_TOKEN=" + "\u00a0" + Secret);
            var e = Assert.ThrowsAny<CloudflareAIException>(() => EndpointResolver.Resolve(new EndpointOverrides { Provider = "cloudflare-workers-ai" }, env));
            Assert.Equal(ErrorIds.ProviderEnvironmentVariableInvalid, e.ErrorId);
            Assert.Contains("CLOUDFLARE_API_TOKEN", e.Message);
            Assert.Contains("no-break space", e.Message);
            Assert.Contains("at character 1", e.Message);
            Assert.DoesNotContain("Distinct", e.Message + e.RecommendedAction);
        }

        [Fact]
        public void The_gateway_token_variable_is_checked_at_preflight_and_before_sending()
        {
            var env = TestEnvironment.Of("CLOUDFLARE_ACCOUNT_ID=" + Account, "CLOUDFLARE_GATEWAY_ID=gw", "CLOUDFLARE_AI_GATEWAY_TOKEN=" + Secret + "\u201d");
            Assert.True(AliasCatalog.TryGet("cloudflare-ai-gateway", out var alias));
            Assert.Contains("CLOUDFLARE_AI_GATEWAY_TOKEN", ProviderEnvironmentInspector.Inspect(alias, env).InvalidVariables);
            var e = Assert.ThrowsAny<CloudflareAIException>(() => EndpointResolver.Resolve(new EndpointOverrides { Provider = "cloudflare-ai-gateway", Model = "openai/gpt-4o-mini" }, env));
            Assert.Equal(ErrorIds.ProviderEnvironmentVariableInvalid, e.ErrorId);
            Assert.Contains("CLOUDFLARE_AI_GATEWAY_TOKEN", e.Message);
        }

        [Fact]
        public void A_header_literal_or_an_ApiKey_with_a_stray_character_is_ParameterInvalid_naming_the_header()
        {
            var env = TestEnvironment.Of("CLOUDFLARE_ACCOUNT_ID=" + Account, "CLOUDFLARE_API_TOKEN=tok-1");
            var header = Assert.ThrowsAny<CloudflareAIException>(() => EndpointResolver.Resolve(new EndpointOverrides
            {
                Provider = "cloudflare-workers-ai",
                Headers = new[] { new KeyValuePair<string, string>("X-Api-Token", "Bearer " + Secret + "\u200b") },
            }, env));
            Assert.Equal(ErrorIds.ParameterInvalid, header.ErrorId);
            Assert.Equal(ErrorKind.InvalidArgument, header.Kind);
            Assert.Contains("'X-Api-Token'", header.Message);
            Assert.Contains("at character 27", header.Message);
            Assert.DoesNotContain("Distinct", header.Message + header.RecommendedAction);

            var key = Assert.ThrowsAny<CloudflareAIException>(() => EndpointResolver.Resolve(new EndpointOverrides
            {
                Provider = "cloudflare-workers-ai",
                ApiKey = Secret + "\u2019",
            }, env));
            Assert.Equal(ErrorIds.ParameterInvalid, key.ErrorId);
            Assert.Contains("-ApiKey", key.Message);
            Assert.Contains("curly quote", key.Message);
            Assert.DoesNotContain("Distinct", key.Message + key.RecommendedAction);
        }

        [Fact]
        public void A_header_template_is_judged_by_its_expanded_value_a_variable_named_as_itself()
        {
            var env = TestEnvironment.Of("CLOUDFLARE_ACCOUNT_ID=" + Account, "CLOUDFLARE_API_TOKEN=tok-1", "MY_HEADER_TOKEN=" + Secret + "\u00a0");
            var e = Assert.ThrowsAny<CloudflareAIException>(() => EndpointResolver.Resolve(new EndpointOverrides
            {
                Provider = "cloudflare-workers-ai",
                Headers = new[] { new KeyValuePair<string, string>("X-Extra", "Bearer ${MY_HEADER_TOKEN}") },
            }, env));
            Assert.Equal(ErrorIds.ProviderEnvironmentVariableInvalid, e.ErrorId);
            Assert.Contains("MY_HEADER_TOKEN", e.Message);
            Assert.Contains("no-break space", e.Message);
            Assert.Contains("at character 20", e.Message);
            Assert.DoesNotContain("Distinct", e.Message);

            var fine = EndpointResolver.Resolve(new EndpointOverrides
            {
                Provider = "cloudflare-workers-ai",
                Headers = new[] { new KeyValuePair<string, string>("X-Extra", "Bearer ${MY_HEADER_TOKEN}") },
            }, TestEnvironment.Of("CLOUDFLARE_ACCOUNT_ID=" + Account, "CLOUDFLARE_API_TOKEN=tok-1", "MY_HEADER_TOKEN=" + Secret));
            Assert.Contains(fine.Endpoint.Headers, h => h.Key == "X-Extra" && h.Value == "Bearer " + Secret);
        }
    }
}
