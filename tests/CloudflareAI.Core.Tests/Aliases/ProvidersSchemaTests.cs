using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace CloudflareAI.Tests.Aliases
{
    /// <summary>
    /// The shipped JSON Schema and the module's reader say the same thing: the same fields, a description for every one,
    /// no field outside the lists, and patterns that accept and refuse the same names.
    /// </summary>
    public class ProvidersSchemaTests
    {
        private static readonly Lazy<JsonDocument> Schema = new Lazy<JsonDocument>(() =>
        {
            var folder = new DirectoryInfo(AppContext.BaseDirectory);
            while (folder != null && !File.Exists(Path.Combine(folder.FullName, "docs", UserAliasRegistration.SchemaFileName))) folder = folder.Parent;
            Assert.NotNull(folder);
            return JsonDocument.Parse(File.ReadAllText(Path.Combine(folder!.FullName, "docs", UserAliasRegistration.SchemaFileName)));
        });

        private static JsonElement Root => Schema.Value.RootElement;

        private static JsonElement Provider => Root.GetProperty("$defs").GetProperty("provider");

        [Fact]
        public void Is_draft_2020_12_and_closed_at_both_levels()
        {
            Assert.Equal("https://json-schema.org/draft/2020-12/schema", Root.GetProperty("$schema").GetString());
            Assert.False(Root.GetProperty("additionalProperties").GetBoolean());
            Assert.False(Provider.GetProperty("additionalProperties").GetBoolean());
            Assert.Equal(new[] { "name" }, Provider.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        }

        [Fact]
        public void Lists_exactly_the_fields_the_reader_knows()
        {
            Assert.Equal(ProvidersFileParser.FileFields.OrderBy(n => n, StringComparer.Ordinal),
                Root.GetProperty("properties").EnumerateObject().Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal));
            Assert.Equal(ProvidersFileParser.EntryFields.OrderBy(n => n, StringComparer.Ordinal),
                Provider.GetProperty("properties").EnumerateObject().Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal));
        }

        [Fact]
        public void Describes_every_field_and_definition()
        {
            var undescribed = new List<string>();
            foreach (var property in Root.GetProperty("properties").EnumerateObject().Concat(Provider.GetProperty("properties").EnumerateObject()))
            {
                if (!property.Value.TryGetProperty("description", out var d) || d.GetString()!.Length < 10) undescribed.Add(property.Name);
            }
            foreach (var definition in Root.GetProperty("$defs").EnumerateObject())
            {
                if (!definition.Value.TryGetProperty("description", out _)) undescribed.Add("$defs/" + definition.Name);
            }
            Assert.Empty(undescribed);
        }

        private static Regex Pattern(JsonElement element) => new Regex(element.GetProperty("pattern").GetString()!, RegexOptions.CultureInvariant);

        [Theory]
        [InlineData("my-vllm")]
        [InlineData("a")]
        [InlineData("0day")]
        [InlineData("My-vllm")]
        [InlineData("-a")]
        [InlineData("a_b")]
        [InlineData("a.b")]
        [InlineData("")]
        public void The_name_pattern_and_the_reader_agree(string name)
        {
            var pattern = Pattern(Provider.GetProperty("properties").GetProperty("name"));
            Assert.Equal(pattern.IsMatch(name), ProvidersFileParser.IsAliasName(name));
            var autoSelect = Pattern(Root.GetProperty("properties").GetProperty("autoSelect").GetProperty("items"));
            Assert.Equal(autoSelect.IsMatch(name), ProvidersFileParser.IsAliasName(name));
        }

        [Theory]
        [InlineData("VLLM_API_KEY")]
        [InlineData("_x1")]
        [InlineData("")]
        [InlineData("1X")]
        [InlineData("${X}")]
        [InlineData("A-B")]
        public void The_token_variable_pattern_and_the_reader_agree(string name)
        {
            var pattern = Pattern(Provider.GetProperty("properties").GetProperty("tokenVariable"));
            Assert.Equal(pattern.IsMatch(name), name.Length == 0 || ProvidersFileParser.IsVariableName(name));
        }

        [Theory]
        [InlineData("api-key")]
        [InlineData("cf-aig-authorization")]
        [InlineData("X_Odd!#$%&'*+.^`|~")]
        [InlineData("api key")]
        [InlineData("api:key")]
        [InlineData("")]
        public void The_header_name_patterns_and_the_reader_agree(string name)
        {
            var token = Pattern(Provider.GetProperty("properties").GetProperty("tokenHeader"));
            var headers = Pattern(Provider.GetProperty("properties").GetProperty("headers").GetProperty("propertyNames"));
            Assert.Equal(token.IsMatch(name), ProvidersFileParser.IsHeaderName(name));
            Assert.Equal(headers.IsMatch(name), ProvidersFileParser.IsHeaderName(name));
        }

        [Fact]
        public void What_the_writer_writes_reads_back_unchanged()
        {
            var file = ProvidersFiles.Parse(@"{ ""$schema"": ""file:///m/CloudflareAI.providers.schema.json"", ""autoSelect"": [""a""], ""providers"": [
                { ""name"": ""a"", ""baseUrl"": ""http://127.0.0.1:${PORT}/v1"", ""tokenVariable"": ""A_KEY"", ""tokenHeader"": ""api-key"",
                  ""headers"": { ""cf-aig-authorization"": ""Bearer ${AIG_TOKEN}"", ""X-It's"": ""<ok> & fine"" }, ""defaultModel"": ""m"",
                  ""defaultEmbeddingModel"": ""e"", ""coalescesSystemMessages"": false, ""isGateway"": true, ""description"": ""d ü"", ""documentationUrl"": ""https://d/"" } ] }");
            byte[] bytes = ProvidersFileWriter.Serialize(file);
            string text = System.Text.Encoding.UTF8.GetString(bytes);
            Assert.Contains("\"baseUrl\": \"http://127.0.0.1:${PORT}/v1\"", text);
            Assert.Contains("\"<ok> & fine\"", text);
            var again = ProvidersFileParser.Parse("/cfg/providers.json", bytes);
            Assert.Equal(text, System.Text.Encoding.UTF8.GetString(ProvidersFileWriter.Serialize(again)));
            var entry = Assert.Single(again.Providers);
            Assert.Equal("d ü", entry.Description);
            Assert.Equal(false, entry.CoalescesSystemMessages);
        }
    }
}
