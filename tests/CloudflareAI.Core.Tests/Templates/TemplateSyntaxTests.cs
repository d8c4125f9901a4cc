using System.Linq;
using Xunit;

namespace CloudflareAI.Tests.Templates
{
    /// <summary>The template syntax (docs/providers/concepts.md): every accepted form and every rejected one, with
    /// its 1-based position.</summary>
    public class TemplateSyntaxTests
    {
        // One environment for every accepted row. Values are distinct so a row that picks the wrong variable fails.
        private static readonly CloudflareAI.Environment.IEnvironmentReader Environment =
            TestEnvironment.Of("X=1", "Y=2", "env=E", "ENV=upper-env", "_U=u", "A1=a1", "NAME=val");

        public static TheoryData<string, string, string[]> AcceptedTemplates => new TheoryData<string, string, string[]>
        {
            // template, expansion (header-value use, so no URL rules get in the way), references
            { "${X}", "1", new[] { "X" } },
            { "${env.X}", "1", new[] { "X" } },
            { "${env:X}", "1", new[] { "X" } },
            { "${ENV:X}", "1", new[] { "X" } },
            { "${Env:X}", "1", new[] { "X" } },
            { "${eNv:X}", "1", new[] { "X" } },
            { "${ X }", "1", new[] { "X" } },
            { "${   X   }", "1", new[] { "X" } },
            { "${X }", "1", new[] { "X" } },
            { "${ X}", "1", new[] { "X" } },
            { "${ env.X }", "1", new[] { "X" } },
            { "${ env:X }", "1", new[] { "X" } },
            { "${ ENV:X }", "1", new[] { "X" } },
            { "${_U}", "u", new[] { "_U" } },
            { "${A1}", "a1", new[] { "A1" } },
            { "${NAME}", "val", new[] { "NAME" } },
            { "$X", "1", new[] { "X" } },
            { "$X/y", "1/y", new[] { "X" } },
            { "$X-y", "1-y", new[] { "X" } },
            { "$X.y", "1.y", new[] { "X" } },
            { "$X:y", "1:y", new[] { "X" } },
            { "$X y", "1 y", new[] { "X" } },
            { "$X$Y", "12", new[] { "X", "Y" } },
            { "$_U", "u", new[] { "_U" } },
            { "$A1/x", "a1/x", new[] { "A1" } },
            { "$env:X", "1", new[] { "X" } },
            { "$ENV:X", "1", new[] { "X" } },
            { "$Env:X/y", "1/y", new[] { "X" } },
            { "$env:NAME-$env:X", "val-1", new[] { "NAME", "X" } },
            // A bare $env not followed by ':' and a name is the variable called env.
            { "$env.X", "E.X", new[] { "env" } },
            { "$env", "E", new[] { "env" } },
            { "$ENV", "upper-env", new[] { "ENV" } },
            { "$$", "$", new string[0] },
            { "a$$b", "a$b", new string[0] },
            { "$$X", "$X", new string[0] },
            { "$${X}", "${X}", new string[0] },
            { "$$$X", "$1", new[] { "X" } },
            { "cost: $$5", "cost: $5", new string[0] },
            { "\\${X}", "\\1", new[] { "X" } },
            { "${X}}", "1}", new[] { "X" } },
            { "x{$X}", "x{1}", new[] { "X" } },
            { "${X}${Y}", "12", new[] { "X", "Y" } },
            { "${Y}-${X}-${Y}", "2-1-2", new[] { "Y", "X" } },
            { "${X}-$X-${env.X}-$env:X-${env:X}", "1-1-1-1-1", new[] { "X" } },
            { "@cf/meta/llama-3.3-70b-instruct-fp8-fast", "@cf/meta/llama-3.3-70b-instruct-fp8-fast", new string[0] },
            { "", "", new string[0] },
            { "no variables at all", "no variables at all", new string[0] },
        };

        [Theory]
        [MemberData(nameof(AcceptedTemplates))]
        public void Accepted_template_expands_and_lists_its_references(string text, string expected, string[] references)
        {
            var template = Template.Parse(text);

            Assert.Equal(text, template.Text);
            Assert.Equal(references, template.References);
            var expansion = template.Expand(Environment, ExpansionTarget.HeaderValue);
            Assert.Empty(expansion.MissingVariables);
            Assert.Empty(expansion.InvalidVariables);
            Assert.True(expansion.Succeeded);
            Assert.Equal(expected, expansion.Value);
        }

        [Theory]
        [MemberData(nameof(AcceptedTemplates))]
        public void TryParse_accepts_what_Parse_accepts(string text, string expected, string[] references)
        {
            _ = expected;
            Assert.True(Template.TryParse(text, out var template, out var error));
            Assert.Null(error);
            Assert.NotNull(template);
            Assert.Equal(references, template!.References);
        }

        public static TheoryData<string, int> RejectedTemplates => new TheoryData<string, int>
        {
            // template, 1-based position of the '$' that starts the bad reference
            { "${X:-d}", 1 },
            { "${X:-}", 1 },
            { "${env.X || 'd'}", 1 },
            { "${X || 'd'}", 1 },
            { "${}", 1 },
            { "${ }", 1 },
            { "${   }", 1 },
            { "${X", 1 },
            { "${", 1 },
            { "abc${X", 4 },
            { "$5", 1 },
            { "price $5", 7 },
            { "end$", 4 },
            { "$", 1 },
            { "a$/b", 2 },
            { "$ X", 1 },
            { "$-x", 1 },
            { "$@", 1 },
            { "$*", 1 },
            { "$#", 1 },
            { "$?", 1 },
            { "$!", 1 },
            { "$.", 1 },
            // Upper-case 'ENV.' with a dot is not the alias form (upstream accepts lower-case 'env.' only); 'ENV:' is.
            { "${ENV.X}", 1 },
            { "${Env.X}", 1 },
            { "${env.env.X}", 1 },
            { "${env.}", 1 },
            { "${env:}", 1 },
            { "${env: X}", 1 },
            { "${env. X}", 1 },
            { "${5X}", 1 },
            { "${X-Y}", 1 },
            { "${X Y}", 1 },
            { "${X.Y}", 1 },
            { "${$X}", 1 },
            { "${X${Y}}", 1 },
            { "${X}$", 5 },
            { "$$$", 3 },
            { "a${}b", 2 },
            { "a${b", 2 },
            { "x ${ X Y }", 3 },
            { "https://h/${X}/${}", 16 },
            { "https://h/$X/$9", 14 },
            { "$X/${Y:-fallback}", 4 },
            // '$env:' promises a name: a digit, another character or the end after it is an error at the character
            // after the colon, not a variable called env followed by text.
            { "$env:5", 6 },
            { "$env:", 6 },
            { "https://h/$env:/v1", 16 },
            { "$ENV:-x", 6 },
        };

        [Theory]
        [MemberData(nameof(RejectedTemplates))]
        public void Rejected_template_throws_UrlTemplateInvalid_naming_the_position(string text, int position)
        {
            var error = Assert.Throws<TemplateSyntaxException>(() => Template.Parse(text));

            Assert.Equal("UrlTemplateInvalid", error.ErrorId);
            Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
            Assert.Equal(position, error.Position);
            Assert.Equal(text, error.Template);
            Assert.Contains($"position {position}", error.Message);
            Assert.False(string.IsNullOrWhiteSpace(error.Reason));
            Assert.False(string.IsNullOrWhiteSpace(error.RecommendedAction));
        }

        [Theory]
        [MemberData(nameof(RejectedTemplates))]
        public void TryParse_reports_the_same_error_without_throwing(string text, int position)
        {
            Assert.False(Template.TryParse(text, out var template, out var error));
            Assert.Null(template);
            Assert.NotNull(error);
            Assert.Equal(position, error!.Position);
            Assert.Equal("UrlTemplateInvalid", error.ErrorId);
        }

        [Theory]
        [InlineData("${X:-d}")]
        [InlineData("${env.X || 'd'}")]
        public void A_default_value_is_named_as_unsupported(string text)
        {
            var error = Assert.Throws<TemplateSyntaxException>(() => Template.Parse(text));
            Assert.Contains("default", error.Reason);
        }

        [Fact]
        public void Parts_carry_literals_and_variable_positions()
        {
            var template = Template.Parse("ab${X}c$Y$$d${ env:Z }");

            var parts = template.Parts.Select(p => (p.Text, p.IsVariable, p.Position)).ToArray();
            Assert.Equal(
                new[]
                {
                    ("ab", false, 0),
                    ("X", true, 3),
                    ("c", false, 0),
                    ("Y", true, 8),
                    ("$d", false, 0),
                    ("Z", true, 13),
                },
                parts);
        }

        [Theory]
        [InlineData("${ORIGIN}/v1", "ORIGIN")]
        [InlineData("$ORIGIN/v1", "ORIGIN")]
        [InlineData("${env:ORIGIN}", "ORIGIN")]
        [InlineData("$env:ORIGIN/openai", "ORIGIN")]
        [InlineData("https://${HOST}/v1", null)]
        [InlineData("$${X}", null)]
        [InlineData("https://api.openai.com/v1", null)]
        [InlineData("", null)]
        public void OriginVariable_is_the_reference_that_opens_the_template(string text, string? expected)
        {
            Assert.Equal(expected, Template.Parse(text).OriginVariable);
        }

        [Fact]
        public void Parse_refuses_null()
        {
            Assert.Throws<System.ArgumentNullException>(() => Template.Parse(null!));
        }
    }
}
