using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace CloudflareAI.Tests.Models
{
    // The catalog over a fake handler and a fake clock: every page, the compat prefix, /models, 404 -> ModelListUnavailable,
    // the hour cache, and the pre-send advice that reads only the cache.
    public class ModelCatalogTests
    {
        private const string Account = "0123456789abcdef0123456789abcdef";

        private static DictionaryEnvironmentReader Env() => new DictionaryEnvironmentReader(new[]
        {
            new KeyValuePair<string, string>("CLOUDFLARE_API_TOKEN", "fake-token-CATALOG"),
            new KeyValuePair<string, string>("CLOUDFLARE_ACCOUNT_ID", Account),
            new KeyValuePair<string, string>("CLOUDFLARE_GATEWAY_ID", "gw"),
            new KeyValuePair<string, string>("OPENAI_API_KEY", "sk-fake-OPENAI"),
        });

        private static string Page(int page, int perPage, int total, params string[] items)
        {
            var json = new StringBuilder("{\"success\":true,\"errors\":[],\"messages\":[],\"result\":[");
            json.Append(string.Join(",", items));
            json.Append("],\"result_info\":{\"page\":").Append(page).Append(",\"per_page\":").Append(perPage)
                .Append(",\"count\":").Append(items.Length).Append(",\"total_count\":").Append(total).Append("}}");
            return json.ToString();
        }

        private static string Item(string name, string properties = "") =>
            "{\"id\":\"" + Guid.NewGuid() + "\",\"name\":\"" + name + "\",\"task\":{\"name\":\"Text Generation\"},\"created_at\":\"2025-08-05 10:27:29.131\",\"properties\":[" + properties + "]}";

        private static (ModelCatalog Catalog, FakeHandler Handler, FakeTimer Timer) NewCatalog()
        {
            var handler = new FakeHandler();
            var timer = new FakeTimer { UtcNow = new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero) };
            var client = new CloudflareApiClient(new ChatClient(handler, timer, () => 0));
            return (new ModelCatalog(client, new ModelCatalogCache(timer)), handler, timer);
        }

        private static ResolvedEndpoint Resolve(string provider, string? model = null) =>
            EndpointResolver.Resolve(new EndpointOverrides { Provider = provider, Model = model, RequireModel = false }, Env());

        [Fact]
        public async Task Workers_AI_reads_every_page_with_the_task_and_page_size()
        {
            var (catalog, handler, _) = NewCatalog();
            handler.Then(() => CannedResponses.Json(HttpStatusCode.OK, Page(1, 2, 5, Item("@cf/a/one"), Item("@cf/a/two"))))
                   .Then(() => CannedResponses.Json(HttpStatusCode.OK, Page(2, 2, 5, Item("@cf/a/three"), Item("@cf/a/four"))))
                   .Then(() => CannedResponses.Json(HttpStatusCode.OK, Page(3, 2, 5, Item("@cf/a/five"))));
            var lines = new List<string>();
            var result = await catalog.ListAsync(Resolve("cloudflare-workers-ai"), null, Env(), ModelCatalog.TextGeneration, false,
                new ApiGetOptions { Verbose = lines.Add }, CancellationToken.None);
            Assert.Equal(3, result.Pages);
            Assert.Equal(new[] { "@cf/a/five", "@cf/a/four", "@cf/a/one", "@cf/a/three", "@cf/a/two" }, result.Models.Select(m => m.Name));
            Assert.Equal(3, handler.Requests.Count);
            Assert.Equal($"https://api.cloudflare.com/client/v4/accounts/{Account}/ai/models/search?task=Text%20Generation&per_page=100&page=3",
                handler.Requests[2].Uri!.AbsoluteUri);
            Assert.All(handler.Requests, r => Assert.Equal("Bearer fake-token-CATALOG", r.Headers["Authorization"]));
            Assert.Contains("Read 5 models of cloudflare-workers-ai in 3 page(s).", lines);
            Assert.DoesNotContain(lines, l => l.Contains("fake-token-CATALOG"));
        }

        [Fact]
        public async Task Every_task_sends_no_task_and_the_compat_gateway_prefixes_each_name()
        {
            var (catalog, handler, _) = NewCatalog();
            handler.Then(() => CannedResponses.Json(HttpStatusCode.OK, Page(1, 100, 1, Item("@cf/a/one"))));
            var result = await catalog.ListAsync(Resolve("cloudflare-ai-gateway"), null, Env(), null, false, new ApiGetOptions(), CancellationToken.None);
            Assert.Equal("workers-ai/@cf/a/one", Assert.Single(result.Models).Name);
            Assert.Equal($"https://api.cloudflare.com/client/v4/accounts/{Account}/ai/models/search?per_page=100&page=1", handler.Requests[0].Uri!.AbsoluteUri);
            Assert.False(handler.Requests[0].Headers.ContainsKey("cf-aig-authorization"));
        }

        [Fact]
        public async Task Other_hosts_use_base_models_with_their_own_auth_and_404_is_ModelListUnavailable()
        {
            var (catalog, handler, _) = NewCatalog();
            handler.Then(() => CannedResponses.Json(HttpStatusCode.OK, "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-5-mini\",\"owned_by\":\"openai\",\"created\":1754425777}]}"))
                   .Then(() => CannedResponses.Json(HttpStatusCode.NotFound, "{\"error\":{\"message\":\"Not found\"}}"));
            var openai = Resolve("openai");
            var result = await catalog.ListAsync(openai, null, Env(), ModelCatalog.TextGeneration, false, new ApiGetOptions(), CancellationToken.None);
            Assert.Equal("gpt-5-mini", Assert.Single(result.Models).Name);
            Assert.Equal("https://api.openai.com/v1/models", handler.Requests[0].Uri!.AbsoluteUri);
            Assert.Equal("Bearer sk-fake-OPENAI", handler.Requests[0].Headers["Authorization"]);

            var e = await Assert.ThrowsAsync<CloudflareAIException>(() =>
                catalog.ListAsync(openai, null, Env(), null, refresh: true, new ApiGetOptions(), CancellationToken.None));
            Assert.Equal(ErrorIds.ModelListUnavailable, e.ErrorId);
            Assert.Equal(ErrorKind.NotImplemented, e.Kind);
            Assert.Contains("-Model", e.RecommendedAction);
            Assert.Equal(2, handler.Requests.Count);
        }

        [Fact]
        public async Task The_cache_answers_for_an_hour_on_the_injected_clock_and_Refresh_reads_again()
        {
            var (catalog, handler, timer) = NewCatalog();
            for (int i = 0; i < 3; i++) handler.Then(() => CannedResponses.Json(HttpStatusCode.OK, Page(1, 100, 1, Item("@cf/a/one"))));
            var resolved = Resolve("cloudflare-workers-ai");
            Task<ModelCatalogResult> List(bool refresh = false) =>
                catalog.ListAsync(resolved, null, Env(), ModelCatalog.TextGeneration, refresh, new ApiGetOptions(), CancellationToken.None);

            Assert.False((await List()).FromCache);
            timer.UtcNow += TimeSpan.FromMinutes(59);
            var cached = await List();
            Assert.True(cached.FromCache);
            Assert.Equal(0, cached.Pages);
            Assert.Single(handler.Requests);

            timer.UtcNow += TimeSpan.FromMinutes(2);
            Assert.False((await List()).FromCache);
            Assert.Equal(2, handler.Requests.Count);

            Assert.False((await List(refresh: true)).FromCache);
            Assert.Equal(3, handler.Requests.Count);
        }

        [Fact]
        public async Task Advice_reads_only_the_cache_and_names_the_date_or_the_plan()
        {
            var (catalog, handler, timer) = NewCatalog();
            var chat = Resolve("cloudflare-workers-ai", "@cf/meta/llama-3.1-8b-instruct");
            Assert.Empty(ModelAdvice.ForCachedModel(catalog, chat, Env()));
            Assert.Empty(handler.Requests);

            handler.Then(() => CannedResponses.Json(HttpStatusCode.OK, Page(1, 100, 4,
                Item("@cf/meta/llama-3.1-8b-instruct", "{\"property_id\":\"planned_deprecation_date\",\"value\":\"2026-05-30\"}"),
                Item("@cf/qwen/soon", "{\"property_id\":\"planned_deprecation_date\",\"value\":\"2026-12-12\"}"),
                Item("@cf/moonshotai/kimi-k2.6", "{\"property_id\":\"require_workers_paid\",\"value\":\"true\"}"),
                Item("@cf/later/one", "{\"property_id\":\"planned_deprecation_date\",\"value\":\"2027-06-01\"}"))));
            await catalog.ListAsync(Resolve("cloudflare-workers-ai"), null, Env(), ModelCatalog.TextGeneration, false, new ApiGetOptions(), CancellationToken.None);

            string retired = Assert.Single(ModelAdvice.ForCachedModel(catalog, chat, Env()));
            Assert.Contains("retired on 2026-05-30", retired);
            Assert.Contains("Get-AIModel -Provider cloudflare-workers-ai", retired);
            string soon = Assert.Single(ModelAdvice.ForCachedModel(catalog, Resolve("cloudflare-workers-ai", "@cf/qwen/soon"), Env()));
            Assert.Contains("2026-12-12 (in 10 days)", soon);
            Assert.Contains("Workers Paid", Assert.Single(ModelAdvice.ForCachedModel(catalog, Resolve("cloudflare-workers-ai", "@cf/moonshotai/kimi-k2.6"), Env())));
            Assert.Empty(ModelAdvice.ForCachedModel(catalog, Resolve("cloudflare-workers-ai", "@cf/later/one"), Env()));
            Assert.Empty(ModelAdvice.ForCachedModel(catalog, Resolve("cloudflare-workers-ai", "@cf/not/listed"), Env()));
            // Another alias's catalog is not this one's.
            Assert.Empty(ModelAdvice.ForCachedModel(catalog, Resolve("cloudflare-ai-gateway", "workers-ai/@cf/meta/llama-3.1-8b-instruct"), Env()));
            Assert.Single(handler.Requests);

            // An hour later the cache is stale, and stale knowledge gives no warning.
            timer.UtcNow += TimeSpan.FromHours(1);
            Assert.Empty(ModelAdvice.ForCachedModel(catalog, chat, Env()));
        }

        [Fact]
        public async Task A_401_on_a_page_is_the_chat_error_with_the_token_hint()
        {
            var (catalog, handler, _) = NewCatalog();
            handler.Then(() => CannedResponses.Json(HttpStatusCode.Unauthorized, "{\"success\":false,\"errors\":[{\"code\":10000,\"message\":\"Authentication error\"}]}"));
            var e = await Assert.ThrowsAsync<ChatException>(() =>
                catalog.ListAsync(Resolve("cloudflare-workers-ai"), null, Env(), ModelCatalog.TextGeneration, false, new ApiGetOptions(), CancellationToken.None));
            Assert.Equal(ErrorIds.ChatAuthenticationFailed, e.ErrorId);
            Assert.Contains("Workers AI Read", e.RecommendedAction);
        }
    }
}
