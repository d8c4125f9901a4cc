using Xunit;

namespace CloudflareAI.Tests.Templates
{
    /// <summary>
    /// The expansion and reference cases of the original Go implementation (upstream), each carrying this module's
    /// expected result. Where this module deliberately differs from upstream the row says so and why.
    /// </summary>
    public class UpstreamExpansionTableTests
    {
        private const string WorkersAi = "https://api.cloudflare.com/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1";
        private const string Gateway = "https://gateway.ai.cloudflare.com/v1/${CLOUDFLARE_ACCOUNT_ID}/${CLOUDFLARE_GATEWAY_ID}/compat";

        public static TheoryData<string, string, string[], string?, string[]> UrlRows => new TheoryData<string, string, string[], string?, string[]>
        {
            // row, template, environment, expected URL (null: not resolved), expected missing variables
            { "workers-ai, account abc", WorkersAi, new[] { "CLOUDFLARE_ACCOUNT_ID=abc" },
                "https://api.cloudflare.com/client/v4/accounts/abc/ai/v1", new string[0] },
            { "gateway, account and gateway", Gateway, new[] { "CLOUDFLARE_ACCOUNT_ID=acc-123", "CLOUDFLARE_GATEWAY_ID=gw-9" },
                "https://gateway.ai.cloudflare.com/v1/acc-123/gw-9/compat", new string[0] },
            { "workers-ai, nothing set", WorkersAi, new string[0],
                null, new[] { "CLOUDFLARE_ACCOUNT_ID" } },
            // Differs: upstream lets an empty value through and dials .../accounts//ai/v1; an empty value is missing.
            { "workers-ai, account empty", WorkersAi, new[] { "CLOUDFLARE_ACCOUNT_ID=" },
                null, new[] { "CLOUDFLARE_ACCOUNT_ID" } },
            { "gateway, account only", Gateway, new[] { "CLOUDFLARE_ACCOUNT_ID=acc-123" },
                null, new[] { "CLOUDFLARE_GATEWAY_ID" } },
            { "gateway, gateway only", Gateway, new[] { "CLOUDFLARE_GATEWAY_ID=gw-9" },
                null, new[] { "CLOUDFLARE_ACCOUNT_ID" } },
            // Differs: upstream names only the last miss (CLOUDFLARE_GATEWAY_ID); here every one is named, sorted.
            { "gateway, nothing set", Gateway, new string[0],
                null, new[] { "CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_GATEWAY_ID" } },
            // Differs (as above): both empty are both missing, not '//' in the URL.
            { "gateway, both empty", Gateway, new[] { "CLOUDFLARE_ACCOUNT_ID=", "CLOUDFLARE_GATEWAY_ID=" },
                null, new[] { "CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_GATEWAY_ID" } },
            // A whole base URL from one variable.
            { "dmr base url", "${env.DMR_BASE_URL}", new[] { "DMR_BASE_URL=http://localhost:12434/engines/v1" },
                "http://localhost:12434/engines/v1", new string[0] },
            { "static url, empty environment", "https://api.openai.com/v1", new string[0],
                "https://api.openai.com/v1", new string[0] },
        };

        [Theory]
        [MemberData(nameof(UrlRows))]
        public void Url_rows(string row, string text, string[] environment, string? expected, string[] missing)
        {
            var expansion = Template.Parse(text).Expand(TestEnvironment.Of(environment), ExpansionTarget.Url);

            Assert.True(expected == expansion.Value, $"{row}: expected '{expected}', got '{expansion.Value}'");
            Assert.Equal(missing, expansion.MissingVariables);
            Assert.Empty(expansion.InvalidVariables);
            Assert.Equal(expected != null, expansion.Succeeded);
        }

        public static TheoryData<string, string[], string> GeneralRows => new TheoryData<string, string[], string>
        {
            // template, environment, expected expansion (a value, not a URL: header-value rules)
            { "${env.X}", new[] { "X=1" }, "1" },
            { "${ env.X }", new[] { "X=1" }, "1" },
            // Differs: upstream looks up a variable named " X " and fails; spaces inside braces are allowed.
            { "${ X }", new[] { "X=1" }, "1" },
            { "$X/y", new[] { "X=1" }, "1/y" },
            { "$X-y", new[] { "X=1" }, "1-y" },
            // Differs: upstream reads $$ as the shell's special variable '$' and fails; $$ is a literal dollar sign.
            { "a$$b", new string[0], "a$b" },
            // Backslash does not escape, as upstream.
            { "\\${X}", new[] { "X=1" }, "\\1" },
            // Bare $env is an ordinary variable named env, then the literal '.X', as upstream.
            { "$env.X", new[] { "env=E" }, "E.X" },
            { "@cf/meta/llama-3.3-70b-instruct-fp8-fast", new string[0], "@cf/meta/llama-3.3-70b-instruct-fp8-fast" },
            // Upstream's env-file rows.
            { "Hello $USER", new[] { "USER=alice", "HOME=/Users/alice" }, "Hello alice" },
            { "Your home is at $HOME", new[] { "USER=alice", "HOME=/Users/alice" }, "Your home is at /Users/alice" },
            { "No variable here", new[] { "USER=alice" }, "No variable here" },
            { "${env.USER}", new[] { "USER=alice" }, "alice" },
            { "${ env.USER }", new[] { "USER=alice" }, "alice" },
            { "hi ${env.USER}!", new[] { "USER=alice" }, "hi alice!" },
            // Upstream's model-field rows.
            { "${env.NEMOTRON3_MODEL}", new[] { "NEMOTRON3_MODEL=huggingface.co/unsloth/nemotron-3-nano-30b-a3b-gguf:Q3_K_M" },
                "huggingface.co/unsloth/nemotron-3-nano-30b-a3b-gguf:Q3_K_M" },
            { "${MY_MODEL}", new[] { "MY_MODEL=gpt-4o" }, "gpt-4o" },
            { "gpt-4o", new string[0], "gpt-4o" },
        };

        [Theory]
        [MemberData(nameof(GeneralRows))]
        public void General_rows(string text, string[] environment, string expected)
        {
            var expansion = Template.Parse(text).Expand(TestEnvironment.Of(environment), ExpansionTarget.HeaderValue);

            Assert.Empty(expansion.MissingVariables);
            Assert.Empty(expansion.InvalidVariables);
            Assert.Equal(expected, expansion.Value);
        }

        public static TheoryData<string, string[], string[]> MissingRows => new TheoryData<string, string[], string[]>
        {
            // An unset variable is an error naming it.
            { "${env.NOT_SET_MODEL}", new string[0], new[] { "NOT_SET_MODEL" } },
            { "Hello $USER", new string[0], new[] { "USER" } },
            // Differs: upstream's ExpandAll gives "" for EMPTY_VAR=""; an empty value is missing.
            { "$EMPTY_VAR", new[] { "EMPTY_VAR=" }, new[] { "EMPTY_VAR" } },
            { "${env.X}", new[] { "X=" }, new[] { "X" } },
        };

        [Theory]
        [MemberData(nameof(MissingRows))]
        public void Missing_rows(string text, string[] environment, string[] missing)
        {
            var expansion = Template.Parse(text).Expand(TestEnvironment.Of(environment), ExpansionTarget.HeaderValue);

            Assert.Null(expansion.Value);
            Assert.False(expansion.Succeeded);
            Assert.Equal(missing, expansion.MissingVariables);
        }

        public static TheoryData<string, int> ErrorRows => new TheoryData<string, int>
        {
            // template, position. Upstream fails these at lookup time ("variable ... not set"); here they are
            // syntax errors, found before the environment is read.
            { "${X:-def}", 1 },
            { "${env.X || 'd'}", 1 },
            { "price $5", 7 },
            // Same verdict as upstream: the alias form is lower-case 'env.' only.
            { "${ENV.X}", 1 },
            { "${env.env.X}", 1 },
            // Differs: upstream keeps a '$' at the end or before a non-name character as literal text; here it is an
            // error at its position, so a typo is not sent.
            { "end$", 4 },
            { "a$/b", 2 },
            // Differs: upstream silently removes an empty ${} and an unterminated ${ (giving "ab").
            { "a${}b", 2 },
            { "a${b", 2 },
        };

        [Theory]
        [MemberData(nameof(ErrorRows))]
        public void Error_rows(string text, int position)
        {
            var error = Assert.Throws<TemplateSyntaxException>(() => Template.Parse(text));
            Assert.Equal("UrlTemplateInvalid", error.ErrorId);
            Assert.Equal(position, error.Position);
        }

        public static TheoryData<string, string[]> RefsRows => new TheoryData<string, string[]>
        {
            // Upstream's reference rows. Upstream returns nil for "no references"; here it is an empty list.
            { "", new string[0] },
            { "huggingface.co/unsloth/model:Q3_K_M", new string[0] },
            { "${env.NEMOTRON3_MODEL}", new[] { "NEMOTRON3_MODEL" } },
            { "${DMR_BASE_URL}", new[] { "DMR_BASE_URL" } },
            { "$MODEL", new[] { "MODEL" } },
            { "http://${env.HOST}:${PORT}/v1", new[] { "HOST", "PORT" } },
            { "${env.X}-${X}", new[] { "X" } },
            // First-seen order, not sorted (the sorting happens when an alias's requirements are gathered).
            { "${B}/${A}/${B}/$A/$C", new[] { "B", "A", "C" } },
            { "${env:Z}-$env:Y-${ X }", new[] { "Z", "Y", "X" } },
            { WorkersAi, new[] { "CLOUDFLARE_ACCOUNT_ID" } },
            { Gateway, new[] { "CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_GATEWAY_ID" } },
            // Differs: upstream's Refs gives the name "$" for $$; here $$ is literal text and names nothing.
            { "a$$b", new string[0] },
            { "$env.X", new[] { "env" } },
        };

        [Theory]
        [MemberData(nameof(RefsRows))]
        public void References_rows(string text, string[] expected)
        {
            Assert.Equal(expected, Template.Parse(text).References);
        }

        [Fact]
        public void References_of_a_default_value_form_is_an_error_not_an_odd_name()
        {
            // Differs: upstream's Refs yields the name "X:-d"; here the template is rejected.
            Assert.False(Template.TryParse("${X:-d}", out _, out var error));
            Assert.Equal(1, error!.Position);
        }
    }
}
