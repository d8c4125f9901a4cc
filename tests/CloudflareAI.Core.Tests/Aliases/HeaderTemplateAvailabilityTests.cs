using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace CloudflareAI.Tests.Aliases
{
    /// <summary>
    /// The one availability rule counts the variables an alias's default header templates name, for every alias: the
    /// REST gateway's cf-aig-gateway-id: ${CLOUDFLARE_GATEWAY_ID}, and a made-up alias that no code knows by name.
    /// </summary>
    public class HeaderTemplateAvailabilityTests
    {
        private const string Account = "CLOUDFLARE_ACCOUNT_ID=0123456789abcdef0123456789abcdef";
        private const string GatewayId = "CLOUDFLARE_GATEWAY_ID=gw-9";
        private const string ApiToken = "CLOUDFLARE_API_TOKEN=cf-test";
        private const string GatewayToken = "CLOUDFLARE_AI_GATEWAY_TOKEN=cf-aig-test";
        private const string Rest = "cloudflare-ai-gateway-rest";

        private static ProviderAliasDefinition Alias(string name)
        {
            Assert.True(AliasCatalog.TryGet(name, out var alias));
            return alias;
        }

        /// <summary>An alias the module has never heard of: a static URL, a token, and a header naming two variables.</summary>
        private static ProviderAliasDefinition Synthetic(string headerValue = "${TENANT_ID}-${REGION}") =>
            new ProviderAliasDefinition("synthetic", "https://llm.example.com/v1", "SYNTHETIC_API_KEY", false,
                "A test alias.", "https://llm.example.com/docs",
                headers: new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["X-Tenant"] = headerValue });

        public static TheoryData<string[], bool, string[], string[]> RestMatrix => new TheoryData<string[], bool, string[], string[]>
        {
            // environment, ready, missing, invalid
            { new string[0], false, new[] { "CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_API_TOKEN", "CLOUDFLARE_GATEWAY_ID" }, new string[0] },
            // Everything Workers AI needs is set: the gateway id, named only by the header, still keeps it unavailable.
            { new[] { ApiToken, Account }, false, new[] { "CLOUDFLARE_GATEWAY_ID" }, new string[0] },
            { new[] { ApiToken, Account, "CLOUDFLARE_GATEWAY_ID=" }, false, new[] { "CLOUDFLARE_GATEWAY_ID" }, new string[0] },
            { new[] { ApiToken, Account, GatewayId }, true, new string[0], new string[0] },
            // The compat gateway's own token is no token here: the REST API takes Authorization only.
            { new[] { GatewayToken, Account, GatewayId }, false, new[] { "CLOUDFLARE_API_TOKEN" }, new string[0] },
            { new[] { GatewayId }, false, new[] { "CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_API_TOKEN" }, new string[0] },
            // A header value may hold a '/', but not a line break that would start another header.
            { new[] { ApiToken, Account, "CLOUDFLARE_GATEWAY_ID=gw\r\nX-Injected: 1" }, false, new string[0], new[] { "CLOUDFLARE_GATEWAY_ID" } },
            { new[] { ApiToken, "CLOUDFLARE_ACCOUNT_ID=a/b", GatewayId }, false, new string[0], new[] { "CLOUDFLARE_ACCOUNT_ID" } },
        };

        [Theory]
        [MemberData(nameof(RestMatrix))]
        public void The_REST_gateway_needs_the_variable_its_header_names(string[] environment, bool ready, string[] missing, string[] invalid)
        {
            var env = TestEnvironment.Of(environment);
            var result = ProviderEnvironmentInspector.Inspect(Alias(Rest), env);

            Assert.Equal(new[] { "CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_API_TOKEN", "CLOUDFLARE_GATEWAY_ID" }, result.RequiredVariables);
            Assert.Equal(ready, result.IsReady);
            Assert.Equal(missing, result.MissingVariables);
            Assert.Equal(invalid, result.InvalidVariables);
            // Get-AIProviderAlias and auto-selection use the same rule.
            var described = ProviderEnvironmentInspector.GetAliasInfo(Alias(Rest), env);
            Assert.Equal(ready, described.IsAvailable);
            Assert.Equal(missing, described.MissingVariables);
            Assert.Equal(result.RequiredVariables, described.RequiredVariables);
        }

        [Fact]
        public void The_missing_gateway_id_gets_a_problem_with_its_fix()
        {
            var result = ProviderEnvironmentInspector.Inspect(Alias(Rest), TestEnvironment.Of(ApiToken, Account));
            var problem = Assert.Single(result.Problems);
            Assert.StartsWith("CLOUDFLARE_GATEWAY_ID is not set.", problem);
            Assert.Contains("$env:CLOUDFLARE_GATEWAY_ID = '...'", problem);
        }

        [Fact]
        public void The_missing_token_problem_names_the_AI_Gateway_permission_not_the_gateway_token()
        {
            var result = ProviderEnvironmentInspector.Inspect(Alias(Rest), TestEnvironment.Of(Account, GatewayId));
            var problem = Assert.Single(result.Problems);
            Assert.StartsWith("CLOUDFLARE_API_TOKEN is not set.", problem);
            Assert.Contains("AI Gateway Run", problem);
            Assert.DoesNotContain("CLOUDFLARE_AI_GATEWAY_TOKEN", problem);
        }

        [Theory]
        [InlineData("CLOUDFLARE_GATEWAY_ID=your-gateway-id", "looks like a placeholder")]
        [InlineData("CLOUDFLARE_GATEWAY_ID=prod/gw", "other than letters, digits")]
        public void The_gateway_id_warnings_apply_to_the_REST_gateway_too(string gateway, string warning)
        {
            var result = ProviderEnvironmentInspector.Inspect(Alias(Rest), TestEnvironment.Of(ApiToken, Account, gateway));
            Assert.True(result.IsReady);
            Assert.Contains(result.Problems, p => p.StartsWith("Warning: CLOUDFLARE_GATEWAY_ID", StringComparison.Ordinal) && p.Contains(warning));
        }

        [Fact]
        public void A_synthetic_alias_requires_the_variables_of_its_header_template()
        {
            var alias = Synthetic();

            var none = ProviderEnvironmentInspector.Inspect(alias, TestEnvironment.Of());
            Assert.Equal(new[] { "REGION", "SYNTHETIC_API_KEY", "TENANT_ID" }, none.RequiredVariables);
            Assert.Equal(new[] { "REGION", "SYNTHETIC_API_KEY", "TENANT_ID" }, none.MissingVariables);
            Assert.False(none.IsReady);
            Assert.Contains(none.Problems, p => p.StartsWith("TENANT_ID is not set.", StringComparison.Ordinal));
            Assert.Contains(none.Problems, p => p.StartsWith("REGION is not set.", StringComparison.Ordinal));

            var tokenOnly = ProviderEnvironmentInspector.Inspect(alias, TestEnvironment.Of("SYNTHETIC_API_KEY=k"));
            Assert.False(tokenOnly.IsReady);
            Assert.Equal(new[] { "REGION", "TENANT_ID" }, tokenOnly.MissingVariables);
            Assert.False(ProviderEnvironmentInspector.IsAvailable(alias, TestEnvironment.Of("SYNTHETIC_API_KEY=k", "TENANT_ID=t")));

            var all = ProviderEnvironmentInspector.Inspect(alias, TestEnvironment.Of("SYNTHETIC_API_KEY=k", "TENANT_ID=t", "REGION=eu"));
            Assert.True(all.IsReady);
            Assert.Empty(all.MissingVariables);
            Assert.Empty(all.Problems);
        }

        [Fact]
        public void A_synthetic_header_value_with_a_line_break_is_invalid()
        {
            var result = ProviderEnvironmentInspector.Inspect(Synthetic(), TestEnvironment.Of("SYNTHETIC_API_KEY=k", "TENANT_ID=t\nX: 1", "REGION=eu"));
            Assert.False(result.IsReady);
            Assert.Equal(new[] { "TENANT_ID" }, result.InvalidVariables);
            Assert.Contains(result.Problems, p => p.StartsWith("TENANT_ID ", StringComparison.Ordinal));
        }

        [Fact]
        public void A_synthetic_header_that_is_not_a_template_makes_the_alias_unavailable_with_a_problem()
        {
            var result = ProviderEnvironmentInspector.Inspect(Synthetic("${UNTERMINATED"), TestEnvironment.Of("SYNTHETIC_API_KEY=k"));
            Assert.False(result.IsReady);
            Assert.Contains(result.Problems, p => p.Contains("default header 'X-Tenant'"));
        }

        [Fact]
        public void A_literal_header_adds_no_requirement()
        {
            Assert.True(AliasCatalog.TryGet("github-copilot", out var copilot));
            Assert.Equal(new[] { "GITHUB_TOKEN" }, ProviderEnvironmentInspector.Inspect(copilot, TestEnvironment.Of()).RequiredVariables);
        }

        [Fact]
        public void The_resolver_sends_the_expanded_gateway_header_and_the_token_in_Authorization_only()
        {
            var r = EndpointResolver.Resolve(new EndpointOverrides { Provider = Rest }, TestEnvironment.Of(ApiToken, Account, GatewayId, GatewayToken));

            Assert.Equal("https://api.cloudflare.com/client/v4/accounts/0123456789abcdef0123456789abcdef/ai/v1/chat/completions", r.Endpoint.ChatCompletionsUrl.AbsoluteUri);
            Assert.Equal("@cf/meta/llama-3.3-70b-instruct-fp8-fast", r.Model);
            var headers = r.Endpoint.Headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase);
            Assert.Equal("Bearer cf-test", headers["Authorization"]);
            Assert.Equal("gw-9", headers["cf-aig-gateway-id"]);
            Assert.False(headers.ContainsKey("cf-aig-authorization"));
            Assert.True(r.Endpoint.CoalescesSystemMessages);
            Assert.True(r.Endpoint.IsCloudflare);
        }

        [Fact]
        public void The_resolver_names_the_missing_gateway_id_before_sending()
        {
            var e = Assert.Throws<CloudflareAIException>(() =>
                EndpointResolver.Resolve(new EndpointOverrides { Provider = Rest }, TestEnvironment.Of(ApiToken, Account)));
            Assert.Equal(ErrorIds.ProviderEnvironmentVariableMissing, e.ErrorId);
            Assert.Contains("CLOUDFLARE_GATEWAY_ID", e.Message);
            Assert.Contains("Test-AIProviderEnvironment cloudflare-ai-gateway-rest", e.RecommendedAction);
        }

        [Fact]
        public void Auto_selection_never_reaches_the_REST_gateway_before_Workers_AI()
        {
            // Whatever makes the REST gateway available makes Workers AI available too, and Workers AI comes first.
            var r = EndpointResolver.Resolve(new EndpointOverrides(), TestEnvironment.Of(ApiToken, Account, GatewayId));
            Assert.True(r.AutoSelected);
            Assert.Equal("cloudflare-workers-ai", r.Alias.Name);
        }
    }
}
