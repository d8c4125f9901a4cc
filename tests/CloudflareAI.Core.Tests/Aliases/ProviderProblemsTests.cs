using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Xunit;

namespace CloudflareAI.Tests.Aliases
{
    /// <summary>Test-AIProviderEnvironment: each Problem names its variable and its fix;
    /// format warnings do not clear IsReady; no secret value in any text.</summary>
    public class ProviderProblemsTests
    {
        private const string Account = "CLOUDFLARE_ACCOUNT_ID=0123456789abcdef0123456789abcdef";
        private const string GatewayId = "CLOUDFLARE_GATEWAY_ID=gw-9";
        private const string ApiToken = "CLOUDFLARE_API_TOKEN=cf-test";

        private const string WorkersAi = "cloudflare-workers-ai";
        private const string Gateway = "cloudflare-ai-gateway";

        private static ProviderAliasDefinition Alias(string name)
        {
            Assert.True(AliasCatalog.TryGet(name, out var alias));
            return alias;
        }

        private static ProviderEnvironmentResult Inspect(string name, params string[] environment) =>
            ProviderEnvironmentInspector.Inspect(Alias(name), TestEnvironment.Of(environment));

        private static string Fix(string name) => $"$env:{name} = '";

        // ---- Missing variables. ----

        public static TheoryData<string, string[]> MissingCases => new TheoryData<string, string[]>
        {
            { WorkersAi, new string[0] },
            { WorkersAi, new[] { ApiToken } },
            { WorkersAi, new[] { Account } },
            { WorkersAi, new[] { ApiToken, "CLOUDFLARE_ACCOUNT_ID=" } },
            { Gateway, new string[0] },
            { Gateway, new[] { ApiToken } },
            { Gateway, new[] { Account, GatewayId } },
            { Gateway, new[] { "CLOUDFLARE_AI_GATEWAY_TOKEN=t" } },
            { "vercel", new string[0] },
            { "huggingface", new string[0] },
            { "azure", new string[0] },
            { "github-copilot", new[] { "GITHUB_TOKEN=" } },
        };

        [Theory]
        [MemberData(nameof(MissingCases))]
        public void Every_missing_variable_has_a_problem_naming_it_and_its_fix(string name, string[] environment)
        {
            var result = Inspect(name, environment);

            Assert.NotEmpty(result.MissingVariables);
            Assert.False(result.IsReady);
            foreach (var missing in result.MissingVariables)
            {
                Assert.Contains(result.Problems, p => p.Contains(missing) && p.Contains(Fix(missing)) && p.Contains("not set"));
            }
        }

        [Fact]
        public void The_spec_example_problem_for_a_missing_account()
        {
            var problem = Assert.Single(Inspect(WorkersAi, ApiToken).Problems);
            Assert.StartsWith("CLOUDFLARE_ACCOUNT_ID is not set. Set it to your 32-character account ID", problem);
            Assert.EndsWith("$env:CLOUDFLARE_ACCOUNT_ID = '...'", problem);
        }

        [Fact]
        public void The_missing_gateway_token_problem_offers_both_tokens()
        {
            var result = Inspect(Gateway, Account, GatewayId);

            var problem = Assert.Single(result.Problems);
            Assert.Contains("CLOUDFLARE_API_TOKEN", problem);
            Assert.Contains("CLOUDFLARE_AI_GATEWAY_TOKEN", problem);
            Assert.Contains(Fix("CLOUDFLARE_API_TOKEN"), problem);
        }

        [Fact]
        public void Missing_problems_come_in_sorted_order()
        {
            var result = Inspect(Gateway);

            Assert.Equal(3, result.Problems.Count);
            Assert.Contains("CLOUDFLARE_ACCOUNT_ID", result.Problems[0]);
            Assert.Contains("CLOUDFLARE_API_TOKEN", result.Problems[1]);
            Assert.Contains("CLOUDFLARE_GATEWAY_ID", result.Problems[2]);
        }

        [Fact]
        public void Azure_says_to_pass_a_base_url()
        {
            var result = Inspect("azure", "AZURE_API_KEY=az-test");

            Assert.False(result.IsReady);
            Assert.Null(result.BaseUrl);
            Assert.Contains(result.Problems, p => p.Contains("-BaseUrl"));
        }

        // ---- Invalid values. ----

        [Fact]
        public void An_account_with_a_slash_is_invalid_and_its_problem_names_the_fix()
        {
            var result = Inspect(WorkersAi, ApiToken, "CLOUDFLARE_ACCOUNT_ID=a/b");

            Assert.False(result.IsReady);
            Assert.Contains("CLOUDFLARE_ACCOUNT_ID", result.InvalidVariables);
            Assert.Empty(result.MissingVariables);
            Assert.Null(result.BaseUrl);
            Assert.Contains(result.Problems, p => p.Contains("CLOUDFLARE_ACCOUNT_ID") && p.Contains(Fix("CLOUDFLARE_ACCOUNT_ID")) && p.Contains("'/'"));
        }

        public static TheoryData<string, string[], string> InvalidCases => new TheoryData<string, string[], string>
        {
            { WorkersAi, new[] { ApiToken, "CLOUDFLARE_ACCOUNT_ID=a/b" }, "CLOUDFLARE_ACCOUNT_ID" },
            { WorkersAi, new[] { ApiToken, "CLOUDFLARE_ACCOUNT_ID=acc@evil" }, "CLOUDFLARE_ACCOUNT_ID" },
            { Gateway, new[] { ApiToken, Account, "CLOUDFLARE_GATEWAY_ID=../x" }, "CLOUDFLARE_GATEWAY_ID" },
            { Gateway, new[] { ApiToken, Account, "CLOUDFLARE_GATEWAY_ID=gw 9" }, "CLOUDFLARE_GATEWAY_ID" },
            { WorkersAi, new[] { "CLOUDFLARE_API_TOKEN=cf-test\n", Account }, "CLOUDFLARE_API_TOKEN" },
            { WorkersAi, new[] { "CLOUDFLARE_API_TOKEN=cf-test ", Account }, "CLOUDFLARE_API_TOKEN" },
            { Gateway, new[] { "CLOUDFLARE_AI_GATEWAY_TOKEN=\tcf-aig", Account, GatewayId }, "CLOUDFLARE_AI_GATEWAY_TOKEN" },
            { "openai", new[] { "OPENAI_API_KEY=sk-test\r\n" }, "OPENAI_API_KEY" },
        };

        [Theory]
        [MemberData(nameof(InvalidCases))]
        public void Every_invalid_variable_has_a_problem_naming_it_and_its_fix(string name, string[] environment, string variable)
        {
            var result = Inspect(name, environment);

            Assert.False(result.IsReady);
            Assert.Equal(new[] { variable }, result.InvalidVariables);
            Assert.Contains(result.Problems, p => p.StartsWith(variable + " ", StringComparison.Ordinal) && p.Contains(Fix(variable)));
        }

        [Fact]
        public void A_token_with_a_trailing_newline_is_invalid_not_trimmed()
        {
            var result = Inspect(WorkersAi, "CLOUDFLARE_API_TOKEN=cf-test\n", Account);

            Assert.False(result.IsReady);
            Assert.Equal(new[] { "CLOUDFLARE_API_TOKEN" }, result.InvalidVariables);
            Assert.Empty(result.MissingVariables);
            Assert.Contains(result.Problems, p => p.Contains("line break"));
        }

        // ---- Cloudflare warnings: reported, but IsReady stays true. ----

        public static TheoryData<string, string[], string> Warnings => new TheoryData<string, string[], string>
        {
            // alias, environment, the variable the warning is about
            { WorkersAi, new[] { ApiToken, "CLOUDFLARE_ACCOUNT_ID=abc123" }, "CLOUDFLARE_ACCOUNT_ID" },
            { WorkersAi, new[] { ApiToken, "CLOUDFLARE_ACCOUNT_ID=acc-123" }, "CLOUDFLARE_ACCOUNT_ID" },
            { WorkersAi, new[] { ApiToken, "CLOUDFLARE_ACCOUNT_ID=0123456789abcdef0123456789abcdeg" }, "CLOUDFLARE_ACCOUNT_ID" },
            { WorkersAi, new[] { ApiToken, "CLOUDFLARE_ACCOUNT_ID=0123456789abcdef0123456789abcdef0" }, "CLOUDFLARE_ACCOUNT_ID" },
            { WorkersAi, new[] { ApiToken, "CLOUDFLARE_ACCOUNT_ID=xxx" }, "CLOUDFLARE_ACCOUNT_ID" },
            { WorkersAi, new[] { ApiToken, "CLOUDFLARE_ACCOUNT_ID=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" }, "CLOUDFLARE_ACCOUNT_ID" },
            { WorkersAi, new[] { ApiToken, "CLOUDFLARE_ACCOUNT_ID=<account-id>" }, "CLOUDFLARE_ACCOUNT_ID" },
            { WorkersAi, new[] { ApiToken, "CLOUDFLARE_ACCOUNT_ID=your-account-id" }, "CLOUDFLARE_ACCOUNT_ID" },
            { WorkersAi, new[] { ApiToken, "CLOUDFLARE_ACCOUNT_ID=YOUR_ACCOUNT_ID" }, "CLOUDFLARE_ACCOUNT_ID" },
            { Gateway, new[] { ApiToken, "CLOUDFLARE_ACCOUNT_ID=your-account-id", GatewayId }, "CLOUDFLARE_ACCOUNT_ID" },
            { Gateway, new[] { ApiToken, Account, "CLOUDFLARE_GATEWAY_ID=your-gateway-id" }, "CLOUDFLARE_GATEWAY_ID" },
            { Gateway, new[] { ApiToken, Account, "CLOUDFLARE_GATEWAY_ID=<gateway-id>" }, "CLOUDFLARE_GATEWAY_ID" },
            { Gateway, new[] { ApiToken, Account, "CLOUDFLARE_GATEWAY_ID=gw.9" }, "CLOUDFLARE_GATEWAY_ID" },
            { WorkersAi, new[] { "CLOUDFLARE_API_TOKEN=your-api-token", Account }, "CLOUDFLARE_API_TOKEN" },
            { WorkersAi, new[] { "CLOUDFLARE_API_TOKEN=xxx", Account }, "CLOUDFLARE_API_TOKEN" },
            { Gateway, new[] { "CLOUDFLARE_AI_GATEWAY_TOKEN=<gateway-token>", ApiToken, Account, GatewayId }, "CLOUDFLARE_AI_GATEWAY_TOKEN" },
        };

        [Theory]
        [MemberData(nameof(Warnings))]
        public void A_Cloudflare_format_warning_is_a_problem_that_leaves_the_alias_ready(string name, string[] environment, string variable)
        {
            var result = Inspect(name, environment);

            Assert.True(result.IsReady);
            Assert.Empty(result.MissingVariables);
            Assert.Empty(result.InvalidVariables);
            Assert.NotNull(result.BaseUrl);
            var warning = Assert.Single(result.Problems);
            Assert.StartsWith("Warning: " + variable + " ", warning);
            Assert.Contains(Fix(variable), warning);
            Assert.True(ProviderEnvironmentInspector.GetAliasInfo(Alias(name), TestEnvironment.Of(environment)).IsAvailable);
        }

        public static TheoryData<string, string[]> Clean => new TheoryData<string, string[]>
        {
            { WorkersAi, new[] { ApiToken, Account } },
            { WorkersAi, new[] { ApiToken, "CLOUDFLARE_ACCOUNT_ID=0123456789ABCDEF0123456789ABCDEF" } },
            { Gateway, new[] { ApiToken, Account, GatewayId } },
            { Gateway, new[] { "CLOUDFLARE_AI_GATEWAY_TOKEN=cf-aig-test", ApiToken, Account, "CLOUDFLARE_GATEWAY_ID=my_gateway-01" } },
            { "ollama", new string[0] },
            { "vercel", new[] { "AI_GATEWAY_API_KEY=vck-test" } },
        };

        [Fact]
        public void A_gateway_with_only_its_own_token_is_ready_with_a_note_that_the_default_model_needs_the_API_token()
        {
            var result = Inspect(Gateway, "CLOUDFLARE_AI_GATEWAY_TOKEN=cf-aig-test", Account, GatewayId);

            Assert.True(result.IsReady);
            Assert.Empty(result.MissingVariables);
            var note = Assert.Single(result.Problems);
            Assert.StartsWith("Note: CLOUDFLARE_API_TOKEN is not set, so the default model workers-ai/@cf/meta/llama-3.3-70b-instruct-fp8-fast cannot be used", note);
            Assert.Contains("-Model openai/gpt-4o-mini", note);
            Assert.Contains(Fix("CLOUDFLARE_API_TOKEN"), note);
        }

        [Theory]
        [MemberData(nameof(Clean))]
        public void A_well_configured_alias_has_no_problems(string name, string[] environment)
        {
            var result = Inspect(name, environment);

            Assert.True(result.IsReady);
            Assert.Empty(result.Problems);
        }

        [Theory]
        [InlineData("CLOUDFLARE_ACCOUNT_ID=your-account-id")]
        [InlineData("CLOUDFLARE_ACCOUNT_ID=abc")]
        public void Cloudflare_warnings_do_not_apply_to_other_aliases(string account)
        {
            var result = Inspect("openai", "OPENAI_API_KEY=sk-test", account, "CLOUDFLARE_API_TOKEN=xxx");

            Assert.True(result.IsReady);
            Assert.Empty(result.Problems);
        }

        [Fact]
        public void An_invalid_account_gets_the_error_not_also_the_format_warning()
        {
            var result = Inspect(WorkersAi, ApiToken, "CLOUDFLARE_ACCOUNT_ID=your/account");

            Assert.Single(result.Problems);
            Assert.DoesNotContain(result.Problems, p => p.StartsWith("Warning:", StringComparison.Ordinal));
        }

        // ---- Secrets: no value of a TOKEN/KEY/SECRET/PASSWORD variable in any text. ----

        private const string Marker = "DO-NOT-PRINT";

        /// <summary>Every variable the catalog could read, with secret ones holding a distinctive value
        /// shaped by <paramref name="shape"/>, and the non-secret Cloudflare ids set as given.</summary>
        private static DictionaryEnvironmentReader SecretEnvironment(Func<string, string> shape, string? account, string? gateway)
        {
            var values = new Dictionary<string, string>();
            var secretNames = ExpectedAliases.TokenVariables().Concat(new[] { "CLOUDFLARE_AI_GATEWAY_TOKEN" }).Distinct();
            foreach (var name in secretNames)
            {
                values[name] = shape("fake-token-" + Marker + "-1234-" + name);
            }
            if (account != null) values["CLOUDFLARE_ACCOUNT_ID"] = account;
            if (gateway != null) values["CLOUDFLARE_GATEWAY_ID"] = gateway;
            return new DictionaryEnvironmentReader(values);
        }

        public static TheoryData<string, string, string?, string?> SecretShapes()
        {
            var shapes = new[] { "plain", "trailing-newline", "crlf-inside", "leading-space", "control", "placeholder", "slash" };
            var accounts = new[] { "0123456789abcdef0123456789abcdef", "a/b", "your-account-id", null };
            var data = new TheoryData<string, string, string?, string?>();
            foreach (var row in ExpectedAliases.Table)
            {
                foreach (var shape in shapes)
                {
                    data.Add(row.Name, shape, accounts[(shape.Length + row.Name.Length) % accounts.Length], shape == "slash" ? "gw/1" : "gw-9");
                }
            }
            return data;
        }

        private static string Shape(string shape, string value)
        {
            switch (shape)
            {
                case "plain": return value;
                case "trailing-newline": return value + "\n";
                case "crlf-inside": return value.Insert(5, "\r\n");
                case "leading-space": return " " + value;
                case "control": return value.Insert(3, "\u0007");
                case "placeholder": return "your-" + value + "-xxx";
                case "slash": return value.Replace("-", "/");
                default: throw new ArgumentOutOfRangeException(nameof(shape));
            }
        }

        [Theory]
        [MemberData(nameof(SecretShapes))]
        public void No_result_text_ever_contains_a_secret_value(string name, string shape, string? account, string? gateway)
        {
            var env = SecretEnvironment(v => Shape(shape, v), account, gateway);
            var alias = Alias(name);

            var texts = new List<string>();
            Collect(ProviderEnvironmentInspector.Inspect(alias, env), texts);
            Collect(ProviderEnvironmentInspector.GetAliasInfo(alias, env), texts);

            Assert.NotEmpty(texts);
            foreach (var text in texts)
            {
                // The marker is in every secret value (the slash shape turns '-' into '/', so check both spellings).
                Assert.DoesNotContain(Marker, text);
                Assert.DoesNotContain(Marker.Replace("-", "/"), text);
                Assert.DoesNotContain("fake-token", text);
                Assert.DoesNotContain("fake/token", text);
            }
        }

        [Fact]
        public void The_sweep_itself_finds_a_value_when_one_is_there()
        {
            // Guard against a sweep that sees nothing: a non-secret id does appear, in BaseUrl.
            var texts = new List<string>();
            Collect(Inspect(WorkersAi, ApiToken, "CLOUDFLARE_ACCOUNT_ID=visible-account-0042"), texts);
            Assert.Contains(texts, t => t.Contains("visible-account-0042"));
        }

        /// <summary>Every string an object exposes: string properties, string lists, and ToString().</summary>
        private static void Collect(object result, List<string> texts)
        {
            texts.Add(result.ToString() ?? string.Empty);
            foreach (var property in result.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                object? value = property.GetValue(result);
                if (value is string s) texts.Add(s);
                else if (value is IEnumerable items)
                {
                    foreach (var item in items)
                    {
                        if (item != null) texts.Add(item.ToString() ?? string.Empty);
                    }
                }
            }
        }
    }
}
