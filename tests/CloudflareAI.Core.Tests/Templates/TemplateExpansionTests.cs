using System.Linq;
using Xunit;

namespace CloudflareAI.Tests.Templates
{
    /// <summary>Template expansion: every missing name, path-segment values, origin values, header values.</summary>
    public class TemplateExpansionTests
    {
        private const string SegmentTemplate = "https://h.example/accounts/${V}/ai";

        // ---- Missing variables: all of them, sorted, never only the last; empty counts as missing. ----

        public static TheoryData<string, string[], string[]> MissingCases => new TheoryData<string, string[], string[]>
        {
            { "https://h.example/${B}/${A}/${C}", new string[0], new[] { "A", "B", "C" } },
            { "https://h.example/${B}/${A}/${C}", new[] { "A=a" }, new[] { "B", "C" } },
            { "https://h.example/${B}/${A}/${C}", new[] { "C=c" }, new[] { "A", "B" } },
            { "https://h.example/${B}/${A}/${C}", new[] { "A=a", "B=", "C=c" }, new[] { "B" } },
            { "https://h.example/${B}/${A}/${C}", new[] { "A=", "B=", "C=" }, new[] { "A", "B", "C" } },
            // A name used twice is missing once.
            { "https://h.example/${A}/$A/${env:A}", new string[0], new[] { "A" } },
            // Ordinal order: upper case, then '_', then lower case.
            { "https://h.example/${a_lower}/${_under}/${Z_UPPER}", new string[0], new[] { "Z_UPPER", "_under", "a_lower" } },
            // Names are case-sensitive: X and x are two variables.
            { "https://h.example/${x}/${X}", new[] { "X=1" }, new[] { "x" } },
            // The origin variable is reported missing like any other.
            { "${ORIGIN}/accounts/${ACCOUNT}", new string[0], new[] { "ACCOUNT", "ORIGIN" } },
        };

        [Theory]
        [MemberData(nameof(MissingCases))]
        public void Every_missing_or_empty_variable_is_named_sorted(string text, string[] environment, string[] missing)
        {
            var expansion = Template.Parse(text).Expand(TestEnvironment.Of(environment), ExpansionTarget.Url);

            Assert.Null(expansion.Value);
            Assert.False(expansion.Succeeded);
            Assert.Equal(missing, expansion.MissingVariables);
            Assert.Empty(expansion.InvalidVariables);
        }

        [Fact]
        public void Missing_and_invalid_are_reported_together()
        {
            var expansion = Template.Parse("https://h.example/${A}/${B}/${C}")
                .Expand(TestEnvironment.Of("B=b/x"), ExpansionTarget.Url);

            Assert.Null(expansion.Value);
            Assert.Equal(new[] { "A", "C" }, expansion.MissingVariables);
            Assert.Equal(new[] { "B" }, expansion.InvalidVariables.Select(v => v.Name));
        }

        // ---- Path segments. ----

        public static TheoryData<string> RejectedSegments => new TheoryData<string>
        {
            "a/b", "/", "abc/", "a\\b", "a?b", "a#b", "a%2Fb", "%", "a@b", "user@host",
            "a b", " ab", "ab ", "a\tb", "a\nb", "ab\n", "ab\r\n", "a\rb", "a\u00a0b", "a\u2028b",
            "a\u0000b", "a\u0001b", "a\u001fb", "a\u007fb", "a\u0085b",
            "..", ".", "a..b", "...",
        };

        [Theory]
        [MemberData(nameof(RejectedSegments))]
        public void A_path_segment_value_that_would_change_the_URL_is_invalid(string value)
        {
            var expansion = Template.Parse(SegmentTemplate).Expand(TestEnvironment.Of("V=" + value), ExpansionTarget.Url);

            Assert.Null(expansion.Value);
            Assert.Empty(expansion.MissingVariables);
            var invalid = Assert.Single(expansion.InvalidVariables);
            Assert.Equal("V", invalid.Name);
            Assert.False(string.IsNullOrWhiteSpace(invalid.Reason));
            Assert.Equal(invalid.Reason, ValueRules.CheckPathSegment(value));
        }

        public static TheoryData<string> AcceptedSegments => new TheoryData<string>
        {
            "abc", "0123456789abcdef0123456789abcdef", "acc-123", "gw_9", "gw-9", "a.b", ".a", "a.", "a:b", "a~b",
            "a+b", "a=b", "a;b", "A", "<account-id>",
        };

        [Theory]
        [MemberData(nameof(AcceptedSegments))]
        public void An_ordinary_path_segment_value_is_substituted_verbatim(string value)
        {
            var expansion = Template.Parse(SegmentTemplate).Expand(TestEnvironment.Of("V=" + value), ExpansionTarget.Url);

            Assert.Empty(expansion.InvalidVariables);
            Assert.Equal("https://h.example/accounts/" + value + "/ai", expansion.Value);
            Assert.Null(ValueRules.CheckPathSegment(value));
        }

        public static TheoryData<string> DistinctiveBadSegments => new TheoryData<string>
        {
            "acct/Distinct-VALUE-9f3e", "acct\\Distinct-VALUE-9f3e", "acct?Distinct-VALUE-9f3e", "acct#Distinct-VALUE-9f3e",
            "acct%Distinct-VALUE-9f3e", "acct Distinct-VALUE-9f3e", "acct\tDistinct-VALUE-9f3e", "Distinct-VALUE-9f3e\n",
            "acct\u0007Distinct-VALUE-9f3e", "acct..Distinct-VALUE-9f3e", "acct@Distinct-VALUE-9f3e",
        };

        [Theory]
        [MemberData(nameof(DistinctiveBadSegments))]
        public void The_reason_never_quotes_the_value(string value)
        {
            var expansion = Template.Parse(SegmentTemplate).Expand(TestEnvironment.Of("V=" + value), ExpansionTarget.Url);

            var invalid = Assert.Single(expansion.InvalidVariables);
            Assert.DoesNotContain("Distinct-VALUE", invalid.Reason);
            Assert.DoesNotContain("acct", invalid.Reason);
        }

        [Fact]
        public void A_variable_used_twice_with_a_bad_value_is_reported_once()
        {
            var expansion = Template.Parse("https://h.example/${V}/x/${V}").Expand(TestEnvironment.Of("V=a/b"), ExpansionTarget.Url);

            Assert.Equal(new[] { "V" }, expansion.InvalidVariables.Select(v => v.Name));
        }

        [Fact]
        public void Every_invalid_variable_is_reported()
        {
            var expansion = Template.Parse("https://h.example/${A}/${B}/${C}")
                .Expand(TestEnvironment.Of("A=a/1", "B=fine", "C=.."), ExpansionTarget.Url);

            Assert.Null(expansion.Value);
            Assert.Equal(new[] { "A", "C" }, expansion.InvalidVariables.Select(v => v.Name).OrderBy(n => n, System.StringComparer.Ordinal));
        }

        // ---- Origins: a template that starts with a reference takes the scheme and host from it. ----

        public static TheoryData<string, string> AcceptedOrigins => new TheoryData<string, string>
        {
            // value, expansion of "${ORIGIN}/v1"
            { "https://x.example.com", "https://x.example.com/v1" },
            { "https://x.example.com/", "https://x.example.com/v1" },
            { "http://127.0.0.1:8080", "http://127.0.0.1:8080/v1" },
            { "http://127.0.0.1:8080/", "http://127.0.0.1:8080/v1" },
            { "http://localhost:11434", "http://localhost:11434/v1" },
            { "http://[::1]:8080", "http://[::1]:8080/v1" },
            { "https://my-resource.openai.azure.com/", "https://my-resource.openai.azure.com/v1" },
            // A base path in the origin variable is kept (upstream's DMR_BASE_URL row, self-hosted servers).
            { "http://localhost:12434/engines", "http://localhost:12434/engines/v1" },
            { "http://localhost:12434/engines/", "http://localhost:12434/engines/v1" },
            { "https://x.example.com/a.b/v.1", "https://x.example.com/a.b/v.1/v1" },
        };

        [Theory]
        [MemberData(nameof(AcceptedOrigins))]
        public void An_absolute_http_or_https_origin_is_accepted_and_its_trailing_slash_trimmed(string value, string expected)
        {
            foreach (var text in new[] { "${ORIGIN}/v1", "$ORIGIN/v1", "${env:ORIGIN}/v1", "$env:ORIGIN/v1" })
            {
                var expansion = Template.Parse(text).Expand(TestEnvironment.Of("ORIGIN=" + value), ExpansionTarget.Url);
                Assert.Empty(expansion.InvalidVariables);
                Assert.Equal(expected, expansion.Value);
            }
        }

        public static TheoryData<string> RejectedOrigins => new TheoryData<string>
        {
            "ftp://x", "ftp://x.example.com", "file:///etc/passwd", "mailto:a@x.example.com", "ws://x.example.com",
            "x.example.com", "x.example.com/v1", "localhost:8080", "//x.example.com", "/just/a/path",
            "https://user:pw@x", "https://user@x.example.com",
            "https://x?y", "https://x.example.com/?y=1", "https://x.example.com?", "https://x#y", "https://x.example.com/#",
            "https://x .example.com", " https://x.example.com", "https://x.example.com\n", "https://x.example.com\t",
            "https://", "http:",
            // A base path is allowed, but not one that moves up the path or reads as an escape.
            "https://x.example.com/a/../b", "https://x.example.com/..", "https://x.example.com/./v1", "https://x.example.com/a%2Fb",
            "https://x.example.com/%2e%2e", "https://x.example.com\\@y.example.com", "https://x.example.com/a\\b",
        };

        [Theory]
        [MemberData(nameof(RejectedOrigins))]
        public void Anything_but_an_absolute_http_origin_is_invalid_where_the_template_starts(string value)
        {
            var expansion = Template.Parse("${ORIGIN}/v1").Expand(TestEnvironment.Of("ORIGIN=" + value), ExpansionTarget.Url);

            Assert.Null(expansion.Value);
            var invalid = Assert.Single(expansion.InvalidVariables);
            Assert.Equal("ORIGIN", invalid.Name);
            Assert.NotNull(ValueRules.CheckOrigin(value, out var origin));
            Assert.Null(origin);
        }

        [Theory]
        [InlineData("https://user:Distinct-PW-77aa@x.example.com")]
        [InlineData("https://x.example.com/?key=Distinct-PW-77aa")]
        [InlineData("https://x.example.com/#Distinct-PW-77aa")]
        [InlineData("ftp://Distinct-PW-77aa")]
        public void The_origin_reason_never_quotes_the_value(string value)
        {
            var expansion = Template.Parse("${ORIGIN}/v1").Expand(TestEnvironment.Of("ORIGIN=" + value), ExpansionTarget.Url);

            Assert.DoesNotContain("Distinct-PW", Assert.Single(expansion.InvalidVariables).Reason);
        }

        [Fact]
        public void Origin_rules_apply_only_at_the_start_a_later_reference_is_a_path_segment()
        {
            var env = TestEnvironment.Of("ORIGIN=https://x.example.com", "SEG=abc");

            Assert.Equal("V", Assert.Single(Template.Parse("https://h.example/${V}").Expand(TestEnvironment.Of("V=https://x.example.com"), ExpansionTarget.Url).InvalidVariables).Name);
            Assert.Equal("https://x.example.com/abc", Template.Parse("${ORIGIN}/${SEG}").Expand(env, ExpansionTarget.Url).Value);
            // A literal first makes the first reference a segment, even if the literal is only "$".
            Assert.Single(Template.Parse("$$${ORIGIN}").Expand(env, ExpansionTarget.Url).InvalidVariables);
            // An origin value is not a path segment: "abc" cannot open a URL.
            Assert.Single(Template.Parse("${SEG}/v1").Expand(env, ExpansionTarget.Url).InvalidVariables);
        }

        // ---- Header values. ----

        public static TheoryData<string> AcceptedHeaderValues => new TheoryData<string>
        {
            "abc", "abc/def", "a?b#c%d@e", "has spaces inside", "a\tb", "..", "https://x.example.com/", "not-a-url", "Bearer x.y.z",
        };

        [Theory]
        [MemberData(nameof(AcceptedHeaderValues))]
        public void A_header_value_may_hold_anything_but_line_breaks_and_controls(string value)
        {
            var expansion = Template.Parse("Bearer ${T}").Expand(TestEnvironment.Of("T=" + value), ExpansionTarget.HeaderValue);
            Assert.Equal("Bearer " + value, expansion.Value);

            // No origin rule for headers either: a value opening the template is taken as is.
            var whole = Template.Parse("${T}").Expand(TestEnvironment.Of("T=" + value), ExpansionTarget.HeaderValue);
            Assert.Equal(value, whole.Value);
        }

        public static TheoryData<string> RejectedHeaderValues => new TheoryData<string>
        {
            "a\r\nb", "a\nb", "a\rb", "ab\n", "ab\r\n", "\nab", "a\u0000b", "a\u001bb", "a\u007fb",
        };

        [Theory]
        [MemberData(nameof(RejectedHeaderValues))]
        public void A_header_value_with_a_line_break_or_control_character_is_invalid(string value)
        {
            var expansion = Template.Parse("Bearer ${T}").Expand(TestEnvironment.Of("T=Distinct-HDR-5151" + value), ExpansionTarget.HeaderValue);

            Assert.Null(expansion.Value);
            var invalid = Assert.Single(expansion.InvalidVariables);
            Assert.Equal("T", invalid.Name);
            Assert.DoesNotContain("Distinct-HDR", invalid.Reason);
            Assert.NotNull(ValueRules.CheckHeaderValue(value));
        }

        public static TheoryData<string, int> LiteralLineBreakTemplates => new TheoryData<string, int>
        {
            // template, 1-based position of the first offending character
            { "a\r\nb", 2 },
            { "a\nb", 2 },
            { "Bearer ${T}\r\nX-Injected: 1", 12 },
            { "\nBearer", 1 },
            { "x\u0000", 2 },
        };

        [Theory]
        [MemberData(nameof(LiteralLineBreakTemplates))]
        public void A_header_template_with_a_literal_line_break_is_an_error_at_its_position(string text, int position)
        {
            var template = Template.Parse(text);

            var error = Assert.Throws<TemplateSyntaxException>(() => template.Expand(TestEnvironment.Of("T=fine"), ExpansionTarget.HeaderValue));
            Assert.Equal("UrlTemplateInvalid", error.ErrorId);
            Assert.Equal(position, error.Position);
            Assert.Contains($"position {position}", error.Message);

            // Even when a variable is also missing, the broken template is reported first.
            Assert.Throws<TemplateSyntaxException>(() => template.Expand(TestEnvironment.Of(), ExpansionTarget.HeaderValue));
        }

        [Theory]
        [InlineData("Bearer ${T}", new string[0])]
        [InlineData("Bearer ${T}", new[] { "T=" })]
        [InlineData("${T}", new[] { "T=" })]
        public void An_empty_header_value_is_missing(string text, string[] environment)
        {
            var expansion = Template.Parse(text).Expand(TestEnvironment.Of(environment), ExpansionTarget.HeaderValue);

            Assert.Null(expansion.Value);
            Assert.Equal(new[] { "T" }, expansion.MissingVariables);
        }

        [Fact]
        public void A_header_value_keeps_a_tab()
        {
            Assert.Equal("a\tb", Template.Parse("a\t${T}").Expand(TestEnvironment.Of("T=b"), ExpansionTarget.HeaderValue).Value);
        }

        [Fact]
        public void The_github_copilot_header_template_expands_to_itself()
        {
            var expansion = Template.Parse("copilot-developer-cli").Expand(TestEnvironment.Of(), ExpansionTarget.HeaderValue);
            Assert.Equal("copilot-developer-cli", expansion.Value);
        }
    }
}
