using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace CloudflareAI.Tests.Endpoints
{
    /// <summary>The -Gateway* controls: which headers they become, which values the gateway can take, and which aliases take them.</summary>
    public class GatewayOptionsTests
    {
        private static readonly string[] RestEnvironment =
        {
            "CLOUDFLARE_ACCOUNT_ID=0123456789abcdef0123456789abcdef", "CLOUDFLARE_GATEWAY_ID=gw-9", "CLOUDFLARE_API_TOKEN=cf-test",
        };

        private static KeyValuePair<string, object?> E(string key, object? value) => new KeyValuePair<string, object?>(key, value);

        private static Dictionary<string, string> Headers(GatewayOptions options) =>
            options.ToHeaders().ToDictionary(h => h.Key, h => h.Value, StringComparer.Ordinal);

        [Fact]
        public void Every_control_becomes_its_header()
        {
            var headers = Headers(new GatewayOptions
            {
                CacheTtl = 3600,
                SkipCache = true,
                CacheKey = "faq:dns",
                Metadata = new[] { E("team", "docs"), E("run", 42), E("nightly", true) },
                EventId = "evt-2026-12-02",
            });

            Assert.Equal(new Dictionary<string, string>
            {
                ["cf-aig-cache-ttl"] = "3600",
                ["cf-aig-skip-cache"] = "true",
                ["cf-aig-cache-key"] = "faq:dns",
                ["cf-aig-metadata"] = "{\"team\":\"docs\",\"run\":42,\"nightly\":true}",
                ["cf-aig-event-id"] = "evt-2026-12-02",
            }, headers);
        }

        [Fact]
        public void No_control_sends_no_header()
        {
            var options = new GatewayOptions();
            Assert.False(options.Any);
            Assert.Empty(options.ToHeaders());
            Assert.Empty(new GatewayOptions { Metadata = new KeyValuePair<string, object?>[0] }.ToHeaders());
        }

        [Theory]
        [InlineData(60)]
        [InlineData(2592000)]
        public void The_cache_ttl_limits_are_inclusive(int ttl)
        {
            Assert.Equal(ttl.ToString(System.Globalization.CultureInfo.InvariantCulture), Headers(new GatewayOptions { CacheTtl = ttl })["cf-aig-cache-ttl"]);
        }

        [Theory]
        [InlineData(59)]
        [InlineData(0)]
        [InlineData(-1)]
        [InlineData(2592001)]
        public void A_cache_ttl_outside_the_gateway_range_is_ParameterInvalid(int ttl)
        {
            var e = Assert.Throws<CloudflareAIException>(() => new GatewayOptions { CacheTtl = ttl }.ToHeaders());
            Assert.Equal(ErrorIds.ParameterInvalid, e.ErrorId);
            Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
            Assert.Contains("2592000", e.RecommendedAction);
        }

        [Fact]
        public void Metadata_is_compact_flat_json_in_the_given_order_with_every_number_kind()
        {
            string json = GatewayOptions.MetadataJson(new[]
            {
                E("s", "a \"quoted\" $value"), E("i", 1), E("l", 12345678901L), E("d", 0.5), E("b", false),
            });
            Assert.Equal("{\"s\":\"a \\u0022quoted\\u0022 $value\",\"i\":1,\"l\":12345678901,\"d\":0.5,\"b\":false}", json);
            Assert.Equal("{\"m\":2.25,\"f\":1.5,\"u\":7}", GatewayOptions.MetadataJson(new[] { E("m", 2.25m), E("f", 1.5f), E("u", (byte)7) }));
        }

        [Fact]
        public void Metadata_with_non_ASCII_text_stays_ASCII_in_the_header()
        {
            string json = GatewayOptions.MetadataJson(new[] { E("owner", "José 👋") });
            Assert.All(json, c => Assert.InRange(c, (char)0x20, (char)0x7E));
            Assert.Equal("José 👋", System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("owner").GetString());
        }

        [Fact]
        public void Five_metadata_entries_are_fine_and_six_are_ParameterInvalid()
        {
            var five = Enumerable.Range(1, 5).Select(i => E("k" + i, i)).ToArray();
            Assert.Equal("{\"k1\":1,\"k2\":2,\"k3\":3,\"k4\":4,\"k5\":5}", GatewayOptions.MetadataJson(five));

            var six = Enumerable.Range(1, 6).Select(i => E("k" + i, i)).ToArray();
            var e = Assert.Throws<CloudflareAIException>(() => new GatewayOptions { Metadata = six }.ToHeaders());
            Assert.Equal(ErrorIds.ParameterInvalid, e.ErrorId);
            Assert.Contains("6 entries", e.Message);
            Assert.Equal("-GatewayMetadata", e.Target);
        }

        public static TheoryData<object?, string> NotFlat => new TheoryData<object?, string>
        {
            { new Hashtable { ["b"] = 1 }, "nested" },
            { new Dictionary<string, object?> { ["b"] = 1 }, "nested" },
            { new object[] { 1, 2 }, "nested" },
            { new List<string> { "x" }, "nested" },
            { null, "null" },
            { new DateTime(2026, 12, 2), "DateTime" },
            { double.NaN, "finite" },
            { double.PositiveInfinity, "finite" },
            { float.NegativeInfinity, "finite" },
        };

        [Theory]
        [MemberData(nameof(NotFlat))]
        public void A_value_that_is_not_a_string_number_or_bool_is_ParameterInvalid_naming_the_entry(object? value, string said)
        {
            var e = Assert.Throws<CloudflareAIException>(() => GatewayOptions.MetadataJson(new[] { E("ok", "x"), E("bad", value) }));
            Assert.Equal(ErrorIds.ParameterInvalid, e.ErrorId);
            Assert.Contains("'bad'", e.Message);
            Assert.Contains(said, e.Message);
            Assert.False(string.IsNullOrWhiteSpace(e.RecommendedAction));
        }

        [Theory]
        [InlineData("")]
        [InlineData("  ")]
        public void A_metadata_entry_needs_a_name(string key)
        {
            var e = Assert.Throws<CloudflareAIException>(() => GatewayOptions.MetadataJson(new[] { E(key, 1) }));
            Assert.Equal(ErrorIds.ParameterInvalid, e.ErrorId);
        }

        [Theory]
        [InlineData("line\nbreak", 5)]
        [InlineData("tab\there", 4)]
        [InlineData("zero\u200Bwidth", 5)]
        [InlineData("é", 1)]
        public void Cache_keys_and_event_ids_must_be_visible_ASCII(string value, int position)
        {
            foreach (var options in new[] { new GatewayOptions { CacheKey = value }, new GatewayOptions { EventId = value } })
            {
                var e = Assert.Throws<CloudflareAIException>(() => options.ToHeaders());
                Assert.Equal(ErrorIds.ParameterInvalid, e.ErrorId);
                Assert.Contains($"position {position}", e.Message);
                // The value itself is never repeated: a key may be anything the user had at hand.
                Assert.DoesNotContain(value, e.Message);
            }
        }

        [Theory]
        [InlineData("openai")]
        [InlineData("cloudflare-workers-ai")]
        [InlineData("vercel")]
        [InlineData("ollama")]
        public void A_non_gateway_alias_refuses_every_control_before_anything_else(string alias)
        {
            // Nothing in the environment: the control is refused first, whatever else is missing.
            var e = Assert.Throws<CloudflareAIException>(() => EndpointResolver.Resolve(
                new EndpointOverrides { Provider = alias, Model = "m", Gateway = new GatewayOptions { SkipCache = true, CacheTtl = 120 } },
                TestEnvironment.Of()));
            Assert.Equal(ErrorIds.GatewayOptionNotSupported, e.ErrorId);
            Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
            Assert.Contains("-GatewayCacheTtl, -GatewaySkipCache", e.Message);
            Assert.Contains(alias, e.Message);
            Assert.Contains("cloudflare-ai-gateway-rest", e.RecommendedAction);
            Assert.Equal(alias, e.Target);
        }

        [Fact]
        public void A_BaseUrl_without_Provider_is_openai_and_refuses_the_controls()
        {
            var e = Assert.Throws<CloudflareAIException>(() => EndpointResolver.Resolve(
                new EndpointOverrides { BaseUrl = "http://127.0.0.1:1/v1", Model = "m", Gateway = new GatewayOptions { EventId = "e" } }, TestEnvironment.Of()));
            Assert.Equal(ErrorIds.GatewayOptionNotSupported, e.ErrorId);
        }

        [Fact]
        public void Empty_options_are_no_controls_on_any_alias()
        {
            var r = EndpointResolver.Resolve(new EndpointOverrides { Provider = "openai", Model = "m", Gateway = new GatewayOptions() }, TestEnvironment.Of("OPENAI_API_KEY=sk-test"));
            Assert.DoesNotContain(r.Endpoint.Headers, h => h.Key.StartsWith("cf-aig-", StringComparison.OrdinalIgnoreCase));
        }

        [Theory]
        [InlineData("cloudflare-ai-gateway-rest")]
        [InlineData("cloudflare-ai-gateway")]
        public void Both_gateway_aliases_send_the_controls_as_final_values_that_win_over_Header(string alias)
        {
            var request = new EndpointOverrides
            {
                Provider = alias,
                Headers = new[] { new KeyValuePair<string, string>("cf-aig-cache-ttl", "60"), new KeyValuePair<string, string>("cf-aig-collect-log", "false") },
                Gateway = new GatewayOptions { CacheTtl = 600, Metadata = new[] { E("cost", "$5") } },
            };
            var r = EndpointResolver.Resolve(request, TestEnvironment.Of(RestEnvironment));
            var headers = r.Endpoint.Headers.Where(h => h.Key.StartsWith("cf-aig-", StringComparison.OrdinalIgnoreCase)).ToList();

            Assert.Single(headers, h => h.Key == "cf-aig-cache-ttl");
            Assert.Equal("600", headers.Single(h => h.Key == "cf-aig-cache-ttl").Value);
            // Not a template: '$5' is sent as written.
            Assert.Equal("{\"cost\":\"$5\"}", headers.Single(h => h.Key == "cf-aig-metadata").Value);
            // Other cf-aig-* headers still go through -Header.
            Assert.Equal("false", headers.Single(h => h.Key == "cf-aig-collect-log").Value);
        }

        [Fact]
        public void A_user_alias_marked_as_a_gateway_takes_the_controls()
        {
            var custom = new ProviderAliasDefinition("my-gateway", "https://gw.example.com/v1", "MY_KEY", false, "test", "https://gw.example.com", isGateway: true);
            Assert.True(custom.IsGateway);
            Assert.Null(custom.Gateway);
            new GatewayOptions { SkipCache = true }.EnsureSupportedBy(custom);

            var plain = new ProviderAliasDefinition("plain", "https://x.example.com/v1", "MY_KEY", false, "test", "https://x.example.com");
            Assert.False(plain.IsGateway);
            Assert.Throws<CloudflareAIException>(() => new GatewayOptions { SkipCache = true }.EnsureSupportedBy(plain));
        }
    }
}
