using System;
using System.Globalization;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace CloudflareAI.TestServer
{
    /// <summary>Answers a request the way a failing Cloudflare (or OpenAI-compatible) service does.
    /// The bodies are the ones the real services send (v4 envelope, AI Gateway, Workers AI, OpenAI), byte for byte
    /// where known.</summary>
    internal static class FaultResponder
    {
        public static readonly string NoRouteBody = Envelope(7000, "No route for that URI");

        private const string CapacityMessage = "AiError: AiError: Capacity temporarily exceeded, please try again. (c0ffee01)";
        private const string PerMinuteMessage = "AiError: AiError: rate limiting: inference request per min rate reached (8700d6e7)";
        private const string QuotaSeenMessage =
            "AiError: AiError: you have used up your daily free allocation of 10,000 neurons, please upgrade to Cloudflare's Workers Paid plan if you would like to continue usage. (1a2b3c4d)";
        private const string QuotaDocumentedMessage =
            "AiError: AiError: You have used up your daily free allocation of 10,000 neurons, please upgrade to Cloudflare's Workers Paid plan if you would like to continue usage. (1a2b3c4d)";

        /// <summary>Cloudflare's v4 answer to a token it does not accept, for chat and for the account API alike.</summary>
        public static readonly string AuthenticationBody = Envelope(10000, "Authentication error");

        private const string Html502 =
            "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>";

        /// <summary>Default wait of <c>slow</c> and <c>slow-stream</c>: longer than any sane test timeout.</summary>
        private const int DefaultSlowMs = 30_000;

        public static async Task RespondAsync(HttpContext ctx, ChatExchange x, Scenario s)
        {
            if (await CodeFaultResponder.TryRespondAsync(ctx, x, s)) return;
            if (HostileResponder.Handles(s.Name))
            {
                await HostileResponder.RespondAsync(ctx, x, s);
                return;
            }
            switch (s.Name)
            {
                case "rate-limit":
                {
                    string code = s.ChoiceParam("code", "3040", "3021");
                    string message = code == "3021" ? PerMinuteMessage : CapacityMessage;
                    await JsonAsync(ctx, s, 429, AiErrorBody(message, code));
                    break;
                }
                case "quota":
                {
                    string code = s.ChoiceParam("code", "4006", "3036", "none");
                    string message = code == "3036" ? QuotaDocumentedMessage : QuotaSeenMessage;
                    await JsonAsync(ctx, s, 429, AiErrorBody(message, code == "none" ? null : code));
                    break;
                }
                case "unavailable":
                    await JsonAsync(ctx, s, 503, Envelope(7009, "Upstream service unavailable"));
                    break;
                case "server-error":
                    await JsonAsync(ctx, s, 500, "{\"error\":{\"message\":\"internal error\",\"type\":\"server_error\"}}");
                    break;
                case "unauthorized":
                    await JsonAsync(ctx, s, 401, AuthenticationBody);
                    break;
                case "forbidden":
                    await JsonAsync(ctx, s, 403, AuthenticationBody);
                    break;
                case "gateway-unauthorized":
                    await JsonAsync(ctx, s, 401, "{\"success\":false,\"result\":[],\"messages\":[],\"error\":[{\"code\":2009,\"message\":\"Unauthorized\"}]}");
                    break;
                case "not-found":
                    await JsonAsync(ctx, s, 404,
                        "{\"error\":{\"message\":" + JsonSink.Quote("The model `" + x.Model + "` does not exist") +
                        ",\"type\":\"invalid_request_error\",\"code\":\"model_not_found\"}}");
                    break;
                case "model-3042":
                    await JsonAsync(ctx, s, 404, AiErrorBody("AiError: AiError: The model name is invalid (5e6f7a8b)", "3042"));
                    break;
                case "model-5007":
                    await JsonAsync(ctx, s, 400, Envelope(5007, "No such model " + x.Model + " or task"));
                    break;
                case "bad-account":
                    await JsonAsync(ctx, s, 400,
                        "{\"result\":null,\"success\":false,\"errors\":[{\"code\":7003,\"message\":" +
                        JsonSink.Quote("Could not route to " + x.Record.Path + ", perhaps your object identifier is invalid?") +
                        "},{\"code\":7000,\"message\":\"No route for that URI\"}],\"messages\":[]}");
                    break;
                case "errors-object":
                    await JsonAsync(ctx, s, 400,
                        "{\"errors\":{\"message\":\"AiError: Bad input: Error: oneOf at '/' not met (d00dfeed)\",\"code\":5006},\"success\":false,\"result\":{},\"messages\":[]}");
                    break;
                case "openai-error":
                    await JsonAsync(ctx, s, 400, "{\"error\":{\"code\":\"invalid_prompt\",\"message\":\"AiError: AiError: invalid prompt (abcd1234)\"}}");
                    break;
                case "html-502":
                    await WriteAsync(ctx, s, 502, "text/html", Html502);
                    break;
                case "echo-token":
                    if (s.ChoiceParam("form", "headers", "bare") == "bare")
                    {
                        // OpenAI's wording: only the key, without "Bearer " or the header name.
                        await JsonAsync(ctx, s, 401,
                            "{\"error\":{\"code\":\"invalid_api_key\",\"message\":" + JsonSink.Quote("Incorrect API key provided: " + x.Record.BareCredential() + ".") + "}}");
                    }
                    else
                    {
                        await JsonAsync(ctx, s, 401,
                            "{\"errors\":[{\"code\":10000,\"message\":" + JsonSink.Quote("Authentication error for " + Credentials(x.Record)) +
                            "}],\"success\":false}");
                    }
                    break;
                case "echo-token-success":
                {
                    // A 200 that repeats the key everywhere but the answer: id, model, finish reason and gateway headers.
                    string key = x.Record.BareCredential();
                    ctx.Response.Headers["cf-aig-log-id"] = "log-" + key;
                    ctx.Response.Headers["cf-aig-cache-status"] = "MISS " + key;
                    await JsonAsync(ctx, s, 200,
                        "{\"id\":" + JsonSink.Quote("chatcmpl-" + key) + ",\"object\":\"chat.completion\",\"model\":" + JsonSink.Quote("model-" + key) +
                        ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"echoed\"},\"finish_reason\":" + JsonSink.Quote("stop " + key) + "}]}");
                    break;
                }
                case "redirect":
                {
                    int status = int.Parse(s.ChoiceParam("status", "307", "301", "302", "303", "308"), CultureInfo.InvariantCulture);
                    ctx.Response.StatusCode = status;
                    ctx.Response.Headers.Location = s.Param("location") ?? "https://elsewhere.example/v1/chat/completions";
                    ctx.Response.ContentLength = 0;
                    break;
                }
                case "reset":
                    ctx.Abort();
                    break;
                case "truncated":
                    await ChatResponder.WriteAsync(ctx, x, new AnswerShape { Truncate = true, CleanEnd = s.ChoiceParam("end", "abort", "clean") == "clean" });
                    break;
                case "slow":
                    await Task.Delay(s.IntParam("delayMs", DefaultSlowMs, 0, 3_600_000), ctx.RequestAborted);
                    await ChatResponder.WriteAsync(ctx, x, AnswerShape.Normal);
                    break;
                case "slow-stream":
                    await ChatResponder.WriteAsync(ctx, x, new AnswerShape { PauseAfterFirstMs = s.IntParam("delayMs", DefaultSlowMs, 1, 3_600_000) });
                    break;
                default:
                    // Scenario.Parse admits only known names; reaching here means a case is missing above.
                    throw new InvalidOperationException("Scenario without a responder: " + s.Name);
            }
        }

        /// <summary>Checks every parameter before anything is sent, so a typo fails loudly even on a
        /// request the <c>times</c> budget lets through.</summary>
        public static void Validate(Scenario s)
        {
            CodeFaultResponder.Validate(s);
            if (HostileResponder.Handles(s.Name)) HostileResponder.Validate(s);
            switch (s.Name)
            {
                case "rate-limit": s.ChoiceParam("code", "3040", "3021"); break;
                case "quota": s.ChoiceParam("code", "4006", "3036", "none"); break;
                case "truncated": s.ChoiceParam("end", "abort", "clean"); break;
                case "slow": s.IntParam("delayMs", DefaultSlowMs, 0, 3_600_000); break;
                case "slow-stream": s.IntParam("delayMs", DefaultSlowMs, 1, 3_600_000); break;
                case "redirect": s.ChoiceParam("status", "307", "301", "302", "303", "308"); break;
            }
            if (s.Param("retryAfterDate") is not null) s.IntParam("retryAfterDate", 0, -86_400, 86_400);
        }

        /// <summary>The Cloudflare v4 envelope as the api.cloudflare.com front end writes it.</summary>
        public static string Envelope(int code, string message) =>
            "{\"result\":null,\"success\":false,\"errors\":[{\"code\":" + code.ToString(CultureInfo.InvariantCulture) +
            ",\"message\":" + JsonSink.Quote(message) + "}],\"messages\":[]}";

        /// <summary>The shape Workers AI itself uses for AiError failures ("prod 429 body verbatim").</summary>
        private static string AiErrorBody(string message, string? code) =>
            "{\"errors\":[{\"message\":" + JsonSink.Quote(message) + (code is null ? "" : ",\"code\":" + code) +
            "}],\"success\":false,\"result\":{},\"messages\":[]}";

        private static string Credentials(RequestRecord r)
        {
            var sb = new StringBuilder();
            foreach (var name in new[] { "authorization", "cf-aig-authorization", "api-key" })
            {
                if (r.Header(name) is not { } value) continue;
                if (sb.Length > 0) sb.Append(", ");
                sb.Append(name).Append(": ").Append(value);
            }
            return sb.Length == 0 ? "(no credentials sent)" : sb.ToString();
        }

        private static Task JsonAsync(HttpContext ctx, Scenario s, int status, string body) =>
            WriteAsync(ctx, s, status, "application/json", body);

        private static async Task WriteAsync(HttpContext ctx, Scenario s, int status, string contentType, string body)
        {
            HttpResponse response = ctx.Response;
            response.StatusCode = status;
            response.ContentType = contentType;
            if (s.Param("retryAfter") is { } seconds) response.Headers.RetryAfter = seconds;
            if (s.Param("retryAfterDate") is not null)
            {
                // An HTTP date has whole seconds: round up, so the client never sees a wait shorter than asked.
                DateTimeOffset when = DateTimeOffset.UtcNow.AddSeconds(s.IntParam("retryAfterDate", 0, -86_400, 86_400));
                long remainder = when.Ticks % TimeSpan.TicksPerSecond;
                if (remainder != 0) when = when.AddTicks(TimeSpan.TicksPerSecond - remainder);
                response.Headers.RetryAfter = when.ToString("R", CultureInfo.InvariantCulture);
            }
            byte[] bytes = Encoding.UTF8.GetBytes(body);
            response.ContentLength = bytes.Length;
            await response.Body.WriteAsync(bytes, ctx.RequestAborted);
        }
    }
}
