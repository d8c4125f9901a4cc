using System.Linq;
using Xunit;

namespace CloudflareAI.Tests.Aliases
{
    /// <summary>The alias table, gateway authentication as data, and the auto-selection order
    /// (docs/providers/overview.md).</summary>
    public class AliasCatalogTests
    {
        [Fact]
        public void The_catalog_holds_exactly_the_expected_aliases_in_their_order()
        {
            Assert.NotEmpty(ExpectedAliases.Table);
            Assert.Equal(ExpectedAliases.Table.Select(r => r.Name), AliasCatalog.All.Select(d => d.Name));
        }

        [Theory]
        [MemberData(nameof(ExpectedAliases.Names), MemberType = typeof(ExpectedAliases))]
        public void Each_alias_has_the_spec_base_url_token_and_coalescing(string name)
        {
            var expected = ExpectedAliases.Get(name);

            Assert.True(AliasCatalog.TryGet(name, out var alias));
            Assert.Equal(expected.Name, alias.Name);
            Assert.Equal(expected.BaseUrlTemplate, alias.BaseUrlTemplate);
            Assert.Equal(expected.TokenVariable, alias.TokenVariable);
            Assert.Equal(expected.Coalesces, alias.CoalescesSystemMessages);
            Assert.Equal(expected.DefaultModel, alias.DefaultModel);
            Assert.Equal(expected.Headers.OrderBy(h => h.Key), alias.Headers.OrderBy(h => h.Key));
            Assert.Equal(expected.TokenHeader == "api-key" ? TokenStyle.ApiKeyHeader : TokenStyle.Bearer, alias.TokenStyle);
            Assert.Equal(name, alias.ToString());
        }

        [Theory]
        [MemberData(nameof(ExpectedAliases.Names), MemberType = typeof(ExpectedAliases))]
        public void Each_alias_is_documented_and_lower_case(string name)
        {
            Assert.True(AliasCatalog.TryGet(name, out var alias));
            Assert.Equal(name.ToLowerInvariant(), alias.Name);
            Assert.False(string.IsNullOrWhiteSpace(alias.Description));
            Assert.StartsWith("https://", alias.DocumentationUrl);
        }

        [Theory]
        [InlineData("cloudflare-workers-ai", "@cf/meta/llama-3.3-70b-instruct-fp8-fast")]
        [InlineData("cloudflare-ai-gateway", "workers-ai/@cf/meta/llama-3.3-70b-instruct-fp8-fast")]
        [InlineData("cloudflare-ai-gateway-rest", "@cf/meta/llama-3.3-70b-instruct-fp8-fast")]
        [InlineData("openai", null)]
        [InlineData("azure", null)]
        [InlineData("ollama", null)]
        [InlineData("vercel", null)]
        [InlineData("github-copilot", null)]
        [InlineData("nvidia", null)]
        public void Only_the_Cloudflare_aliases_have_a_default_model(string name, string? model)
        {
            Assert.True(AliasCatalog.TryGet(name, out var alias));
            Assert.Equal(model, alias.DefaultModel);
        }

        [Fact]
        public void No_other_alias_has_a_default_model()
        {
            var withDefault = AliasCatalog.All.Where(a => a.DefaultModel != null).Select(a => a.Name);
            Assert.Equal(new[] { "cloudflare-workers-ai", "cloudflare-ai-gateway", "cloudflare-ai-gateway-rest" }, withDefault);
        }

        [Theory]
        [MemberData(nameof(ExpectedAliases.Names), MemberType = typeof(ExpectedAliases))]
        public void Only_azure_sends_its_key_as_api_key(string name)
        {
            Assert.True(AliasCatalog.TryGet(name, out var alias));
            Assert.Equal(name == "azure" ? TokenStyle.ApiKeyHeader : TokenStyle.Bearer, alias.TokenStyle);
        }

        [Fact]
        public void Azure_has_no_base_url_and_ollama_no_token()
        {
            Assert.True(AliasCatalog.TryGet("azure", out var azure));
            Assert.Null(azure.BaseUrlTemplate);
            Assert.Equal("AZURE_API_KEY", azure.TokenVariable);
            Assert.Equal(TokenStyle.ApiKeyHeader, azure.TokenStyle);

            Assert.True(AliasCatalog.TryGet("ollama", out var ollama));
            Assert.Null(ollama.TokenVariable);
            Assert.Equal("http://localhost:11434/v1", ollama.BaseUrlTemplate);
        }

        [Fact]
        public void Github_copilot_sends_its_integration_header()
        {
            Assert.True(AliasCatalog.TryGet("github-copilot", out var copilot));
            var header = Assert.Single(copilot.Headers);
            Assert.Equal("Copilot-Integration-Id", header.Key);
            Assert.Equal("copilot-developer-cli", header.Value);
            Assert.Equal("copilot-developer-cli", copilot.Headers["copilot-integration-id"]);
            // Header values are templates: this one must parse and name nothing.
            Assert.Empty(Template.Parse(header.Value).References);
        }

        [Theory]
        [MemberData(nameof(ExpectedAliases.Names), MemberType = typeof(ExpectedAliases))]
        public void No_other_alias_has_default_headers(string name)
        {
            Assert.True(AliasCatalog.TryGet(name, out var alias));
            if (name != "github-copilot" && name != "cloudflare-ai-gateway-rest") Assert.Empty(alias.Headers);
        }

        [Fact]
        public void The_REST_gateway_names_its_gateway_in_a_header_template_and_has_no_gateway_token_header()
        {
            Assert.True(AliasCatalog.TryGet("cloudflare-ai-gateway-rest", out var rest));
            var header = Assert.Single(rest.Headers);
            Assert.Equal("cf-aig-gateway-id", header.Key);
            Assert.Equal("${CLOUDFLARE_GATEWAY_ID}", header.Value);
            Assert.Equal(new[] { "CLOUDFLARE_GATEWAY_ID" }, Template.Parse(header.Value).References);
            // Authorization carries the token: none of the compat gateway's cf-aig-authorization rules.
            Assert.Null(rest.Gateway);
            Assert.True(rest.IsGateway);
            Assert.True(rest.IsCloudflare);
            Assert.Equal(TokenStyle.Bearer, rest.TokenStyle);
        }

        [Theory]
        [MemberData(nameof(ExpectedAliases.Names), MemberType = typeof(ExpectedAliases))]
        public void Only_the_two_gateway_aliases_take_the_gateway_controls(string name)
        {
            Assert.True(AliasCatalog.TryGet(name, out var alias));
            Assert.Equal(name == "cloudflare-ai-gateway" || name == "cloudflare-ai-gateway-rest", alias.IsGateway);
        }

        [Fact]
        public void The_REST_gateway_comes_right_after_the_compat_gateway_in_auto_selection()
        {
            var order = AliasCatalog.AutoSelectionOrder.ToList();
            Assert.Equal(order.IndexOf("cloudflare-ai-gateway") + 1, order.IndexOf("cloudflare-ai-gateway-rest"));
        }

        [Fact]
        public void The_gateway_authenticates_with_cf_aig_authorization()
        {
            Assert.True(AliasCatalog.TryGet("cloudflare-ai-gateway", out var gateway));
            var auth = Assert.IsType<GatewayAuthentication>(gateway.Gateway);
            Assert.Equal("cf-aig-authorization", auth.Header);
            Assert.Equal(new[] { "CLOUDFLARE_AI_GATEWAY_TOKEN", "CLOUDFLARE_API_TOKEN" }, auth.GatewayTokenVariables);
            Assert.Equal(new[] { "workers-ai/" }, auth.ProviderKeyModelPrefixes);
        }

        [Theory]
        [InlineData("workers-ai/@cf/meta/llama-3.3-70b-instruct-fp8-fast", true)]
        [InlineData("workers-ai/@cf/qwen/qwen2.5-coder-32b-instruct", true)]
        [InlineData("openai/gpt-5", false)]
        [InlineData("anthropic/claude-sonnet-4", false)]
        [InlineData("@cf/meta/llama-3.3-70b-instruct-fp8-fast", false)]
        [InlineData("my-workers-ai/x", false)]
        [InlineData("workers-ai", false)]
        public void The_gateway_uses_the_token_as_provider_key_only_for_workers_ai_models(string model, bool expected)
        {
            Assert.True(AliasCatalog.TryGet("cloudflare-ai-gateway", out var gateway));
            Assert.Equal(expected, gateway.Gateway!.ModelUsesTokenAsProviderKey(model));
        }

        [Theory]
        [MemberData(nameof(ExpectedAliases.Names), MemberType = typeof(ExpectedAliases))]
        public void Only_the_gateway_has_gateway_authentication_and_only_Cloudflare_is_Cloudflare(string name)
        {
            Assert.True(AliasCatalog.TryGet(name, out var alias));
            Assert.Equal(name == "cloudflare-ai-gateway", alias.Gateway != null);
            Assert.Equal(name.StartsWith("cloudflare-", System.StringComparison.Ordinal), alias.IsCloudflare);
        }

        [Theory]
        [InlineData("cloudflare-workers-ai", new[] { "CLOUDFLARE_API_TOKEN" })]
        [InlineData("cloudflare-ai-gateway", new[] { "CLOUDFLARE_API_TOKEN", "CLOUDFLARE_AI_GATEWAY_TOKEN" })]
        [InlineData("cloudflare-ai-gateway-rest", new[] { "CLOUDFLARE_API_TOKEN" })]
        [InlineData("vercel", new[] { "AI_GATEWAY_API_KEY" })]
        [InlineData("ollama", new string[0])]
        [InlineData("azure", new[] { "AZURE_API_KEY" })]
        public void The_token_group_is_the_token_plus_the_gateway_tokens(string name, string[] group)
        {
            Assert.True(AliasCatalog.TryGet(name, out var alias));
            Assert.Equal(group, AliasCredentials.TokenGroup(alias));
        }

        [Theory]
        [InlineData("cloudflare-workers-ai", new[] { "CLOUDFLARE_ACCOUNT_ID" })]
        [InlineData("cloudflare-ai-gateway", new[] { "CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_GATEWAY_ID" })]
        [InlineData("cloudflare-ai-gateway-rest", new[] { "CLOUDFLARE_ACCOUNT_ID" })]
        public void The_Cloudflare_templates_reference_their_ids(string name, string[] references)
        {
            Assert.True(AliasCatalog.TryGet(name, out var alias));
            var template = Template.Parse(alias.BaseUrlTemplate!);
            Assert.Equal(references, template.References);
            Assert.Null(template.OriginVariable);
        }

        [Theory]
        [MemberData(nameof(ExpectedAliases.Names), MemberType = typeof(ExpectedAliases))]
        public void Every_other_template_is_static(string name)
        {
            Assert.True(AliasCatalog.TryGet(name, out var alias));
            if (alias.BaseUrlTemplate == null || alias.IsCloudflare) return;
            var expansion = Template.Parse(alias.BaseUrlTemplate).Expand(TestEnvironmentOfNothing, ExpansionTarget.Url);
            Assert.Equal(ExpectedAliases.Get(name).BaseUrlTemplate, expansion.Value);
        }

        private static readonly CloudflareAI.Environment.IEnvironmentReader TestEnvironmentOfNothing =
            new CloudflareAI.Environment.DictionaryEnvironmentReader();

        [Fact]
        public void The_auto_selection_order_is_the_spec_order()
        {
            Assert.Equal(ExpectedAliases.AutoSelectionOrder, AliasCatalog.AutoSelectionOrder);
        }

        [Theory]
        [InlineData("azure")]
        [InlineData("ollama")]
        [InlineData("requesty")]
        [InlineData("atlascloud")]
        [InlineData("minimax")]
        [InlineData("github-copilot")]
        [InlineData("opencode-go")]
        [InlineData("opencode-zen")]
        public void Aliases_outside_the_auto_selection_order(string name)
        {
            Assert.DoesNotContain(name, AliasCatalog.AutoSelectionOrder);
        }

        [Theory]
        [InlineData("cloudflare-workers-ai", "cloudflare-workers-ai")]
        [InlineData("CLOUDFLARE-WORKERS-AI", "cloudflare-workers-ai")]
        [InlineData("Cloudflare-AI-Gateway", "cloudflare-ai-gateway")]
        [InlineData("OpenAI", "openai")]
        // Upstream's LookupAlias("MISTRAL") is not found (case-sensitive); PowerShell users expect case not to matter.
        [InlineData("MISTRAL", "mistral")]
        [InlineData("GitHub-Copilot", "github-copilot")]
        [InlineData("HuggingFace", "huggingface")]
        public void TryGet_ignores_letter_case(string query, string name)
        {
            Assert.True(AliasCatalog.TryGet(query, out var alias));
            Assert.Equal(name, alias.Name);
        }

        [Theory]
        [InlineData("does-not-exist")]
        [InlineData("")]
        [InlineData("cloudflare")]
        [InlineData("workers-ai")]
        [InlineData("cloudflare-worker-ai")]
        [InlineData(" openai")]
        [InlineData("openai ")]
        [InlineData("open-ai")]
        [InlineData("anthropic")]
        [InlineData("dmr")]
        [InlineData("chatgpt")]
        [InlineData("cloudflare-*")]
        public void Unknown_names_are_not_found(string query)
        {
            Assert.False(AliasCatalog.TryGet(query, out _));
        }

        [Fact]
        public void A_null_name_is_not_found()
        {
            Assert.False(AliasCatalog.TryGet(null!, out _));
        }

        [Theory]
        [InlineData("cloudflare-worker-ai", "cloudflare-workers-ai")]
        [InlineData("cloudflare-workersai", "cloudflare-workers-ai")]
        [InlineData("Cloudflare-Workers-AI-", "cloudflare-workers-ai")]
        [InlineData("cloudflare-ai-gatway", "cloudflare-ai-gateway")]
        [InlineData("cloudflare", "cloudflare-workers-ai")]
        [InlineData("cloudflare", "cloudflare-ai-gateway")]
        [InlineData("opnai", "openai")]
        [InlineData("groqq", "groq")]
        [InlineData("hugingface", "huggingface")]
        [InlineData("open-router", "openrouter")]
        public void Suggest_offers_the_intended_alias(string typo, string expected)
        {
            Assert.Contains(expected, AliasCatalog.Suggest(typo));
        }

        [Fact]
        public void Suggest_puts_the_closest_first_and_respects_the_limit()
        {
            Assert.Equal("cloudflare-workers-ai", AliasCatalog.Suggest("cloudflare-worker-ai").First());
            Assert.Single(AliasCatalog.Suggest("cloudflare", 1));
            Assert.True(AliasCatalog.Suggest("o").Count <= 3);
        }

        [Theory]
        [InlineData("zzzzzzzzzzzzzzzz")]
        [InlineData("qqqqqqqqqq")]
        public void Suggest_offers_nothing_for_a_name_far_from_every_alias(string name)
        {
            Assert.Empty(AliasCatalog.Suggest(name));
        }
    }
}
