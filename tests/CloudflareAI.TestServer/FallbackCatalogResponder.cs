using System;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace CloudflareAI.TestServer
{
    /// <summary>
    /// A small stand-in for the model catalog routes (Workers AI models search, a host's /models), asked only when no
    /// other responder answered, so the full catalog responder takes over wherever it exists. Enough for the online checks
    /// of Test-AIProviderEnvironment: one page, the Cloudflare aliases' default models live, an OpenAI-style list.
    /// </summary>
    internal static class FallbackCatalogResponder
    {
        private const string AuthenticationBody =
            "{\"result\":null,\"success\":false,\"errors\":[{\"code\":10000,\"message\":\"Authentication error\"}],\"messages\":[]}";

        private static readonly string[] TextGenerationModels =
        {
            "@cf/meta/llama-3.3-70b-instruct-fp8-fast",
            "@cf/meta/llama-3.1-8b-instruct",
            "@cf/qwen/qwen3-30b-a3b-fp8",
        };

        public static async Task<bool> TryRespondAsync(HttpContext ctx, RequestRecord record)
        {
            if (!HttpMethods.IsGet(record.Method)) return false;
            string? authorization = record.Header("authorization");
            bool bearer = authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                && authorization.Length > "Bearer ".Length;

            if (record.Path.StartsWith("/client/v4/accounts/", StringComparison.Ordinal) && record.Path.EndsWith("/ai/models/search", StringComparison.Ordinal))
            {
                if (!bearer)
                {
                    await JsonAsync(ctx, 401, AuthenticationBody);
                    return true;
                }
                var items = new StringBuilder();
                for (int i = 0; i < TextGenerationModels.Length; i++)
                {
                    if (i > 0) items.Append(',');
                    items.Append("{\"id\":\"0c5b8e2a-0000-4000-8000-00000000000").Append(i + 1).Append("\",\"source\":1,\"name\":")
                        .Append(JsonSink.Quote(TextGenerationModels[i]))
                        .Append(",\"description\":\"\",\"task\":{\"id\":\"c329a1f9-323d-4e91-b2aa-582dd4188d34\",\"name\":\"Text Generation\",\"description\":\"\"},")
                        .Append("\"created_at\":\"2025-08-05 10:27:29.131\",\"tags\":[],\"properties\":[{\"property_id\":\"context_window\",\"value\":\"128000\"}]}");
                }
                await JsonAsync(ctx, 200,
                    "{\"success\":true,\"errors\":[],\"messages\":[],\"result\":[" + items + "],\"result_info\":{\"count\":" + TextGenerationModels.Length +
                    ",\"page\":1,\"per_page\":100,\"total_count\":" + TextGenerationModels.Length + "}}");
                return true;
            }

            if (record.Path.EndsWith("/models", StringComparison.Ordinal) && !record.Path.StartsWith("/client/v4/", StringComparison.Ordinal))
            {
                await JsonAsync(ctx, 200,
                    "{\"object\":\"list\",\"data\":[{\"id\":\"emulator-model-a\",\"object\":\"model\",\"created\":1767225600,\"owned_by\":\"emulator\"}," +
                    "{\"id\":\"emulator-model-b\",\"object\":\"model\",\"created\":1767225600,\"owned_by\":\"emulator\"}]}");
                return true;
            }
            return false;
        }

        private static async Task JsonAsync(HttpContext ctx, int status, string body)
        {
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = "application/json";
            byte[] bytes = Encoding.UTF8.GetBytes(body);
            ctx.Response.ContentLength = bytes.Length;
            await ctx.Response.Body.WriteAsync(bytes, ctx.RequestAborted);
        }
    }
}
