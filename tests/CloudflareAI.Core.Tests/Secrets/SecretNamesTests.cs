using Xunit;

namespace CloudflareAI.Tests.Secrets
{
    /// <summary>Which variable values are never echoed, and which header values are shown as ***.</summary>
    public class SecretNamesTests
    {
        [Theory]
        [InlineData("CLOUDFLARE_API_TOKEN")]
        [InlineData("CLOUDFLARE_AI_GATEWAY_TOKEN")]
        [InlineData("OPENAI_API_KEY")]
        [InlineData("AZURE_API_KEY")]
        [InlineData("AI_GATEWAY_API_KEY")]
        [InlineData("HF_TOKEN")]
        [InlineData("GITHUB_TOKEN")]
        [InlineData("OVH_AI_ENDPOINTS_ACCESS_TOKEN")]
        [InlineData("AWS_SECRET_ACCESS_KEY")]
        [InlineData("CLIENT_SECRET")]
        [InlineData("DB_PASSWORD")]
        [InlineData("PASSWORD")]
        [InlineData("TOKEN")]
        [InlineData("KEY")]
        [InlineData("SECRET")]
        [InlineData("api_key")]
        [InlineData("my_token")]
        [InlineData("Client_Secret")]
        [InlineData("SmtpPassword")]
        [InlineData("TOKENIZER_PATH")]
        public void Names_containing_TOKEN_KEY_SECRET_or_PASSWORD_are_secret(string name)
        {
            Assert.True(SecretNames.IsSecretVariable(name));
        }

        [Theory]
        [InlineData("CLOUDFLARE_ACCOUNT_ID")]
        [InlineData("CLOUDFLARE_GATEWAY_ID")]
        [InlineData("AZURE_OPENAI_ENDPOINT")]
        [InlineData("DMR_BASE_URL")]
        [InlineData("NEMOTRON3_MODEL")]
        [InlineData("HOME")]
        [InlineData("PATH")]
        [InlineData("USER")]
        [InlineData("X")]
        [InlineData("")]
        [InlineData("TOKE")]
        [InlineData("SECRE")]
        public void Other_names_are_not_secret(string name)
        {
            Assert.False(SecretNames.IsSecretVariable(name));
        }

        [Fact]
        public void Every_token_variable_in_the_catalog_is_secret()
        {
            foreach (var name in ExpectedAliases.TokenVariables())
            {
                Assert.True(SecretNames.IsSecretVariable(name), name);
            }
        }

        [Theory]
        [InlineData("Authorization")]
        [InlineData("authorization")]
        [InlineData("AUTHORIZATION")]
        [InlineData("cf-aig-authorization")]
        [InlineData("api-key")]
        [InlineData("Api-Key")]
        [InlineData("X-Api-Key")]
        [InlineData("x-goog-api-key")]
        [InlineData("Proxy-Authorization")]
        [InlineData("X-Auth-Token")]
        [InlineData("X-Access-Token")]
        [InlineData("X-Client-Secret")]
        [InlineData("Ocp-Apim-Subscription-Key")]
        [InlineData("X-Amz-Security-Token")]
        [InlineData("X-Password")]
        [InlineData("Cookie")]
        [InlineData("X-Session-Cookie")]
        [InlineData("X-Auth-Email")]
        public void Headers_whose_names_contain_auth_token_key_secret_password_or_cookie_are_secret(string name)
        {
            Assert.True(SecretNames.IsSecretHeader(name));
        }

        [Theory]
        [InlineData("Content-Type")]
        [InlineData("Accept")]
        [InlineData("User-Agent")]
        [InlineData("Copilot-Integration-Id")]
        [InlineData("cf-aig-gateway-id")]
        [InlineData("cf-aig-cache-ttl")]
        [InlineData("cf-aig-metadata")]
        [InlineData("X-Request-Id")]
        [InlineData("")]
        [InlineData(null)]
        public void Other_headers_are_not_secret(string? name)
        {
            Assert.False(SecretNames.IsSecretHeader(name));
        }
    }
}
