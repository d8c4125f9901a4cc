using System;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace CloudflareAI.Tests.Models
{
    // The catalog parser: every value shape the models search sends, dates without a zone, prices, capabilities, deprecation.
    public class ModelCatalogParserTests
    {
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

        private static ModelInfo Parse(string properties, string extra = "", string prefix = "")
        {
            string json = "{\"id\":\"7a143886-c9bb-4a1c-be95-377b1973bc3b\",\"source\":1,\"name\":\"@cf/meta/llama-3.3-70b-instruct-fp8-fast\"," +
                "\"description\":\"Llama 3.3\",\"task\":{\"id\":\"t\",\"name\":\"Text Generation\",\"description\":\"d\"}," +
                "\"created_at\":\"2024-12-06 17:09:18.338\",\"tags\":[]" + extra + ",\"properties\":[" + properties + "]}";
            using var doc = JsonDocument.Parse(json);
            return ModelCatalogParser.ReadWorkersAiModel(doc.RootElement, "cloudflare-workers-ai", prefix, Now)!;
        }

        private static string P(string id, string valueJson) => "{\"property_id\":\"" + id + "\",\"value\":" + valueJson + "}";

        [Fact]
        public void The_callable_name_is_name_not_the_uuid_id_and_created_at_without_a_zone_is_UTC()
        {
            var m = Parse("");
            Assert.Equal("@cf/meta/llama-3.3-70b-instruct-fp8-fast", m.Name);
            Assert.Equal("Text Generation", m.Task);
            Assert.Equal("Llama 3.3", m.Description);
            Assert.Equal(new DateTime(2024, 12, 6, 17, 9, 18, 338, DateTimeKind.Utc), m.Created);
            Assert.Equal(DateTimeKind.Utc, m.Created!.Value.Kind);
            Assert.Empty(m.Capabilities);
            Assert.Null(m.ContextWindow);
            Assert.Null(m.PlannedDeprecation);
            Assert.False(m.IsDeprecated);
            Assert.Equal("@cf/meta/llama-3.3-70b-instruct-fp8-fast", m.ToString());
        }

        [Theory]
        [InlineData("\"24000\"", 24000)]
        [InlineData("24000", 24000)]
        [InlineData("24000.0", 24000)]
        [InlineData("\"128,000\"", 128000)]
        public void Context_window_is_read_from_a_string_or_a_number(string value, int expected)
        {
            Assert.Equal(expected, Parse(P("context_window", value)).ContextWindow);
        }

        [Theory]
        [InlineData("\"unknown\"")]
        [InlineData("true")]
        [InlineData("{\"tokens\":1}")]
        [InlineData("[1]")]
        [InlineData("-5")]
        [InlineData("null")]
        public void A_context_window_of_another_shape_is_null_not_an_error(string value)
        {
            Assert.Null(Parse(P("context_window", value)).ContextWindow);
        }

        [Fact]
        public void Capabilities_come_from_true_values_of_any_shape_in_a_fixed_order()
        {
            var m = Parse(string.Join(",",
                P("beta", "true"),
                P("async_queue", "\"true\""),
                P("lora", "1"),
                P("vision", "\"TRUE\""),
                P("reasoning", "{\"type\":\"enum\"}"),
                P("function_calling", "\"true\""),
                P("terms", "\"https://example.com\""),
                P("info", "{\"url\":\"x\"}")));
            Assert.Equal(new[] { "FunctionCalling", "Reasoning", "Vision", "Lora", "AsyncQueue", "Beta" }, m.Capabilities);
        }

        [Theory]
        [InlineData("\"false\"")]
        [InlineData("false")]
        [InlineData("0")]
        [InlineData("[]")]
        [InlineData("\"no\"")]
        public void False_values_of_any_shape_add_no_capability(string value)
        {
            Assert.Empty(Parse(P("function_calling", value)).Capabilities);
        }

        [Fact]
        public void Require_workers_paid_marks_the_paid_plan()
        {
            Assert.True(Parse(P("require_workers_paid", "\"true\"")).RequiresPaidPlan);
            Assert.True(Parse(P("require_workers_paid", "true")).RequiresPaidPlan);
            Assert.False(Parse(P("require_workers_paid", "\"false\"")).RequiresPaidPlan);
        }

        [Theory]
        [InlineData("planned_deprecation_date", "\"2026-05-30\"")]
        [InlineData("planned_deprecation_date", "\"2026-05-30T00:00:00Z\"")]
        [InlineData("planned_deprecation_date", "\"2026-05-30 00:00:00.000\"")]
        [InlineData("planned_deprecation", "\"2026-05-30\"")]
        [InlineData("deprecation_date", "1780099200")]
        public void A_past_planned_deprecation_date_in_any_spelling_or_shape_means_deprecated(string id, string value)
        {
            var m = Parse(P(id, value));
            Assert.Equal(new DateTime(2026, 5, 30, 0, 0, 0, DateTimeKind.Utc), m.PlannedDeprecation);
            Assert.True(m.IsDeprecated);
        }

        [Fact]
        public void A_future_date_is_planned_but_not_deprecated_and_a_bad_date_is_ignored()
        {
            var future = Parse(P("planned_deprecation_date", "\"2026-12-12\""));
            Assert.Equal(new DateTime(2026, 12, 12, 0, 0, 0, DateTimeKind.Utc), future.PlannedDeprecation);
            Assert.False(future.IsDeprecated);
            var bad = Parse(P("planned_deprecation_date", "\"soon\""));
            Assert.Null(bad.PlannedDeprecation);
            Assert.False(bad.IsDeprecated);
        }

        [Fact]
        public void The_price_array_gives_per_million_input_and_output_with_numbers_or_strings()
        {
            var m = Parse(P("price", "[{\"unit\":\"per M input tokens\",\"price\":0.29,\"currency\":\"USD\"},{\"unit\":\"per M output tokens\",\"price\":\"2.25\",\"currency\":\"USD\"}]"));
            Assert.Equal(0.29, m.Price!.InputPerMillion);
            Assert.Equal(2.25, m.Price.OutputPerMillion);
            Assert.Equal("USD", m.Price.Currency);
            Assert.Equal("$0.29/M in, $2.25/M out", m.Price.ToString());
        }

        [Fact]
        public void Cached_input_prices_and_non_token_units_are_not_the_input_price()
        {
            var kimi = Parse(P("price", "[{\"unit\":\"per M input tokens\",\"price\":0.95,\"currency\":\"USD\"},{\"unit\":\"per M cached input tokens\",\"price\":0.16,\"currency\":\"USD\"},{\"unit\":\"per M output tokens\",\"price\":4,\"currency\":\"USD\"}]"));
            Assert.Equal(0.95, kimi.Price!.InputPerMillion);
            Assert.Equal(4.0, kimi.Price.OutputPerMillion);
            Assert.Null(Parse(P("price", "[{\"unit\":\"per 512 by 512 tile\",\"price\":0.0000528,\"currency\":\"USD\"}]")).Price);
            Assert.Null(Parse(P("price", "\"$0.29\"")).Price);
            Assert.Equal(0.5, Parse(P("price", "{\"input\":0.5,\"output\":1}")).Price!.InputPerMillion);
        }

        [Fact]
        public void The_compat_prefix_goes_before_every_name()
        {
            Assert.Equal("workers-ai/@cf/meta/llama-3.3-70b-instruct-fp8-fast", Parse("", prefix: "workers-ai/").Name);
        }

        [Fact]
        public void Items_without_a_name_and_properties_that_are_not_objects_are_skipped()
        {
            using var doc = JsonDocument.Parse("{\"success\":true,\"result\":[{\"id\":\"x\"},7,{\"name\":\"@cf/a/b\",\"task\":\"Text Generation\",\"properties\":[3,\"x\",{\"value\":1},{\"property_id\":\"vision\",\"value\":\"true\"}]}],\"result_info\":{\"page\":1,\"per_page\":\"100\",\"count\":3,\"total_count\":3}}");
            var page = ModelCatalogParser.ParseWorkersAiPage(doc.RootElement, "p", "", Now);
            Assert.Equal(3, page.Count);
            var only = Assert.Single(page.Models);
            Assert.Equal("@cf/a/b", only.Name);
            Assert.Equal("Text Generation", only.Task);
            Assert.Equal(new[] { "Vision" }, only.Capabilities);
            Assert.Equal(100, page.PerPage);
            Assert.Equal(3, page.TotalCount);
        }

        [Fact]
        public void The_OpenAI_list_gives_id_owned_by_and_created_from_Unix_seconds()
        {
            using var doc = JsonDocument.Parse("{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4o-mini\",\"object\":\"model\",\"created\":1721172741,\"owned_by\":\"system\"},{\"object\":\"model\"}]}");
            var m = Assert.Single(ModelCatalogParser.ParseOpenAiList(doc.RootElement, "openai"));
            Assert.Equal("gpt-4o-mini", m.Name);
            Assert.Equal("system", m.OwnedBy);
            Assert.Equal("openai", m.Provider);
            Assert.Equal(new DateTime(2024, 7, 16, 23, 32, 21, DateTimeKind.Utc), m.Created);
            Assert.Null(m.Task);
        }

        [Theory]
        [InlineData(5, null, null, 5, 1, true)]    // a full page and no totals: there may be more
        [InlineData(3, null, null, 5, 1, false)]   // a short page is the last
        [InlineData(5, 12, null, 5, 1, true)]      // total_count says more
        [InlineData(2, 12, null, 5, 3, false)]     // read all of total_count
        [InlineData(5, null, 3, 5, 3, false)]      // total_pages wins
        [InlineData(0, 12, null, 5, 9, false)]     // an empty page ends it whatever the totals say
        public void Paging_follows_result_info(int count, int? totalCount, int? totalPages, int perPage, int page, bool more)
        {
            var parsed = new CatalogPage { Count = count, TotalCount = totalCount, TotalPages = totalPages, PerPage = perPage };
            int readSoFar = (page - 1) * perPage + count;
            Assert.Equal(more, ModelCatalog.HasMorePages(parsed, page, readSoFar));
        }

        [Fact]
        public void Suggestions_find_the_model_a_typo_meant()
        {
            var models = new[] { "@cf/meta/llama-3.3-70b-instruct-fp8-fast", "@cf/openai/gpt-oss-120b", "@cf/qwen/qwen3-30b-a3b-fp8" }
                .Select(n => new ModelInfo { Name = n }).ToList();
            Assert.Equal("@cf/meta/llama-3.3-70b-instruct-fp8-fast", ModelCatalog.Suggest("@cf/meta/llama-3.3-70b-instruct", models).First());
            Assert.Equal("@cf/openai/gpt-oss-120b", ModelCatalog.Suggest("gpt-oss-120", models).First());
            Assert.Empty(ModelCatalog.Suggest("zzzzzzzz", models));
        }
    }
}
