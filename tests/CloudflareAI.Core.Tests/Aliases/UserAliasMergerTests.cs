using System.Linq;
using Xunit;

namespace CloudflareAI.Tests.Aliases
{
    /// <summary>One list from two sources: overrides change only the fields they set, user aliases come after the built-ins.</summary>
    public class UserAliasMergerTests
    {
        private static AliasSet Merge(string text) =>
            UserAliasMerger.Merge(AliasCatalog.Builtins, AliasCatalog.AutoSelectionOrder, ProvidersFiles.Parse(text));

        private static ProviderAliasDefinition Get(AliasSet set, string name)
        {
            Assert.True(set.TryGet(name, out var alias));
            return alias;
        }

        [Fact]
        public void An_override_of_a_builtin_default_model_keeps_every_other_field()
        {
            var set = Merge(@"{ ""providers"": [ { ""name"": ""cloudflare-workers-ai"", ""defaultModel"": ""@cf/openai/gpt-oss-120b"" } ] }");
            Assert.True(AliasCatalog.TryGetBuiltin("cloudflare-workers-ai", out var builtin));
            var merged = Get(set, "cloudflare-workers-ai");
            Assert.Equal("@cf/openai/gpt-oss-120b", merged.DefaultModel);
            Assert.Equal(AliasSources.BuiltinUser, merged.Source);
            Assert.Equal(builtin.BaseUrlTemplate, merged.BaseUrlTemplate);
            Assert.Equal(builtin.TokenVariable, merged.TokenVariable);
            Assert.Equal(builtin.CoalescesSystemMessages, merged.CoalescesSystemMessages);
            Assert.Equal(builtin.Description, merged.Description);
            Assert.True(merged.IsCloudflare);
            // The built-in itself is untouched, and keeps its place in the list.
            Assert.Equal("@cf/meta/llama-3.3-70b-instruct-fp8-fast", builtin.DefaultModel);
            Assert.Equal(AliasSources.Builtin, builtin.Source);
            Assert.Equal(AliasCatalog.Builtins.Select(b => b.Name), set.All.Select(a => a.Name));
            Assert.Equal(AliasSources.Builtin, Get(set, "openai").Source);
        }

        [Fact]
        public void Headers_of_an_override_are_merged_by_name_with_the_builtin_headers()
        {
            var set = Merge(@"{ ""providers"": [ { ""name"": ""cloudflare-ai-gateway-rest"", ""headers"": { ""X-Team"": ""ml"" } } ] }");
            var merged = Get(set, "cloudflare-ai-gateway-rest");
            Assert.Equal("${CLOUDFLARE_GATEWAY_ID}", merged.Headers["cf-aig-gateway-id"]);
            Assert.Equal("ml", merged.Headers["x-team"]);
            Assert.True(merged.IsGateway);
        }

        [Fact]
        public void An_override_keeps_the_gateway_authentication_rules_of_the_compat_gateway()
        {
            var merged = Get(Merge(@"{ ""providers"": [ { ""name"": ""cloudflare-ai-gateway"", ""defaultModel"": ""workers-ai/@cf/x"" } ] }"), "cloudflare-ai-gateway");
            Assert.NotNull(merged.Gateway);
            Assert.Equal("cf-aig-authorization", merged.Gateway!.Header);
        }

        [Fact]
        public void An_empty_tokenVariable_in_an_override_means_no_token()
        {
            var merged = Get(Merge(@"{ ""providers"": [ { ""name"": ""openai"", ""tokenVariable"": """", ""baseUrl"": ""http://127.0.0.1:8000/v1"" } ] }"), "openai");
            Assert.Null(merged.TokenVariable);
            Assert.Equal("http://127.0.0.1:8000/v1", merged.BaseUrlTemplate);
        }

        [Fact]
        public void A_new_alias_follows_the_builtins_with_source_User_and_its_own_token_header()
        {
            var set = Merge(@"{ ""providers"": [
                { ""name"": ""my-vllm"", ""baseUrl"": ""http://127.0.0.1:${VLLM_PORT}/v1"", ""defaultModel"": ""m"" },
                { ""name"": ""work-gw"", ""baseUrl"": ""https://gateway.example/v1"", ""tokenVariable"": ""WORK_KEY"", ""tokenHeader"": ""x-api-key"", ""isGateway"": true } ] }");
            Assert.Equal(AliasCatalog.Builtins.Count + 2, set.All.Count);
            Assert.Equal(new[] { "my-vllm", "work-gw" }, set.All.Skip(AliasCatalog.Builtins.Count).Select(a => a.Name));
            Assert.Equal(new[] { "my-vllm", "work-gw" }, set.UserNames);
            var vllm = Get(set, "MY-VLLM");
            Assert.Equal(AliasSources.User, vllm.Source);
            Assert.Null(vllm.TokenVariable);
            Assert.False(vllm.CoalescesSystemMessages);
            Assert.False(vllm.IsGateway);
            Assert.False(vllm.IsCloudflare);
            Assert.Equal("Authorization", vllm.TokenHeader);
            Assert.Equal(TokenStyle.Bearer, vllm.TokenStyle);
            var gateway = Get(set, "work-gw");
            Assert.True(gateway.IsGateway);
            Assert.Null(gateway.Gateway);
            Assert.Equal("x-api-key", gateway.TokenHeader);
            Assert.Equal(TokenStyle.ApiKeyHeader, gateway.TokenStyle);
            // Without autoSelect the built-in order stands: a user alias is used by name.
            Assert.Equal(AliasCatalog.AutoSelectionOrder, set.AutoSelectionOrder);
        }

        [Fact]
        public void AutoSelect_replaces_the_order_and_may_name_user_and_builtin_aliases()
        {
            var set = Merge(@"{ ""autoSelect"": [ ""my-vllm"", ""ollama"" ], ""providers"": [ { ""name"": ""my-vllm"", ""baseUrl"": ""http://127.0.0.1:${VLLM_PORT}/v1"" } ] }");
            Assert.Equal(new[] { "my-vllm", "ollama" }, set.AutoSelectionOrder);
        }

        [Fact]
        public void An_autoSelect_name_that_is_nothing_is_refused_at_its_line_with_a_suggestion()
        {
            var e = Assert.Throws<ProviderConfigException>(() => Merge("{ \"autoSelect\": [\n \"openai\",\n \"cloudflare-worker-ai\" ] }"));
            Assert.Equal(3, e.Line);
            Assert.Contains("'cloudflare-worker-ai'", e.Message);
            Assert.Contains("Did you mean 'cloudflare-workers-ai'?", e.Message);
        }

        [Fact]
        public void An_entry_that_is_no_builtin_and_has_no_baseUrl_is_refused_with_the_nearest_builtin()
        {
            var e = Assert.Throws<ProviderConfigException>(() => Merge("{ \"providers\": [\n { \"name\": \"cloudflare-worker-ai\", \"defaultModel\": \"@cf/x\" } ] }"));
            Assert.Equal(2, e.Line);
            Assert.Equal("cloudflare-worker-ai", e.Entry);
            Assert.Contains("no 'baseUrl'", e.Message);
            Assert.Contains("'cloudflare-workers-ai'", e.Message);
        }

        [Fact]
        public void A_user_alias_is_available_by_the_one_rule_including_variables_its_headers_name()
        {
            var set = Merge(@"{ ""providers"": [ { ""name"": ""work"", ""baseUrl"": ""https://gateway.ai.cloudflare.com/v1/${WORK_ACCOUNT}/${WORK_GATEWAY}/compat"",
                ""tokenVariable"": ""WORK_TOKEN"", ""headers"": { ""cf-aig-authorization"": ""Bearer ${WORK_AIG_TOKEN}"" }, ""isGateway"": true } ] }");
            var alias = Get(set, "work");
            var partial = ProviderEnvironmentInspector.Inspect(alias, new DictionaryEnvironmentReader(new[]
            {
                new System.Collections.Generic.KeyValuePair<string, string>("WORK_ACCOUNT", "a1"),
                new System.Collections.Generic.KeyValuePair<string, string>("WORK_GATEWAY", "g1"),
                new System.Collections.Generic.KeyValuePair<string, string>("WORK_TOKEN", "t-fake"),
            }));
            Assert.False(partial.IsReady);
            Assert.Equal(new[] { "WORK_AIG_TOKEN" }, partial.MissingVariables);
            Assert.Equal(new[] { "WORK_ACCOUNT", "WORK_AIG_TOKEN", "WORK_GATEWAY", "WORK_TOKEN" }, partial.RequiredVariables);
        }
    }
}
