using System.Linq;
using Xunit;

namespace CloudflareAI.Tests.Aliases
{
    /// <summary>The one availability rule, gateway authentication, preflight requirements and resolved base URLs.</summary>
    public class ProviderAvailabilityTests
    {
        private const string Account = "CLOUDFLARE_ACCOUNT_ID=0123456789abcdef0123456789abcdef";
        private const string GatewayId = "CLOUDFLARE_GATEWAY_ID=gw-9";
        private const string ApiToken = "CLOUDFLARE_API_TOKEN=cf-test";
        private const string GatewayToken = "CLOUDFLARE_AI_GATEWAY_TOKEN=cf-aig-test";

        private const string WorkersAi = "cloudflare-workers-ai";
        private const string Gateway = "cloudflare-ai-gateway";

        private static ProviderAliasDefinition Alias(string name)
        {
            Assert.True(AliasCatalog.TryGet(name, out var alias));
            return alias;
        }

        public static TheoryData<string, string[], bool, string[], string[]> Matrix => new TheoryData<string, string[], bool, string[], string[]>
        {
            // alias, environment, ready, missing, invalid
            // The token alone never makes a templated alias available.
            { WorkersAi, new[] { ApiToken }, false, new[] { "CLOUDFLARE_ACCOUNT_ID" }, new string[0] },
            { Gateway, new[] { ApiToken }, false, new[] { "CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_GATEWAY_ID" }, new string[0] },
            // + account → Workers AI yes, gateway no.
            { WorkersAi, new[] { ApiToken, "CLOUDFLARE_ACCOUNT_ID=acc-123" }, true, new string[0], new string[0] },
            { Gateway, new[] { ApiToken, "CLOUDFLARE_ACCOUNT_ID=acc-123" }, false, new[] { "CLOUDFLARE_GATEWAY_ID" }, new string[0] },
            // + gateway → both.
            { WorkersAi, new[] { ApiToken, "CLOUDFLARE_ACCOUNT_ID=acc-123", GatewayId }, true, new string[0], new string[0] },
            { Gateway, new[] { ApiToken, "CLOUDFLARE_ACCOUNT_ID=acc-123", GatewayId }, true, new string[0], new string[0] },
            // A set but empty account is missing.
            { WorkersAi, new[] { ApiToken, "CLOUDFLARE_ACCOUNT_ID=" }, false, new[] { "CLOUDFLARE_ACCOUNT_ID" }, new string[0] },
            { Gateway, new[] { ApiToken, "CLOUDFLARE_ACCOUNT_ID=", GatewayId }, false, new[] { "CLOUDFLARE_ACCOUNT_ID" }, new string[0] },
            { Gateway, new[] { ApiToken, "CLOUDFLARE_ACCOUNT_ID=", "CLOUDFLARE_GATEWAY_ID=" }, false, new[] { "CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_GATEWAY_ID" }, new string[0] },
            // Nothing set: every requirement, sorted.
            { WorkersAi, new string[0], false, new[] { "CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_API_TOKEN" }, new string[0] },
            { Gateway, new string[0], false, new[] { "CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_API_TOKEN", "CLOUDFLARE_GATEWAY_ID" }, new string[0] },
            // The account without a token.
            { WorkersAi, new[] { Account }, false, new[] { "CLOUDFLARE_API_TOKEN" }, new string[0] },
            { WorkersAi, new[] { Account, "CLOUDFLARE_API_TOKEN=" }, false, new[] { "CLOUDFLARE_API_TOKEN" }, new string[0] },
            // The gateway token is the gateway's, not Workers AI's.
            { WorkersAi, new[] { Account, GatewayToken }, false, new[] { "CLOUDFLARE_API_TOKEN" }, new string[0] },
            // Either token satisfies the gateway; CLOUDFLARE_API_TOKEN is missing only when neither is set.
            { Gateway, new[] { GatewayToken, Account, GatewayId }, true, new string[0], new string[0] },
            { Gateway, new[] { GatewayToken, "CLOUDFLARE_API_TOKEN=", Account, GatewayId }, true, new string[0], new string[0] },
            { Gateway, new[] { ApiToken, "CLOUDFLARE_AI_GATEWAY_TOKEN=", Account, GatewayId }, true, new string[0], new string[0] },
            { Gateway, new[] { ApiToken, GatewayToken, Account, GatewayId }, true, new string[0], new string[0] },
            { Gateway, new[] { Account, GatewayId }, false, new[] { "CLOUDFLARE_API_TOKEN" }, new string[0] },
            { Gateway, new[] { "CLOUDFLARE_API_TOKEN=", "CLOUDFLARE_AI_GATEWAY_TOKEN=", Account, GatewayId }, false, new[] { "CLOUDFLARE_API_TOKEN" }, new string[0] },
            { Gateway, new[] { GatewayToken }, false, new[] { "CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_GATEWAY_ID" }, new string[0] },
            // Invalid values: set, but unfit for where they go.
            { WorkersAi, new[] { ApiToken, "CLOUDFLARE_ACCOUNT_ID=a/b" }, false, new string[0], new[] { "CLOUDFLARE_ACCOUNT_ID" } },
            { WorkersAi, new[] { ApiToken, "CLOUDFLARE_ACCOUNT_ID=.." }, false, new string[0], new[] { "CLOUDFLARE_ACCOUNT_ID" } },
            { WorkersAi, new[] { ApiToken, "CLOUDFLARE_ACCOUNT_ID=0123456789abcdef0123456789abcdef\n" }, false, new string[0], new[] { "CLOUDFLARE_ACCOUNT_ID" } },
            { Gateway, new[] { ApiToken, Account, "CLOUDFLARE_GATEWAY_ID=gw/9" }, false, new string[0], new[] { "CLOUDFLARE_GATEWAY_ID" } },
            { Gateway, new[] { ApiToken, Account, "CLOUDFLARE_GATEWAY_ID=gw?x=1" }, false, new string[0], new[] { "CLOUDFLARE_GATEWAY_ID" } },
            { WorkersAi, new[] { "CLOUDFLARE_API_TOKEN=cf-test\n", Account }, false, new string[0], new[] { "CLOUDFLARE_API_TOKEN" } },
            { WorkersAi, new[] { "CLOUDFLARE_API_TOKEN=cf-test\r\n", Account }, false, new string[0], new[] { "CLOUDFLARE_API_TOKEN" } },
            { WorkersAi, new[] { "CLOUDFLARE_API_TOKEN= cf-test", Account }, false, new string[0], new[] { "CLOUDFLARE_API_TOKEN" } },
            { WorkersAi, new[] { "CLOUDFLARE_API_TOKEN=cf\u0000test", Account }, false, new string[0], new[] { "CLOUDFLARE_API_TOKEN" } },
            { Gateway, new[] { ApiToken, "CLOUDFLARE_AI_GATEWAY_TOKEN=cf-aig\r\nX: 1", Account, GatewayId }, false, new string[0], new[] { "CLOUDFLARE_AI_GATEWAY_TOKEN" } },
            // A set token must be fit for use even when the other token would do: the gateway sends CLOUDFLARE_API_TOKEN
            // as Workers AI's provider key, so a broken one is reported rather than ignored.
            { Gateway, new[] { "CLOUDFLARE_API_TOKEN=cf-test\n", GatewayToken, Account, GatewayId }, false, new string[0], new[] { "CLOUDFLARE_API_TOKEN" } },
            // Names are exact: a lower-case spelling is another variable (as on Linux and macOS).
            { WorkersAi, new[] { "cloudflare_api_token=cf-test", "cloudflare_account_id=acc-123" }, false, new[] { "CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_API_TOKEN" }, new string[0] },
            // Missing and invalid together, both sorted.
            { Gateway, new[] { "CLOUDFLARE_API_TOKEN=t\n", "CLOUDFLARE_ACCOUNT_ID=a/b" }, false, new[] { "CLOUDFLARE_GATEWAY_ID" }, new[] { "CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_API_TOKEN" } },
            // A static alias needs only its token.
            { "vercel", new[] { "AI_GATEWAY_API_KEY=vck-test" }, true, new string[0], new string[0] },
            { "vercel", new string[0], false, new[] { "AI_GATEWAY_API_KEY" }, new string[0] },
            { "vercel", new[] { "AI_GATEWAY_API_KEY=" }, false, new[] { "AI_GATEWAY_API_KEY" }, new string[0] },
            { "vercel", new[] { "AI_GATEWAY_API_KEY=vck-test\n" }, false, new string[0], new[] { "AI_GATEWAY_API_KEY" } },
            // A Cloudflare token makes no other alias available.
            { "openai", new[] { ApiToken, Account, GatewayId }, false, new[] { "OPENAI_API_KEY" }, new string[0] },
            // ollama needs nothing.
            { "ollama", new string[0], true, new string[0], new string[0] },
            { "ollama", new[] { ApiToken }, true, new string[0], new string[0] },
            // azure has no base URL of its own: never available, even with its key.
            { "azure", new string[0], false, new[] { "AZURE_API_KEY" }, new string[0] },
            { "azure", new[] { "AZURE_API_KEY=az-test" }, false, new string[0], new string[0] },
            { "azure", new[] { "AZURE_API_KEY=az-test", "AZURE_OPENAI_ENDPOINT=https://r.openai.azure.com" }, false, new string[0], new string[0] },
        };

        [Theory]
        [MemberData(nameof(Matrix))]
        public void Inspect_applies_the_availability_rule(string name, string[] environment, bool ready, string[] missing, string[] invalid)
        {
            var result = ProviderEnvironmentInspector.Inspect(Alias(name), TestEnvironment.Of(environment));

            Assert.Equal(name, result.Name);
            Assert.Equal(ready, result.IsReady);
            Assert.Equal(missing, result.MissingVariables);
            Assert.Equal(invalid, result.InvalidVariables);
            Assert.Equal(ready ? $"{name}: ready" : $"{name}: not ready", result.ToString());
        }

        [Theory]
        [MemberData(nameof(Matrix))]
        public void Describe_and_IsAvailable_use_the_same_rule(string name, string[] environment, bool ready, string[] missing, string[] invalid)
        {
            _ = invalid;
            var env = TestEnvironment.Of(environment);
            var alias = Alias(name);

            var described = ProviderEnvironmentInspector.GetAliasInfo(alias, env);
            Assert.Equal(ready, described.IsAvailable);
            Assert.Equal(missing, described.MissingVariables);
            Assert.Equal(ready, ProviderEnvironmentInspector.IsAvailable(alias, env));
        }

        [Theory]
        [MemberData(nameof(Matrix))]
        public void A_ready_result_has_no_missing_or_invalid_variables_and_a_base_url(string name, string[] environment, bool ready, string[] missing, string[] invalid)
        {
            _ = missing;
            _ = invalid;
            var result = ProviderEnvironmentInspector.Inspect(Alias(name), TestEnvironment.Of(environment));
            if (!ready) return;
            Assert.Empty(result.MissingVariables);
            Assert.Empty(result.InvalidVariables);
            Assert.NotNull(result.BaseUrl);
        }

        public static TheoryData<string, string[]> Required => new TheoryData<string, string[]>
        {
            // The preflight gathers the token and every template reference, sorted.
            { WorkersAi, new[] { "CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_API_TOKEN" } },
            { Gateway, new[] { "CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_API_TOKEN", "CLOUDFLARE_GATEWAY_ID" } },
            { "openai", new[] { "OPENAI_API_KEY" } },
            { "vercel", new[] { "AI_GATEWAY_API_KEY" } },
            { "huggingface", new[] { "HF_TOKEN" } },
            { "ovhcloud", new[] { "OVH_AI_ENDPOINTS_ACCESS_TOKEN" } },
            { "azure", new[] { "AZURE_API_KEY" } },
            { "ollama", new string[0] },
        };

        [Theory]
        [MemberData(nameof(Required))]
        public void RequiredVariables_are_sorted_and_do_not_depend_on_the_environment(string name, string[] required)
        {
            var alias = Alias(name);
            var everything = TestEnvironment.Of(ApiToken, GatewayToken, Account, GatewayId, "OPENAI_API_KEY=k", "AI_GATEWAY_API_KEY=k",
                "HF_TOKEN=k", "OVH_AI_ENDPOINTS_ACCESS_TOKEN=k", "AZURE_API_KEY=k");

            Assert.Equal(required, ProviderEnvironmentInspector.Inspect(alias, TestEnvironment.Of()).RequiredVariables);
            Assert.Equal(required, ProviderEnvironmentInspector.Inspect(alias, everything).RequiredVariables);
            Assert.Equal(required, ProviderEnvironmentInspector.GetAliasInfo(alias, everything).RequiredVariables);
        }

        [Theory]
        [InlineData(WorkersAi)]
        [InlineData(Gateway)]
        public void Preflight_with_an_empty_environment_lists_every_requirement_as_missing(string name)
        {
            // With nothing set, the missing list is the whole sorted requirement list.
            var result = ProviderEnvironmentInspector.Inspect(Alias(name), TestEnvironment.Of());

            Assert.Equal(result.RequiredVariables, result.MissingVariables);
            Assert.Contains("CLOUDFLARE_API_TOKEN", result.MissingVariables);
            Assert.Contains("CLOUDFLARE_ACCOUNT_ID", result.MissingVariables);
            Assert.Equal(name == Gateway, result.MissingVariables.Contains("CLOUDFLARE_GATEWAY_ID"));
        }

        [Theory]
        [MemberData(nameof(ExpectedAliases.StaticTokenAliases), MemberType = typeof(ExpectedAliases))]
        public void A_static_alias_is_available_with_its_token_alone(string name, string tokenVariable)
        {
            var alias = Alias(name);

            var with = ProviderEnvironmentInspector.Inspect(alias, TestEnvironment.Of(tokenVariable + "=test-key"));
            Assert.True(with.IsReady);
            Assert.Equal(new[] { tokenVariable }, with.RequiredVariables);
            Assert.Equal(ExpectedAliases.Get(name).BaseUrlTemplate, with.BaseUrl);
            Assert.Empty(with.Problems);

            var without = ProviderEnvironmentInspector.Inspect(alias, TestEnvironment.Of());
            Assert.False(without.IsReady);
            Assert.Equal(new[] { tokenVariable }, without.MissingVariables);
        }

        public static TheoryData<string, string[], string?> BaseUrls => new TheoryData<string, string[], string?>
        {
            // The resolved base URL.
            { WorkersAi, new[] { "CLOUDFLARE_ACCOUNT_ID=acc-123" }, "https://api.cloudflare.com/client/v4/accounts/acc-123/ai/v1" },
            { Gateway, new[] { "CLOUDFLARE_ACCOUNT_ID=acc-123", GatewayId }, "https://gateway.ai.cloudflare.com/v1/acc-123/gw-9/compat" },
            { WorkersAi, new[] { ApiToken, Account }, "https://api.cloudflare.com/client/v4/accounts/0123456789abcdef0123456789abcdef/ai/v1" },
            { WorkersAi, new string[0], null },
            { Gateway, new[] { "CLOUDFLARE_ACCOUNT_ID=acc-123" }, null },
            { WorkersAi, new[] { ApiToken, "CLOUDFLARE_ACCOUNT_ID=a/b" }, null },
            { "openai", new string[0], "https://api.openai.com/v1" },
            { "ollama", new string[0], "http://localhost:11434/v1" },
            { "azure", new[] { "AZURE_API_KEY=az-test" }, null },
        };

        [Theory]
        [MemberData(nameof(BaseUrls))]
        public void BaseUrl_is_resolved_or_null(string name, string[] environment, string? baseUrl)
        {
            Assert.Equal(baseUrl, ProviderEnvironmentInspector.Inspect(Alias(name), TestEnvironment.Of(environment)).BaseUrl);
        }

        [Theory]
        [MemberData(nameof(ExpectedAliases.Names), MemberType = typeof(ExpectedAliases))]
        public void Describe_copies_the_definition(string name)
        {
            var alias = Alias(name);
            var expected = ExpectedAliases.Get(name);

            var described = ProviderEnvironmentInspector.GetAliasInfo(alias, TestEnvironment.Of());
            Assert.Equal(expected.Name, described.Name);
            Assert.Equal(expected.BaseUrlTemplate, described.BaseUrlTemplate);
            Assert.Equal(expected.TokenVariable, described.TokenVariable);
            Assert.Equal(expected.Coalesces, described.CoalescesSystemMessages);
            Assert.Equal(alias.DefaultModel, described.DefaultModel);
            Assert.Equal(alias.Description, described.Description);
            Assert.Equal(alias.DocumentationUrl, described.DocumentationUrl);
            Assert.Equal(name, described.ToString());
            // With nothing set only ollama is available.
            Assert.Equal(name == "ollama", described.IsAvailable);
        }
    }
}
