using System.Linq;
using System.Text;
using Xunit;

namespace CloudflareAI.Tests.Aliases
{
    /// <summary>Reading the providers file: every field, the schema's rules, the line of every problem, and no secret in the file.</summary>
    public class ProvidersFileParserTests
    {
        private static ProviderConfigException Refused(string text) =>
            Assert.Throws<ProviderConfigException>(() => ProvidersFiles.Parse(text));

        [Fact]
        public void Reads_every_field_of_an_entry_and_the_top_level_fields()
        {
            var file = ProvidersFiles.Parse(@"{
  ""$schema"": ""file:///opt/CloudflareAI/CloudflareAI.providers.schema.json"",
  ""autoSelect"": [""my-vllm"", ""cloudflare-workers-ai""],
  ""providers"": [
    {
      ""name"": ""my-vllm"",
      ""baseUrl"": ""http://127.0.0.1:${VLLM_PORT}/v1"",
      ""tokenVariable"": ""VLLM_API_KEY"",
      ""tokenHeader"": ""api-key"",
      ""headers"": { ""X-Team"": ""ml"", ""cf-aig-authorization"": ""Bearer ${WORK_AIG_TOKEN}"" },
      ""defaultModel"": ""qwen3"",
      ""defaultEmbeddingModel"": ""bge-m3"",
      ""coalescesSystemMessages"": true,
      ""isGateway"": false,
      ""description"": ""vLLM on this machine"",
      ""documentationUrl"": ""https://docs.vllm.ai/""
    }
  ]
}");
            Assert.Equal("file:///opt/CloudflareAI/CloudflareAI.providers.schema.json", file.Schema);
            Assert.Equal(new[] { "my-vllm", "cloudflare-workers-ai" }, file.AutoSelect);
            Assert.Equal(new[] { 3, 3 }, file.AutoSelectLines);
            var entry = Assert.Single(file.Providers);
            Assert.Equal(5, entry.Line);
            Assert.Equal("my-vllm", entry.Name);
            Assert.Equal("http://127.0.0.1:${VLLM_PORT}/v1", entry.BaseUrl);
            Assert.Equal("VLLM_API_KEY", entry.TokenVariable);
            Assert.Equal("api-key", entry.TokenHeader);
            Assert.Equal(new[] { "X-Team", "cf-aig-authorization" }, entry.Headers!.Select(h => h.Key));
            Assert.Equal("Bearer ${WORK_AIG_TOKEN}", entry.FindHeader("CF-AIG-Authorization"));
            Assert.Equal("qwen3", entry.DefaultModel);
            Assert.Equal("bge-m3", entry.DefaultEmbeddingModel);
            Assert.True(entry.CoalescesSystemMessages);
            Assert.False(entry.IsGateway);
            Assert.Equal("vLLM on this machine", entry.Description);
            Assert.Equal("https://docs.vllm.ai/", entry.DocumentationUrl);
        }

        [Fact]
        public void Fields_an_entry_leaves_out_stay_null_so_an_override_sets_only_what_it_names()
        {
            var entry = Assert.Single(ProvidersFiles.Parse(@"{ ""providers"": [ { ""name"": ""cloudflare-workers-ai"", ""defaultModel"": ""@cf/new"" } ] }").Providers);
            Assert.Null(entry.BaseUrl);
            Assert.Null(entry.TokenVariable);
            Assert.Null(entry.Headers);
            Assert.Null(entry.CoalescesSystemMessages);
            Assert.Null(entry.IsGateway);
        }

        [Fact]
        public void A_UTF8_byte_order_mark_is_skipped()
        {
            byte[] text = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(@"{ ""providers"": [] }")).ToArray();
            Assert.Empty(ProvidersFileParser.Parse("/cfg/providers.json", text).Providers);
        }

        [Theory]
        [InlineData("{\n  \"providers\": [\n    { \"name\": \"a\", }\n  ]\n}", 3)]      // trailing comma
        [InlineData("{\n  \"providers\": [\n\n    { \"name\": \"a\" \n", 5)]           // ends early
        [InlineData("// a comment\n{ }", 1)]
        public void Text_that_is_not_JSON_names_the_file_and_the_line(string text, int line)
        {
            var e = Refused(text);
            Assert.Equal(ErrorIds.ProviderConfigInvalid, e.ErrorId);
            Assert.Equal(ErrorKind.InvalidData, e.Kind);
            Assert.Equal(line, e.Line);
            Assert.Contains("/cfg/providers.json, line " + line, e.Message);
            Assert.Contains("not valid JSON", e.Message);
        }

        public static TheoryData<string, int, string> SchemaBreaks => new TheoryData<string, int, string>
        {
            { "[]", 1, "must hold a JSON object" },
            { "{\n  \"aliases\": []\n}", 2, "'aliases' is not a field of the file" },
            { "{\n  \"providers\": {}\n}", 2, "'providers' must be an array" },
            { "{\n \"providers\": [\n  { \"name\": \"a\",\n    \"baseurl\": \"http://x\" }\n ]\n}", 4, "'baseurl' is not a field of an entry" },
            { "{\n \"providers\": [\n  { \"name\": \"My-Alias\", \"baseUrl\": \"http://x\" } ] }", 3, "'My-Alias' is not an alias name" },
            { "{\n \"providers\": [\n  { \"name\": \"-a\", \"baseUrl\": \"http://x\" } ] }", 3, "'-a' is not an alias name" },
            { "{\n \"providers\": [\n  { \"baseUrl\": \"http://x\" } ] }", 3, "has no 'name'" },
            { "{ \"providers\": [\n  { \"name\": \"a\",\n \"coalescesSystemMessages\": \"yes\" } ] }", 3, "must be true or false" },
            { "{ \"providers\": [\n  { \"name\": \"a\", \"baseUrl\": \"\" } ] }", 2, "'baseUrl' must not be empty" },
            { "{ \"providers\": [\n  { \"name\": \"a\", \"tokenVariable\": \"${KEY}\" } ] }", 2, "'tokenVariable' must be an environment variable name" },
            { "{ \"providers\": [\n  { \"name\": \"a\", \"tokenHeader\": \"api key\" } ] }", 2, "'tokenHeader' is not a valid HTTP header name" },
            { "{ \"providers\": [\n  { \"name\": \"a\", \"headers\": { \"X-A\": 5 } } ] }", 2, "header 'X-A' must be a string" },
            { "{ \"providers\": [\n  { \"name\": \"a\", \"documentationUrl\": \"docs.example\" } ] }", 2, "'documentationUrl' must be an http:// or https:// address" },
            { "{ \"autoSelect\": [\n \"a\",\n \"a\" ] }", 3, "'a' appears twice in 'autoSelect'" },
            { "{ \"autoSelect\": [ 1 ] }", 1, "alias names (strings) only" },
            { "{ \"providers\": [],\n \"providers\": [] }", 2, "'providers' appears twice" },
            { "{ \"providers\": [\n { \"name\": \"a\", \"baseUrl\": \"http://x\" },\n { \"name\": \"a\", \"baseUrl\": \"http://y\" } ] }", 3, "a second entry has this name" },
        };

        [Theory]
        [MemberData(nameof(SchemaBreaks))]
        public void A_file_that_breaks_the_schema_names_the_line_and_the_rule(string text, int line, string reason)
        {
            var e = Refused(text);
            Assert.Equal(line, e.Line);
            Assert.Contains(reason, e.Message);
        }

        [Theory]
        [InlineData("Authorization", "Bearer sk-live-0123456789")]
        [InlineData("cf-aig-authorization", "Bearer cfut_0123456789")]
        [InlineData("api-key", "0123456789abcdef")]
        [InlineData("X-Secret-Thing", "hunter2hunter2")]
        public void A_secret_header_with_a_literal_value_is_refused_naming_file_entry_and_header_but_never_the_value(string header, string value)
        {
            var e = Refused("{ \"providers\": [\n  { \"name\": \"work\", \"baseUrl\": \"https://h/v1\",\n    \"headers\": { \"" + header + "\": \"" + value + "\" } } ] }");
            Assert.Equal(ErrorIds.ProviderConfigInvalid, e.ErrorId);
            Assert.Equal("work", e.Entry);
            Assert.Contains("/cfg/providers.json", e.Message);
            Assert.Contains("entry 'work'", e.Message);
            Assert.Contains($"header '{header}' holds a literal value", e.Message);
            Assert.DoesNotContain(value, e.Message);
            Assert.DoesNotContain(value, e.RecommendedAction);
            Assert.Contains("${", e.RecommendedAction);
        }

        [Fact]
        public void A_secret_header_written_as_a_template_is_accepted_and_other_headers_may_be_literal()
        {
            var entry = Assert.Single(ProvidersFiles.Parse(
                @"{ ""providers"": [ { ""name"": ""work"", ""baseUrl"": ""https://h/v1"", ""headers"": { ""cf-aig-authorization"": ""Bearer ${WORK_AIG_TOKEN}"", ""X-Team"": ""ml"" } } ] }").Providers);
            Assert.Equal(2, entry.Headers!.Count);
        }

        [Fact]
        public void A_template_error_in_baseUrl_or_a_header_names_the_entry_and_position()
        {
            var url = Refused("{ \"providers\": [\n { \"name\": \"a\", \"baseUrl\": \"http://h:${PORT/v1\" } ] }");
            Assert.Equal(2, url.Line);
            Assert.Contains("'baseUrl' is not a valid template at position", url.Message);
            var header = Refused("{ \"providers\": [\n { \"name\": \"a\", \"baseUrl\": \"http://h/v1\", \"headers\": { \"X-Id\": \"${}\" } } ] }");
            Assert.Contains("header 'X-Id' is not a valid template", header.Message);
        }

        [Fact]
        public void A_header_value_with_a_line_break_is_refused()
        {
            var e = Refused("{ \"providers\": [ { \"name\": \"a\", \"baseUrl\": \"http://h/v1\", \"headers\": { \"X-Id\": \"a\\nb\" } } ] }");
            Assert.Contains("header 'X-Id'", e.Message);
        }
    }
}
