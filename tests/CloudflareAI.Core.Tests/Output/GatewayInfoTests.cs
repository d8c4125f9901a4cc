using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Chat = CloudflareAI.Tests.Chat;
using Xunit;

namespace CloudflareAI.Tests.Output
{
    /// <summary>ChatResponse.Gateway: every cf-aig-* response header, read through the real client from a scripted response.</summary>
    public class GatewayInfoTests
    {
        private readonly FakeHandler handler = new FakeHandler();
        private readonly RecordingObserver observer = new RecordingObserver();

        private Task<ChatResponse> Send(params (string Name, string Value)[] headers)
        {
            handler.Then(() =>
            {
                HttpResponseMessage response = CannedResponses.Completion("Hi there!");
                foreach (var (name, value) in headers) response.Headers.TryAddWithoutValidation(name, value);
                return response;
            });
            return new ChatClient(handler, new FakeTimer(), () => 0.5).SendAsync(Chat.Endpoints.Cloudflare(), Chat.Endpoints.Request(), new ChatCallOptions(), observer, CancellationToken.None);
        }

        [Fact]
        public async Task Every_documented_header_fills_its_property()
        {
            var r = await Send(
                ("cf-aig-log-id", "019a7b3e-5f2c-7c41-9d3e-2b8f6a1c4e07"),
                ("cf-aig-request-id", "019a7b3e-5f2c-7c41-9d3e-2b8f6a1c4e07"),
                ("cf-aig-event-id", "my-trace-1"),
                ("cf-aig-cache-status", "HIT"),
                ("cf-aig-step", "1"),
                ("cf-aig-model", "@cf/meta/llama-3.3-70b-instruct-fp8-fast"),
                ("cf-aig-provider", "workers-ai"),
                ("cf-aig-routed-model", "openai/gpt-5-mini"),
                ("cf-aig-routing-reason", "fallback_router_timeout"),
                ("cf-aig-routing-decision-id", "019a7b3e-0000-7000-8000-000000000001"),
                ("cf-aig-dlp", "{\"action\":\"Flag\"}"),
                ("x-other", "not the gateway's"));

            var g = Assert.IsType<GatewayInfo>(r.Gateway);
            Assert.Equal("019a7b3e-5f2c-7c41-9d3e-2b8f6a1c4e07", g.LogId);
            Assert.Equal("019a7b3e-5f2c-7c41-9d3e-2b8f6a1c4e07", g.RequestId);
            Assert.Equal("my-trace-1", g.EventId);
            Assert.Equal("HIT", g.CacheStatus);
            Assert.Equal(1, g.Step);
            Assert.Equal("@cf/meta/llama-3.3-70b-instruct-fp8-fast", g.Model);
            Assert.Equal("workers-ai", g.Provider);
            Assert.Equal("openai/gpt-5-mini", g.RoutedModel);
            Assert.Equal("fallback_router_timeout", g.RoutingReason);
            Assert.Equal("019a7b3e-0000-7000-8000-000000000001", g.RoutingDecisionId);
            // Headers holds every cf-aig-* header, also ones without a property, and nothing else.
            Assert.Equal(11, g.Headers.Count);
            Assert.Equal("{\"action\":\"Flag\"}", g.Headers["cf-aig-dlp"]);
            Assert.Equal("HIT", g.Headers["CF-AIG-Cache-Status"]);
            Assert.False(g.Headers.ContainsKey("x-other"));
            Assert.Throws<NotSupportedException>(() => ((IDictionary<string, string>)g.Headers).Add("cf-aig-x", "y"));
            // The two properties of the first edition stay, from the same headers.
            Assert.Equal(g.LogId, r.GatewayLogId);
            Assert.Equal("HIT", r.CacheStatus);
            Assert.Equal("cache HIT, log 019a7b3e-5f2c-7c41-9d3e-2b8f6a1c4e07", g.ToString());
        }

        [Theory]
        [InlineData("01JADMCQQQBWH3NXZ5GCRN98DP")]
        [InlineData("019a7b3e-5f2c-7c41-9d3e-2b8f6a1c4e07")]
        [InlineData("not-a-uuid-at-all")]
        [InlineData("x")]
        public async Task Log_ids_are_opaque(string logId)
        {
            var r = await Send(("cf-aig-log-id", logId));
            Assert.Equal(logId, r.Gateway!.LogId);
            Assert.Equal(logId, r.GatewayLogId);
            Assert.Null(r.Gateway.CacheStatus);
            Assert.Null(r.CacheStatus);
        }

        [Fact]
        public async Task An_answer_without_cf_aig_headers_has_no_Gateway()
        {
            var r = await Send(("x-request-id", "abc"));
            Assert.Null(r.Gateway);
            Assert.Null(r.GatewayLogId);
            Assert.Null(r.CacheStatus);
            Assert.DoesNotContain(observer.Verbose, line => line.StartsWith("AI Gateway:", StringComparison.Ordinal));
        }

        [Fact]
        public async Task A_step_that_is_not_a_number_is_kept_only_in_Headers()
        {
            var r = await Send(("cf-aig-step", "first"));
            Assert.Null(r.Gateway!.Step);
            Assert.Equal("first", r.Gateway.Headers["cf-aig-step"]);
        }

        [Fact]
        public async Task Verbose_names_the_cache_status_and_the_log_id()
        {
            await Send(("cf-aig-log-id", "019a7b3e-5f2c-7c41-9d3e-2b8f6a1c4e07"), ("cf-aig-cache-status", "MISS"));
            Assert.Contains("AI Gateway: cache status MISS, log ID 019a7b3e-5f2c-7c41-9d3e-2b8f6a1c4e07.", observer.Verbose);
        }

        [Fact]
        public async Task A_secret_echoed_in_a_gateway_header_is_masked_everywhere()
        {
            var r = await Send(("cf-aig-log-id", "log-" + Chat.Endpoints.Token), ("cf-aig-cache-status", "MISS " + Chat.Endpoints.Token), ("cf-aig-custom", Chat.Endpoints.Token));
            var g = r.Gateway!;
            foreach (string text in g.Headers.Values.Concat(new[] { g.LogId!, g.CacheStatus!, g.ToString(), r.GatewayLogId!, r.CacheStatus! }))
            {
                Assert.DoesNotContain(Chat.Endpoints.Token, text);
            }
            Assert.Contains("***", g.LogId);
            Assert.DoesNotContain(observer.Everything, line => line.Contains(Chat.Endpoints.Token));
        }
    }
}
