using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace CloudflareAI.Tests.Aliases
{
    /// <summary>
    /// One credential rule: what Test-AIProviderEnvironment calls ready is what the resolver can send, for every alias and
    /// with each of its variables taken away in turn.
    /// </summary>
    public class AliasCredentialsTests
    {
        private const string Account = "0123456789abcdef0123456789abcdef";

        public static IEnumerable<object[]> Cases()
        {
            foreach (var alias in AliasCatalog.Builtins.Where(a => a.BaseUrlTemplate != null))
            {
                yield return new object[] { alias.Name, "" };
                foreach (var name in ProviderEnvironmentInspector.Inspect(alias, Full(alias)).RequiredVariables.Concat(AliasCredentials.TokenGroup(alias)).Distinct())
                {
                    yield return new object[] { alias.Name, name };
                }
            }
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public void Inspector_readiness_and_resolver_agree_with_one_variable_unset(string aliasName, string unset)
        {
            AliasCatalog.TryGet(aliasName, out var alias);
            var values = Values(alias).Where(p => p.Key != unset);
            var environment = new DictionaryEnvironmentReader(values);

            var inspected = ProviderEnvironmentInspector.Inspect(alias, environment);
            CloudflareAIException? failure = null;
            try
            {
                EndpointResolver.Resolve(new EndpointOverrides { Provider = aliasName, Model = alias.DefaultModel ?? "m" }, environment);
            }
            catch (CloudflareAIException e)
            {
                failure = e;
            }

            if (inspected.IsReady && failure != null)
            {
                // Ready, yet the default model cannot be sent: only a gateway opened by its own token, and the inspector says why.
                Assert.Equal(ErrorIds.ProviderEnvironmentVariableMissing, failure.ErrorId);
                Assert.Contains(inspected.Problems, p => p.StartsWith("Note: " + alias.TokenVariable, System.StringComparison.Ordinal));
            }
            else
            {
                Assert.Equal(inspected.IsReady, failure == null);
            }
            if (failure != null && failure.ErrorId == ErrorIds.ProviderEnvironmentVariableMissing && !inspected.IsReady)
            {
                Assert.Contains(unset, inspected.MissingVariables);
            }
        }

        [Fact]
        public void A_gateway_reads_its_own_token_first_and_the_api_token_as_the_workers_ai_provider_key()
        {
            AliasCatalog.TryGet("cloudflare-ai-gateway", out var gateway);
            var environment = new DictionaryEnvironmentReader(new Dictionary<string, string>
            {
                ["CLOUDFLARE_AI_GATEWAY_TOKEN"] = "gw-fake-token-1",
                ["CLOUDFLARE_API_TOKEN"] = "api-fake-token-2",
            });

            var workersAi = AliasCredentials.Read(gateway, "workers-ai/@cf/m", null, environment);
            var openai = AliasCredentials.Read(gateway, "openai/gpt-4o-mini", null, environment);

            Assert.Equal(new[] { "cf-aig-authorization: Bearer gw-fake-token-1", "Authorization: Bearer api-fake-token-2" },
                workersAi.Headers.Select(h => h.Key + ": " + h.Value));
            Assert.Equal(new[] { "cf-aig-authorization: Bearer gw-fake-token-1" }, openai.Headers.Select(h => h.Key + ": " + h.Value));
            Assert.Empty(workersAi.Missing);
            Assert.False(workersAi.ProviderKeyUnset);
        }

        private static DictionaryEnvironmentReader Full(ProviderAliasDefinition alias) => new DictionaryEnvironmentReader(Values(alias));

        private static IEnumerable<KeyValuePair<string, string>> Values(ProviderAliasDefinition alias)
        {
            var values = new Dictionary<string, string>
            {
                [AliasCatalog.CloudflareAccountId] = Account,
                [AliasCatalog.CloudflareGatewayId] = "gw-1",
                [AliasCatalog.CloudflareApiToken] = "cf-fake-token-1234",
                [AliasCatalog.CloudflareAiGatewayToken] = "gw-fake-token-5678",
            };
            if (alias.TokenVariable != null && !values.ContainsKey(alias.TokenVariable)) values[alias.TokenVariable] = "fake-key-1234";
            return values;
        }
    }
}
