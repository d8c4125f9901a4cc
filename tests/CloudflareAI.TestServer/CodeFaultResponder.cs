using System;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace CloudflareAI.TestServer
{
    /// <summary>
    /// The error codes Cloudflare and OpenAI added or changed in 2026: a retired model (5028), a model that needs Workers
    /// Paid (5035), a JSON schema with streaming (5023), invalid input (8001), the REST gateway's provider-credential 2009
    /// and Unified Billing 503, OpenAI's insufficient_quota, and an error event inside a 200 stream. Where the platform's
    /// exact body is not documented (the 503), the body is a plausible one and the README says so.
    /// </summary>
    internal static class CodeFaultResponder
    {
        /// <summary>Retired by Cloudflare on 2026-05-30: every call to it answers 5028, as on the real platform.</summary>
        public const string RetiredModel = "@cf/meta/llama-3.1-8b-instruct";

        private const string RetiredMessage =
            "AiError: AiError: 5028: This model was deprecated on 2026-05-30. Please use an alternative model (5028aa00-0000-4000-8000-00000000cafe)";

        private const string PlanRequiredMessage =
            "AiError: AiError: 5035: This model requires the Workers Paid plan. Upgrade your account to use it. (5035bb00-0000-4000-8000-00000000cafe)";

        private const string SchemaWithStreamMessage = "AiError: AiError: JSON Schema mode is not supported with stream mode (5023cc00)";

        /// <summary>The detail after "Invalid input" is what the tests look for in the error record.</summary>
        public const string InvalidInputDetail = "Invalid input: tool_choice must be auto, none or required";

        private const string InsufficientQuotaBody =
            "{\"error\":{\"message\":\"You exceeded your current quota, please check your plan and billing details.\",\"type\":\"insufficient_quota\",\"param\":null,\"code\":\"insufficient_quota\"}}";

        /// <summary>True for the model name itself and for it behind a gateway prefix (workers-ai/@cf/...).</summary>
        public static bool IsRetired(string model) =>
            model.Equals(RetiredModel, StringComparison.Ordinal) || model.EndsWith("/" + RetiredModel, StringComparison.Ordinal);

        public static Task RetiredAsync(HttpContext ctx) => JsonAsync(ctx, 400, AiErrorBody(RetiredMessage, 5028));

        /// <summary>Answers the scenarios of this class; false for any other.</summary>
        public static async Task<bool> TryRespondAsync(HttpContext ctx, ChatExchange x, Scenario s)
        {
            switch (s.Name)
            {
                case "plan-required":
                    await JsonAsync(ctx, 403, AiErrorBody(PlanRequiredMessage, 5035));
                    return true;
                case "schema-stream":
                    await JsonAsync(ctx, 400, AiErrorBody(SchemaWithStreamMessage, 5023));
                    return true;
                case "invalid-input":
                    await JsonAsync(ctx, 400, AiErrorBody("AiError: AiError: " + InvalidInputDetail + " (8001dd00)", 8001));
                    return true;
                case "provider-credentials":
                    // The REST gateway since 2026-10-06: the provider refused the key, whichever provider it was.
                    await JsonAsync(ctx, 401, FaultResponder.Envelope(2009, "Unauthorized: the provider rejected the credentials"));
                    return true;
                case "unified-billing-credential":
                    await JsonAsync(ctx, 503, "{\"result\":null,\"success\":false,\"errors\":[{\"message\":\"The provider rejected the Unified Billing credential\"}],\"messages\":[]}");
                    return true;
                case "insufficient-quota":
                    await JsonAsync(ctx, 429, InsufficientQuotaBody);
                    return true;
                case "stream-error":
                    await ErrorEventAsync(ctx, x, s.ChoiceParam("code", "invalid_api_key", "insufficient_quota", "server_error"));
                    return true;
                default:
                    return false;
            }
        }

        public static void Validate(Scenario s)
        {
            if (s.Name == "stream-error") s.ChoiceParam("code", "invalid_api_key", "insufficient_quota", "server_error");
        }

        /// <summary>
        /// HTTP 200 whose answer is an error object: as the only event of a stream (OpenAI's <c>{"error":{...}}</c> data
        /// line, then the stream closes), or as the whole JSON body when the request did not stream.
        /// </summary>
        private static async Task ErrorEventAsync(HttpContext ctx, ChatExchange x, string code)
        {
            string message = code switch
            {
                "invalid_api_key" => "Incorrect API key provided.",
                "insufficient_quota" => "You exceeded your current quota, please check your plan and billing details.",
                _ => "The server had an error while processing your request.",
            };
            string type = code == "server_error" ? "server_error" : code == "insufficient_quota" ? "insufficient_quota" : "invalid_request_error";
            string error = "{\"error\":{\"message\":" + JsonSink.Quote(message) + ",\"type\":\"" + type + "\",\"param\":null,\"code\":\"" + code + "\"}}";
            if (!x.Stream)
            {
                await JsonAsync(ctx, 200, error);
                return;
            }
            HttpResponse response = ctx.Response;
            response.StatusCode = 200;
            response.ContentType = "text/event-stream";
            byte[] bytes = Encoding.UTF8.GetBytes("data: " + error + "\n\n");
            await response.Body.WriteAsync(bytes, ctx.RequestAborted);
            await response.Body.FlushAsync(ctx.RequestAborted);
        }

        /// <summary>Workers AI's own error shape, the code both in the text and as a number.</summary>
        internal static string AiErrorBody(string message, int code) =>
            "{\"errors\":[{\"message\":" + JsonSink.Quote(message) + ",\"code\":" + code.ToString(System.Globalization.CultureInfo.InvariantCulture) +
            "}],\"success\":false,\"result\":{},\"messages\":[]}";

        private static async Task JsonAsync(HttpContext ctx, int status, string body)
        {
            HttpResponse response = ctx.Response;
            response.StatusCode = status;
            response.ContentType = "application/json";
            byte[] bytes = Encoding.UTF8.GetBytes(body);
            response.ContentLength = bytes.Length;
            await response.Body.WriteAsync(bytes, ctx.RequestAborted);
        }
    }
}
