using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace CloudflareAI.Tests.Endpoints
{
    // EndpointResolver: alias + environment + overrides -> URL, headers and secrets, or a setup error before any request.
    public class EndpointResolverTests
    {
        private const string Account = "0123456789abcdef0123456789abcdef";

        private static ResolvedEndpoint Resolve(EndpointOverrides request, DictionaryEnvironmentReader env) => EndpointResolver.Resolve(request, env);

        private static string? Header(ResolvedEndpoint r, string name) =>
            r.Endpoint.Headers.Where(h => string.Equals(h.Key, name, System.StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).SingleOrDefault();

        private static CloudflareAIException Fails(EndpointOverrides request, DictionaryEnvironmentReader env) =>
            Assert.ThrowsAny<CloudflareAIException>(() => EndpointResolver.Resolve(request, env));

        [Fact]
        public void Workers_AI_resolves_the_account_URL_with_a_bearer_token_and_the_default_model()
        {
            var r = Resolve(new EndpointOverrides { Provider = "cloudflare-workers-ai" },
                TestEnvironment.With(("CLOUDFLARE_API_TOKEN", "tok-1"), ("CLOUDFLARE_ACCOUNT_ID", Account)));
            Assert.Equal($"https://api.cloudflare.com/client/v4/accounts/{Account}/ai/v1/chat/completions", r.Endpoint.ChatCompletionsUrl.AbsoluteUri);
            Assert.Equal("Bearer tok-1", Header(r, "Authorization"));
            Assert.Equal("@cf/meta/llama-3.3-70b-instruct-fp8-fast", r.Model);
            Assert.Contains("tok-1", r.Endpoint.Secrets);
            Assert.True(r.Endpoint.CoalescesSystemMessages);
            Assert.True(r.Endpoint.IsCloudflare);
            Assert.Equal("cloudflare-workers-ai (api.cloudflare.com)", r.Target);
            Assert.Empty(r.Warnings);
        }

        [Theory]
        // model, gateway token, api token, -ApiKey -> expected cf-aig-authorization, expected Authorization
        [InlineData("workers-ai/@cf/meta/llama-3.3-70b-instruct-fp8-fast", "gw", "api", null, "Bearer gw", "Bearer api")]
        [InlineData("workers-ai/@cf/meta/llama-3.3-70b-instruct-fp8-fast", null, "api", null, "Bearer api", "Bearer api")]
        [InlineData("workers-ai/@cf/meta/llama-3.3-70b-instruct-fp8-fast", "gw", "api", "key", "Bearer gw", "Bearer key")]
        [InlineData("openai/gpt-4o-mini", "gw", "api", null, "Bearer gw", null)]
        [InlineData("openai/gpt-4o-mini", null, "api", null, "Bearer api", null)]
        [InlineData("openai/gpt-4o-mini", "gw", null, null, "Bearer gw", null)]
        [InlineData("openai/gpt-4o-mini", "gw", "api", "key", "Bearer gw", "Bearer key")]
        [InlineData("openai/gpt-4o-mini", null, null, "key", null, "Bearer key")]
        public void The_gateway_sends_its_token_and_the_provider_key_by_the_rules_of_SPEC_2_2(
            string model, string? gatewayToken, string? apiToken, string? apiKey, string? expectedGateway, string? expectedAuthorization)
        {
            var values = new List<(string, string)> { ("CLOUDFLARE_ACCOUNT_ID", Account), ("CLOUDFLARE_GATEWAY_ID", "gw-9") };
            if (gatewayToken != null) values.Add(("CLOUDFLARE_AI_GATEWAY_TOKEN", gatewayToken));
            if (apiToken != null) values.Add(("CLOUDFLARE_API_TOKEN", apiToken));
            var r = Resolve(new EndpointOverrides { Provider = "cloudflare-ai-gateway", Model = model, ApiKey = apiKey }, TestEnvironment.With(values.ToArray()));
            Assert.Equal(expectedGateway, Header(r, "cf-aig-authorization"));
            Assert.Equal(expectedAuthorization, Header(r, "Authorization"));
            Assert.Equal($"https://gateway.ai.cloudflare.com/v1/{Account}/gw-9/compat/chat/completions", r.Endpoint.ChatCompletionsUrl.AbsoluteUri);
        }

        [Fact]
        public void The_gateway_refuses_a_workers_ai_model_without_the_API_token_or_ApiKey()
        {
            var e = Fails(new EndpointOverrides { Provider = "cloudflare-ai-gateway" },
                TestEnvironment.With(("CLOUDFLARE_ACCOUNT_ID", Account), ("CLOUDFLARE_GATEWAY_ID", "gw"), ("CLOUDFLARE_AI_GATEWAY_TOKEN", "gw-token")));
            Assert.Equal(ErrorIds.ProviderEnvironmentVariableMissing, e.ErrorId);
            Assert.Contains("CLOUDFLARE_API_TOKEN", e.Message);
            // Says why (the gateway token only opens the gateway) and the three ways out.
            Assert.Contains("The model 'workers-ai/@cf/meta/llama-3.3-70b-instruct-fp8-fast' on cloudflare-ai-gateway needs CLOUDFLARE_API_TOKEN", e.Message);
            Assert.Contains("CLOUDFLARE_AI_GATEWAY_TOKEN, only opens the gateway", e.Message);
            Assert.Contains("$env:CLOUDFLARE_API_TOKEN = '...'", e.RecommendedAction);
            Assert.Contains("-ApiKey", e.RecommendedAction);
            Assert.Contains("-Model openai/gpt-4o-mini", e.RecommendedAction);
        }

        [Fact]
        public void Openai_without_BaseUrl_does_not_coalesce_and_with_BaseUrl_does()
        {
            var env = TestEnvironment.With(("OPENAI_API_KEY", "sk-fake-openai"));
            Assert.False(Resolve(new EndpointOverrides { Provider = "openai", Model = "gpt-4o-mini" }, env).Endpoint.CoalescesSystemMessages);
            Assert.True(Resolve(new EndpointOverrides { Provider = "openai", Model = "gpt-4o-mini", BaseUrl = "https://proxy.example/v1" }, env).Endpoint.CoalescesSystemMessages);
        }

        [Fact]
        public void A_cookie_header_is_a_secret_by_the_same_rule_as_the_debug_dump()
        {
            // The -Debug dump masks a Cookie; the redactor must then know its value too, or a server that echoes it back shows it.
            var r = Resolve(new EndpointOverrides
            {
                Provider = "ollama",
                Model = "m",
                BaseUrl = "http://127.0.0.1:11434/v1",
                Headers = new[] { new KeyValuePair<string, string>("Cookie", "session=cookie-fake-98765") },
            }, TestEnvironment.With());
            Assert.True(SecretNames.IsSecretHeader("Cookie"));
            Assert.Contains("session=cookie-fake-98765", r.Endpoint.Secrets);
        }

        [Fact]
        public void Secret_named_variables_in_the_URL_and_header_keys_are_secrets_and_the_display_URL_masks_them()
        {
            var r = Resolve(new EndpointOverrides
            {
                Provider = "ollama",
                Model = "m",
                BaseUrl = "https://host.example/${MY_PATH_KEY}/${PLAIN_PART}/v1",
                Headers = new[] { new KeyValuePair<string, string>("Authorization", "Bearer sk-header-key-1234") },
            }, TestEnvironment.With(("MY_PATH_KEY", "path-key-5678"), ("PLAIN_PART", "public-part")));
            Assert.Contains("path-key-5678", r.Endpoint.Secrets);
            Assert.DoesNotContain("public-part", r.Endpoint.Secrets);
            Assert.Contains("Bearer sk-header-key-1234", r.Endpoint.Secrets);
            Assert.Contains("sk-header-key-1234", r.Endpoint.Secrets);
            Assert.Equal("https://host.example/path-key-5678/public-part/v1/chat/completions", r.Endpoint.ChatCompletionsUrl.AbsoluteUri);
            Assert.Equal("https://host.example/***/public-part/v1/chat/completions", r.DisplayUrl);
        }

        [Fact]
        public void Every_missing_variable_is_named_sorted_with_its_fix()
        {
            var e = Fails(new EndpointOverrides { Provider = "cloudflare-ai-gateway" }, TestEnvironment.With());
            Assert.Equal(ErrorIds.ProviderEnvironmentVariableMissing, e.ErrorId);
            Assert.Contains("CLOUDFLARE_ACCOUNT_ID, CLOUDFLARE_API_TOKEN, CLOUDFLARE_GATEWAY_ID", e.Message);
            Assert.Contains("$env:CLOUDFLARE_GATEWAY_ID = '...'", e.RecommendedAction);
            Assert.Contains("Test-AIProviderEnvironment cloudflare-ai-gateway", e.RecommendedAction);
        }

        [Fact]
        public void A_variable_brought_in_by_BaseUrl_is_not_sent_to_the_preflight()
        {
            var e = Fails(new EndpointOverrides { Provider = "openai", Model = "m", BaseUrl = "https://${MY_HOST_SEGMENT}.example/v1" }, TestEnvironment.With(("OPENAI_API_KEY", "k")));
            Assert.Contains("MY_HOST_SEGMENT", e.Message);
            Assert.DoesNotContain("Test-AIProviderEnvironment", e.RecommendedAction);
        }

        [Fact]
        public void A_slash_in_the_account_is_invalid_and_names_the_variable_not_the_value()
        {
            var e = Fails(new EndpointOverrides { Provider = "cloudflare-workers-ai" },
                TestEnvironment.With(("CLOUDFLARE_API_TOKEN", "t"), ("CLOUDFLARE_ACCOUNT_ID", "evil/../segment")));
            Assert.Equal(ErrorIds.ProviderEnvironmentVariableInvalid, e.ErrorId);
            Assert.Equal(ErrorKind.InvalidData, e.Kind);
            Assert.Contains("CLOUDFLARE_ACCOUNT_ID", e.Message);
            Assert.DoesNotContain("evil", e.Message);
        }

        [Fact]
        public void Azure_sends_api_key_and_needs_BaseUrl()
        {
            var env = TestEnvironment.With(("AZURE_API_KEY", "az"), ("AZURE_OPENAI_ENDPOINT", "https://res.openai.azure.com/"));
            Assert.Equal(ErrorIds.ProviderNotConfigured, Fails(new EndpointOverrides { Provider = "azure", Model = "d" }, env).ErrorId);
            var r = Resolve(new EndpointOverrides { Provider = "azure", Model = "d", BaseUrl = "${AZURE_OPENAI_ENDPOINT}/openai/v1" }, env);
            Assert.Equal("https://res.openai.azure.com/openai/v1/chat/completions", r.Endpoint.ChatCompletionsUrl.AbsoluteUri);
            Assert.Equal("az", Header(r, "api-key"));
            Assert.Null(Header(r, "Authorization"));
        }

        [Fact]
        public void Auto_selection_takes_Cloudflare_first_and_reports_none_available()
        {
            var r = Resolve(new EndpointOverrides(), TestEnvironment.With(("OPENAI_API_KEY", "o"), ("CLOUDFLARE_API_TOKEN", "c"), ("CLOUDFLARE_ACCOUNT_ID", Account)));
            Assert.True(r.AutoSelected);
            Assert.Equal("cloudflare-workers-ai", r.Alias.Name);
            var groq = Resolve(new EndpointOverrides { Model = "m" }, TestEnvironment.With(("GROQ_API_KEY", "g"), ("CLOUDFLARE_API_TOKEN", "c")));
            Assert.Equal("groq", groq.Alias.Name);
            var e = Fails(new EndpointOverrides(), TestEnvironment.With(("CLOUDFLARE_API_TOKEN", "c")));
            Assert.Equal(ErrorIds.ProviderNotConfigured, e.ErrorId);
        }

        [Fact]
        public void BaseUrl_without_Provider_uses_the_openai_rules_and_coalesces()
        {
            var r = Resolve(new EndpointOverrides { Model = "qwen", BaseUrl = "http://127.0.0.1:8000/v1" }, TestEnvironment.With(("OPENAI_API_KEY", "o")));
            Assert.Equal("openai", r.Alias.Name);
            Assert.False(r.AutoSelected);
            Assert.True(r.Endpoint.CoalescesSystemMessages);
            Assert.Equal("Bearer o", Header(r, "Authorization"));
        }

        [Theory]
        [InlineData("http://example.com/v1", true)]
        [InlineData("http://localhost:8080/v1", false)]
        [InlineData("http://127.0.0.5:8080/v1", false)]
        [InlineData("http://[::1]:8080/v1", false)]
        public void A_token_never_goes_over_plain_http_to_a_remote_host(string baseUrl, bool refused)
        {
            var request = new EndpointOverrides { Provider = "openai", Model = "m", BaseUrl = baseUrl };
            var env = TestEnvironment.With(("OPENAI_API_KEY", "o"));
            if (refused) Assert.Equal(ErrorIds.InsecureEndpoint, Fails(request, env).ErrorId);
            else Assert.Equal("Bearer o", Header(Resolve(request, env), "Authorization"));
        }

        [Fact]
        public void Ollama_needs_no_token_and_may_use_plain_http()
        {
            var r = Resolve(new EndpointOverrides { Provider = "ollama", Model = "llama3.2" }, TestEnvironment.With());
            Assert.Equal("http://localhost:11434/v1/chat/completions", r.Endpoint.ChatCompletionsUrl.AbsoluteUri);
            Assert.Empty(r.Endpoint.Headers);
            Assert.Empty(r.Endpoint.Secrets);
        }

        [Fact]
        public void Header_values_are_templates_and_secret_ones_are_registered_as_secrets()
        {
            var r = Resolve(new EndpointOverrides
            {
                Provider = "github-copilot",
                Model = "gpt-4o",
                Headers = new[]
                {
                    new KeyValuePair<string, string>("cf-aig-gateway-id", "${GW}"),
                    new KeyValuePair<string, string>("X-Extra-Token", "${MY_TOKEN}"),
                    new KeyValuePair<string, string>("copilot-integration-id", "mine"),
                },
            }, TestEnvironment.With(("GITHUB_TOKEN", "gh"), ("GW", "gw-1"), ("MY_TOKEN", "secret-value")));
            Assert.Equal("gw-1", Header(r, "cf-aig-gateway-id"));
            Assert.Equal("secret-value", Header(r, "X-Extra-Token"));
            Assert.Equal("mine", Header(r, "Copilot-Integration-Id"));
            Assert.Contains("secret-value", r.Endpoint.Secrets);
            Assert.Contains("gh", r.Endpoint.Secrets);
        }

        [Fact]
        public void A_header_line_break_is_refused_and_a_header_template_error_never_quotes_the_value()
        {
            var env = TestEnvironment.With(("GITHUB_TOKEN", "gh"));
            var crlf = Fails(new EndpointOverrides { Provider = "github-copilot", Model = "m", Headers = new[] { new KeyValuePair<string, string>("X-A", "a\r\nB: c") } }, env);
            Assert.Equal(ErrorIds.ParameterInvalid, crlf.ErrorId);
            var bad = Fails(new EndpointOverrides { Provider = "github-copilot", Model = "m", Headers = new[] { new KeyValuePair<string, string>("Authorization", "Bearer pasted-secret-$") } }, env);
            Assert.Equal(ErrorIds.UrlTemplateInvalid, bad.ErrorId);
            Assert.DoesNotContain("pasted-secret", bad.Message);
            Assert.Null(bad.InnerException);
        }

        [Theory]
        [InlineData("X Api Key")]
        [InlineData("X-Api:Key")]
        [InlineData("X-Cl\u00e9")]
        [InlineData("")]
        public void An_invalid_header_name_is_a_parameter_error(string name)
        {
            var e = Fails(new EndpointOverrides { Provider = "github-copilot", Model = "m", Headers = new[] { new KeyValuePair<string, string>(name, "v") } }, TestEnvironment.With(("GITHUB_TOKEN", "gh")));
            Assert.Equal(ErrorIds.ParameterInvalid, e.ErrorId);
            Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
            Assert.Contains("is not a valid HTTP header name", e.Message);
        }

        [Theory]
        [InlineData(null, "ModelNotSpecified")]
        [InlineData("no-such-alias", "ProviderAliasNotFound")]
        public void Setup_errors_have_their_ids(string? provider, string errorId)
        {
            var e = Fails(new EndpointOverrides { Provider = provider ?? "groq" }, TestEnvironment.With(("GROQ_API_KEY", "g")));
            Assert.Equal(errorId, e.ErrorId);
        }

        [Fact]
        public void A_template_that_does_not_give_an_absolute_URL_is_a_template_error()
        {
            var e = Fails(new EndpointOverrides { Provider = "openai", Model = "m", BaseUrl = "api.example.com/v1" }, TestEnvironment.With(("OPENAI_API_KEY", "o")));
            Assert.Equal(ErrorIds.UrlTemplateInvalid, e.ErrorId);
        }

        [Fact]
        public void Cloudflare_format_warnings_come_with_the_resolved_endpoint()
        {
            var r = Resolve(new EndpointOverrides { Provider = "cloudflare-workers-ai" },
                TestEnvironment.With(("CLOUDFLARE_API_TOKEN", "t"), ("CLOUDFLARE_ACCOUNT_ID", "your-account-id")));
            Assert.Single(r.Warnings);
            Assert.StartsWith("CLOUDFLARE_ACCOUNT_ID looks like a placeholder", r.Warnings[0]);
        }
    }
}
