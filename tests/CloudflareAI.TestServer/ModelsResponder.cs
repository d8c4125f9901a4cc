using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace CloudflareAI.TestServer
{
    /// <summary>
    /// The model catalogs: Workers AI's <c>GET .../client/v4/accounts/{a}/ai/models/search</c> (v4 envelope, paging with
    /// result_info, task filter, property values in every shape the real catalog uses) and the OpenAI-style
    /// <c>GET .../models</c> list of other hosts.
    /// </summary>
    internal static class ModelsResponder
    {
        public const string CatalogSize = "x-emulator-catalog-size";
        public const string MaxPerPage = "x-emulator-max-per-page";
        public const string ModelsStatus = "x-emulator-models-status";

        /// <summary>Small on purpose, so that every listing of the standard catalog spans pages.</summary>
        private const int DefaultMaxPerPage = 5;

        private const string SearchSuffix = "/ai/models/search";

        private static readonly string[] Supported = { "unauthorized", "forbidden", "unavailable", "server-error", "slow" };

        public static bool Handles(string method, string path) =>
            HttpMethods.IsGet(method) && (path.EndsWith(SearchSuffix, StringComparison.Ordinal) || path.EndsWith("/models", StringComparison.Ordinal));

        public static async Task RespondAsync(HttpContext ctx, RequestRecord record, Func<Scenario, RequestRecord, bool> shouldFail)
        {
            bool search = record.Path.EndsWith(SearchSuffix, StringComparison.Ordinal);
            if (record.Header(ModelsStatus) is { } statusText)
            {
                int status = ParseInt(statusText, ModelsStatus, 400, 599);
                await JsonAsync(ctx, status, search
                    ? FaultResponder.Envelope(7000, "No route for that URI")
                    : "{\"error\":{\"message\":\"Not found\",\"type\":\"invalid_request_error\",\"code\":\"not_found\"}}");
                return;
            }
            if (record.Header(EmulatorHeaders.Scenario) is { } header && header.Trim().Length > 0)
            {
                Scenario scenario = Scenario.Parse(header);
                if (!Supported.Contains(scenario.Name))
                {
                    throw new EmulatorUsageException($"Scenario '{scenario.Name}' is not served on the model routes; they take {string.Join(", ", Supported)}.");
                }
                if (shouldFail(scenario, record) && await FailAsync(ctx, scenario)) return;
            }
            if (search) await SearchAsync(ctx, record);
            else await OpenAiListAsync(ctx);
        }

        /// <summary>True when the answer was the fault; "slow" only waits and then answers normally.</summary>
        private static async Task<bool> FailAsync(HttpContext ctx, Scenario s)
        {
            switch (s.Name)
            {
                case "unauthorized":
                    await JsonAsync(ctx, 401, FaultResponder.Envelope(10000, "Authentication error"));
                    return true;
                case "forbidden":
                    await JsonAsync(ctx, 403, FaultResponder.Envelope(10000, "Authentication error"));
                    return true;
                case "unavailable":
                    await JsonAsync(ctx, 503, FaultResponder.Envelope(7009, "Upstream service unavailable"));
                    return true;
                case "server-error":
                    await JsonAsync(ctx, 500, "{\"error\":{\"message\":\"internal error\",\"type\":\"server_error\"}}");
                    return true;
                default:
                    await Task.Delay(s.IntParam("delayMs", 30_000, 0, 600_000), ctx.RequestAborted);
                    return false;
            }
        }

        private static async Task SearchAsync(HttpContext ctx, RequestRecord record)
        {
            string? authorization = record.Header("authorization");
            if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.Ordinal) || authorization.Substring(7).Trim().Length == 0)
            {
                await JsonAsync(ctx, 401, FaultResponder.Envelope(10000, "Authentication error"));
                return;
            }

            IQueryCollection query = ctx.Request.Query;
            int page = query.TryGetValue("page", out var p) ? ParseInt(p.ToString(), "page", 1, int.MaxValue) : 1;
            int perPage = query.TryGetValue("per_page", out var pp) ? ParseInt(pp.ToString(), "per_page", 1, 1000) : 20;
            int cap = record.Header(MaxPerPage) is { } capText ? ParseInt(capText, MaxPerPage, 1, 1000) : DefaultMaxPerPage;
            perPage = Math.Min(perPage, cap);
            string? task = query.TryGetValue("task", out var t) ? t.ToString() : null;

            IReadOnlyList<CatalogModel> catalog = record.Header(CatalogSize) is { } sizeText
                ? Generated(ParseInt(sizeText, CatalogSize, 0, 10_000))
                : Standard();
            List<CatalogModel> matching = catalog.Where(m => task is null || TaskMatches(m.Task, task)).ToList();
            List<CatalogModel> slice = matching.Skip((int)Math.Min(int.MaxValue, (long)(page - 1) * perPage)).Take(perPage).ToList();

            var buffer = new ArrayBufferWriter<byte>(64 * 1024);
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                w.WriteBoolean("success", true);
                w.WriteStartArray("errors");
                w.WriteEndArray();
                w.WriteStartArray("messages");
                w.WriteEndArray();
                w.WriteStartArray("result");
                foreach (CatalogModel m in slice) m.Write(w);
                w.WriteEndArray();
                w.WriteStartObject("result_info");
                w.WriteNumber("page", page);
                w.WriteNumber("per_page", perPage);
                w.WriteNumber("count", slice.Count);
                w.WriteNumber("total_count", matching.Count);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentType = "application/json";
            ctx.Response.ContentLength = buffer.WrittenCount;
            await ctx.Response.Body.WriteAsync(buffer.WrittenMemory, ctx.RequestAborted);
        }

        private static bool TaskMatches(string modelTask, string wanted) =>
            string.Equals(modelTask, wanted, StringComparison.OrdinalIgnoreCase)
            || string.Equals(modelTask.Replace(' ', '-'), wanted, StringComparison.OrdinalIgnoreCase);

        private static Task OpenAiListAsync(HttpContext ctx) => JsonAsync(ctx, 200,
            "{\"object\":\"list\",\"data\":[" +
            "{\"id\":\"gpt-4o-mini\",\"object\":\"model\",\"created\":1721172741,\"owned_by\":\"system\"}," +
            "{\"id\":\"gpt-5-mini\",\"object\":\"model\",\"created\":1754425777,\"owned_by\":\"system\"}," +
            "{\"id\":\"text-embedding-3-small\",\"object\":\"model\",\"created\":1705948997,\"owned_by\":\"system\"}]}");

        /// <summary>A fixed catalog mixing every value shape. Deprecation dates: the default model of old (2026-05-30),
        /// one ISO-dated, one planned 10 days after the emulator's today (so "soon" holds whenever the tests run), one far off.</summary>
        internal static IReadOnlyList<CatalogModel> Standard()
        {
            string soon = DateTime.UtcNow.Date.AddDays(10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            const string Tg = "Text Generation";
            return new[]
            {
                new CatalogModel("7a143886-c9bb-4a1c-be95-377b1973bc3b", "@cf/meta/llama-3.3-70b-instruct-fp8-fast", "Llama 3.3 70B quantized to fp8 precision, optimized to be faster.", Tg, "2024-12-06 17:09:18.338")
                    .Str("async_queue", "true").Str("context_window", "24000").Price(("per M input tokens", 0.29), ("per M output tokens", 2.25))
                    .Str("function_calling", "true").Str("terms", "https://github.com/meta-llama/llama-models/blob/main/models/llama3_3/LICENSE"),
                new CatalogModel("41975cc2-c82e-4e98-b7b8-88ffb186a545", "@cf/meta/llama-3.1-8b-instruct", "The Meta Llama 3.1 collection of multilingual large language models.", Tg, "2024-07-18 22:53:33.746")
                    .Str("planned_deprecation_date", "2026-05-30").Str("terms", "https://github.com/meta-llama/llama-models/blob/main/models/llama3_1/LICENSE"),
                new CatalogModel("2169496d-9a36-4e6b-b7e7-3bd7a6c2c0bf", "@cf/meta/llama-3.1-8b-instruct-fast", "[Fast version] The Meta Llama 3.1 collection.", Tg, "2024-07-18 22:53:33.746")
                    .Num("context_window", 128000).Price(("per M input tokens", 0.045), ("per M output tokens", 0.384)),
                new CatalogModel("f9f2250b-1048-4a52-9910-d0bf976616a1", "@cf/openai/gpt-oss-120b", "OpenAI's open-weight model for production, general purpose, high reasoning use-cases.", Tg, "2025-08-05 10:27:29.131")
                    .Num("context_window", 128000).Bool("function_calling", true).Str("reasoning", "true")
                    .Obj("reasoning_effort", "{\"type\":\"enum\",\"values\":[\"low\",\"medium\",\"high\"]}")
                    .Raw("price", "[{\"unit\":\"per M input tokens\",\"price\":\"0.35\",\"currency\":\"USD\"},{\"unit\":\"per M output tokens\",\"price\":\"0.75\",\"currency\":\"USD\"}]"),
                new CatalogModel("02c16efa-29f5-4304-8e6c-3d188889f875", "@cf/meta/llama-4-scout-17b-16e-instruct", "Meta's Llama 4 Scout, natively multimodal.", Tg, "2025-04-05 20:25:56.137")
                    .Str("context_window", "131000").Str("function_calling", "true").Str("vision", "true"),
                new CatalogModel("ea0bd0ba-2bd9-4ac8-b6d7-1f5b2d6e3e70", "@cf/mistralai/mistral-small-3.1-24b-instruct", "Mistral Small 3.1 with vision understanding.", Tg, "2025-03-18 03:26:53.283")
                    .Str("context_window", "128000").Str("lora", "true").Str("function_calling", "false"),
                new CatalogModel("5c7b3c6a-6c88-4a7e-8f0b-1f0a3b6f2d11", "@cf/qwen/qwen3-30b-a3b-fp8", "Qwen3 mixture-of-experts model with thinking and non-thinking modes.", Tg, "2025-05-02 11:00:00.000")
                    .Str("context_window", "32768").Str("function_calling", "true").Str("reasoning", "true").Str("planned_deprecation_date", soon),
                new CatalogModel("8d1b7f0e-6b4a-4c3e-9a2f-7e5d4c3b2a19", "@cf/moonshotai/kimi-k2.6", "Kimi K2.6, an agentic mixture-of-experts model.", Tg, "2026-06-30 09:15:00.000")
                    .Str("context_window", "262144").Str("function_calling", "true").Str("reasoning", "true").Str("vision", "true").Bool("beta", true)
                    .Str("require_workers_paid", "true")
                    .Price(("per M input tokens", 0.95), ("per M cached input tokens", 0.16), ("per M output tokens", 4.0)),
                new CatalogModel("3e9c2d1a-0b7f-4e6d-8c5b-4a3f2e1d0c9b", "@cf/google/gemma-4-26b-a4b-it", "Gemma 4 26B A4B instruction-tuned.", Tg, "2026-04-02 08:00:00.000")
                    .Num("context_window", 256000).Str("function_calling", "true").Str("reasoning", "true").Str("vision", "true")
                    .Str("planned_deprecation_date", "2099-12-31"),
                new CatalogModel("b5f8e7d6-c5b4-4a39-8281-7f6e5d4c3b2a", "@hf/nousresearch/hermes-2-pro-mistral-7b", "Hermes 2 Pro on Mistral 7B, function calling.", Tg, "2024-04-01 23:03:20.000")
                    .Str("function_calling", "true").Str("planned_deprecation_date", "2026-05-30T00:00:00Z"),
                new CatalogModel("c4d3e2f1-a0b9-4c8d-9e7f-6a5b4c3d2e1f", "@cf/zai-org/glm-4.7-flash", "GLM 4.7 Flash.", Tg, "2026-01-20 12:00:00.000")
                    .Str("context_window", "131072").Str("function_calling", "true").Num("reasoning", 1).Tags("flash"),
                new CatalogModel("d2e1f0a9-b8c7-4d6e-8f5a-4b3c2d1e0f9a", "@cf/deepseek-ai/deepseek-r1-distill-qwen-32b", "DeepSeek R1 distilled into Qwen 32B.", Tg, "2025-01-22 19:48:55.776")
                    .Str("context_window", "80000").Str("reasoning", "true").Obj("info", "{\"url\":\"https://api-docs.deepseek.com/\"}"),
                new CatalogModel("e1f0a9b8-c7d6-4e5f-9a4b-3c2d1e0f9a8b", "@cf/baai/bge-m3", "Multi-functionality, multi-linguality and multi-granularity embeddings.", "Text Embeddings", "2024-05-22 19:27:09.781")
                    .Price(("per M input tokens", 0.012)),
                new CatalogModel("f0a9b8c7-d6e5-4f4a-8b3c-2d1e0f9a8b7c", "@cf/black-forest-labs/flux-1-schnell", "FLUX.1 [schnell], a 12 billion parameter text-to-image model.", "Text-to-Image", "2024-08-29 16:37:39.541")
                    .Price(("per 512 by 512 tile", 0.0000528)),
            };
        }

        /// <summary>N text-generation models whose properties rotate through the value shapes (the benchmark's catalog).</summary>
        internal static IReadOnlyList<CatalogModel> Generated(int count)
        {
            var models = new List<CatalogModel>(count);
            for (int i = 0; i < count; i++)
            {
                var m = new CatalogModel($"00000000-0000-4000-8000-{i:x12}", $"@cf/emulator/model-{i:0000}", $"Generated model number {i} of the emulator's large catalog.",
                    "Text Generation", "2025-08-05 10:27:29.131");
                if (i % 2 == 0) m.Str("context_window", (8192 + i).ToString(CultureInfo.InvariantCulture));
                else m.Num("context_window", 8192 + i);
                if (i % 3 == 0) m.Str("function_calling", "true");
                if (i % 5 == 0) m.Bool("reasoning", true).Obj("reasoning_effort", "{\"type\":\"enum\",\"values\":[\"low\",\"high\"]}");
                if (i % 7 == 0) m.Str("vision", "true");
                m.Price(("per M input tokens", 0.1 + i / 1000.0), ("per M output tokens", 0.5 + i / 1000.0));
                m.Str("terms", "https://example.com/terms");
                models.Add(m);
            }
            return models;
        }

        private static int ParseInt(string text, string what, int min, int max)
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
                throw new EmulatorUsageException($"{what} must be a whole number from {min} to {max}, not '{text}'.");
            return value;
        }

        private static async Task JsonAsync(HttpContext ctx, int status, string body)
        {
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = "application/json";
            byte[] bytes = System.Text.Encoding.UTF8.GetBytes(body);
            ctx.Response.ContentLength = bytes.Length;
            await ctx.Response.Body.WriteAsync(bytes, ctx.RequestAborted);
        }
    }

    /// <summary>One catalog item; each property keeps the JSON shape it was given.</summary>
    internal sealed class CatalogModel
    {
        private readonly List<(string Id, Action<Utf8JsonWriter> Value)> _properties = new();
        private readonly List<string> _tags = new();

        public CatalogModel(string id, string name, string description, string task, string createdAt)
        {
            Id = id;
            Name = name;
            Description = description;
            Task = task;
            CreatedAt = createdAt;
        }

        public string Id { get; }
        public string Name { get; }
        public string Description { get; }
        public string Task { get; }
        public string CreatedAt { get; }

        public CatalogModel Str(string id, string value) => Add(id, w => w.WriteStringValue(value));
        public CatalogModel Num(string id, double value) => Add(id, w => w.WriteNumberValue(value));
        public CatalogModel Bool(string id, bool value) => Add(id, w => w.WriteBooleanValue(value));
        public CatalogModel Obj(string id, string json) => Raw(id, json);
        public CatalogModel Raw(string id, string json) => Add(id, w => w.WriteRawValue(json));

        public CatalogModel Price(params (string Unit, double Price)[] entries) => Add("price", w =>
        {
            w.WriteStartArray();
            foreach (var (unit, price) in entries)
            {
                w.WriteStartObject();
                w.WriteString("unit", unit);
                w.WriteNumber("price", price);
                w.WriteString("currency", "USD");
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });

        public CatalogModel Tags(params string[] tags)
        {
            _tags.AddRange(tags);
            return this;
        }

        private CatalogModel Add(string id, Action<Utf8JsonWriter> value)
        {
            _properties.Add((id, value));
            return this;
        }

        public void Write(Utf8JsonWriter w)
        {
            w.WriteStartObject();
            w.WriteString("id", Id);
            w.WriteNumber("source", 1);
            w.WriteString("name", Name);
            w.WriteString("description", Description);
            w.WriteStartObject("task");
            w.WriteString("id", "c329a1f9-323d-4e91-b2aa-582dd4188d34");
            w.WriteString("name", Task);
            w.WriteString("description", Task + " models.");
            w.WriteEndObject();
            w.WriteString("created_at", CreatedAt);
            w.WriteStartArray("tags");
            foreach (string tag in _tags) w.WriteStringValue(tag);
            w.WriteEndArray();
            w.WriteStartArray("properties");
            foreach (var (id, value) in _properties)
            {
                w.WriteStartObject();
                w.WriteString("property_id", id);
                w.WritePropertyName("value");
                value(w);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
    }
}
