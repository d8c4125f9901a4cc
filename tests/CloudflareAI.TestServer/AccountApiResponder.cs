using System;
using System.Globalization;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace CloudflareAI.TestServer
{
    /// <summary>
    /// The Cloudflare account API that Test-AIProviderEnvironment -Online reads: token verification in its user and
    /// account forms, and the AI Gateway lookup. Tests steer it by the token's value and the gateway id (the module sends
    /// no steering headers on these requests); README.md lists the words.
    /// </summary>
    internal static class AccountApiResponder
    {
        private const string ApiPrefix = "/client/v4/";
        private const string UserVerifyPath = "/client/v4/user/tokens/verify";
        private const string AccountsPrefix = "/client/v4/accounts/";

        // Cloudflare answers an account-owned token on the user form exactly as it answers a revoked one.
        private const string InvalidTokenBody =
            "{\"success\":false,\"errors\":[{\"code\":1000,\"message\":\"Invalid API Token\"}],\"messages\":[],\"result\":null}";
        private const string MissingAuthorizationBody =
            "{\"success\":false,\"errors\":[{\"code\":9106,\"message\":\"Missing X-Auth-Key, X-Auth-Email or Authorization headers\"}],\"messages\":[],\"result\":null}";
        private const string GatewayNotFoundBody =
            "{\"success\":false,\"errors\":[{\"code\":7002,\"message\":\"Not Found\"}],\"messages\":[],\"result\":null}";

        /// <summary>Longer than any test's -TimeoutSec; the wait ends when the client gives up.</summary>
        private const int SlowMs = 30_000;

        /// <summary>Answers the request if it is one of these routes; false leaves it to the other responders.</summary>
        public static async Task<bool> TryRespondAsync(HttpContext ctx, RequestRecord record)
        {
            if (!HttpMethods.IsGet(record.Method)) return false;
            string path = record.Path;
            string? token = BearerToken(record);
            if (!path.StartsWith(ApiPrefix, StringComparison.Ordinal)) return await ModelListFaultAsync(ctx, path, token);

            if (path == UserVerifyPath)
            {
                await VerifyAsync(ctx, token, accountForm: false);
                return true;
            }
            if (!path.StartsWith(AccountsPrefix, StringComparison.Ordinal)) return false;

            string[] rest = path.Substring(AccountsPrefix.Length).Split('/');
            string account = rest[0];
            if (rest.Length == 3 && rest[1] == "tokens" && rest[2] == "verify")
            {
                if (!IsAccountId(account)) await NoRouteAsync(ctx, path);
                else await VerifyAsync(ctx, token, accountForm: true);
                return true;
            }
            if (rest.Length == 4 && rest[1] == "ai-gateway" && rest[2] == "gateways")
            {
                await GatewayAsync(ctx, path, account, Uri.UnescapeDataString(rest[3]), token);
                return true;
            }
            if (rest.Length == 4 && rest[1] == "ai" && rest[2] == "models" && rest[3] == "search")
            {
                // Only the steered answers; the catalog itself is the catalog responder's.
                if (Has(token, "no-workers-ai"))
                {
                    // A token without Workers AI Read.
                    await JsonAsync(ctx, 403, FaultResponder.AuthenticationBody);
                    return true;
                }
                if (Has(token, "retired-default"))
                {
                    // An account whose catalog no longer has any of the aliases' default models.
                    await JsonAsync(ctx, 200,
                        "{\"success\":true,\"errors\":[],\"messages\":[],\"result\":[{\"id\":\"5b0b1f1c-0000-4000-8000-000000000001\"," +
                        "\"source\":1,\"name\":\"@cf/example/replacement-model\",\"description\":\"The only model left.\"," +
                        "\"task\":{\"id\":\"c329a1f9-323d-4e91-b2aa-582dd4188d34\",\"name\":\"Text Generation\",\"description\":\"\"}," +
                        "\"created_at\":\"2026-06-01 09:00:00.000\",\"tags\":[],\"properties\":[{\"property_id\":\"context_window\",\"value\":\"32768\"}]}]," +
                        "\"result_info\":{\"count\":1,\"page\":1,\"per_page\":100,\"total_count\":1}}");
                    return true;
                }
            }
            return false;
        }

        /// <summary>{base}/models of the other hosts, steered by the token: a host without a model list, a refused key.</summary>
        private static async Task<bool> ModelListFaultAsync(HttpContext ctx, string path, string? token)
        {
            if (!path.EndsWith("/models", StringComparison.Ordinal)) return false;
            if (Has(token, "no-model-list"))
            {
                await JsonAsync(ctx, 404, FaultResponder.NoRouteBody);
                return true;
            }
            if (Has(token, "revoked"))
            {
                await JsonAsync(ctx, 401,
                    "{\"error\":{\"message\":\"Incorrect API key provided. You can find your API key at your provider's dashboard.\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");
                return true;
            }
            return false;
        }

        private static async Task VerifyAsync(HttpContext ctx, string? token, bool accountForm)
        {
            if (token is null)
            {
                await JsonAsync(ctx, 400, MissingAuthorizationBody);
                return;
            }
            if (Has(token, "slow")) await Task.Delay(SlowMs, ctx.RequestAborted);
            if (Has(token, "revoked") || (!accountForm && Has(token, "account-owned")))
            {
                await JsonAsync(ctx, 401, InvalidTokenBody);
                return;
            }
            string status = Has(token, "expired") ? "expired" : Has(token, "disabled") ? "disabled" : "active";
            string message = status == "active" ? "This API Token is valid and active" : "This API Token is " + status;
            await JsonAsync(ctx, 200,
                "{\"result\":{\"id\":\"" + TokenId(token) + "\",\"status\":\"" + status + "\"},\"success\":true,\"errors\":[]," +
                "\"messages\":[{\"code\":10000,\"message\":\"" + message + "\",\"type\":null}]}");
        }

        private static async Task GatewayAsync(HttpContext ctx, string path, string account, string gateway, string? token)
        {
            if (!IsAccountId(account))
            {
                await NoRouteAsync(ctx, path);
                return;
            }
            if (token is null || Has(token, "revoked") || Has(token, "no-gateway-read"))
            {
                await JsonAsync(ctx, token is null ? 401 : 403, FaultResponder.AuthenticationBody);
                return;
            }
            if (gateway.StartsWith("missing", StringComparison.OrdinalIgnoreCase))
            {
                await JsonAsync(ctx, 404, GatewayNotFoundBody);
                return;
            }
            await JsonAsync(ctx, 200,
                "{\"success\":true,\"errors\":[],\"messages\":[],\"result\":{\"id\":" + JsonSink.Quote(gateway) +
                ",\"account_id\":\"" + account + "\",\"created_at\":\"2026-03-02T10:00:00.000000Z\",\"modified_at\":\"2026-11-03T09:30:00.000000Z\"," +
                "\"authentication\":true,\"cache_invalidate_on_update\":false,\"cache_ttl\":0,\"collect_logs\":true," +
                "\"rate_limiting_interval\":0,\"rate_limiting_limit\":0,\"rate_limiting_technique\":\"fixed\"}}");
        }

        private static Task NoRouteAsync(HttpContext ctx, string path) =>
            JsonAsync(ctx, 404,
                "{\"result\":null,\"success\":false,\"errors\":[{\"code\":7003,\"message\":" +
                JsonSink.Quote("Could not route to " + path + ", perhaps your object identifier is invalid?") +
                "},{\"code\":7000,\"message\":\"No route for that URI\"}],\"messages\":[]}");

        private static string? BearerToken(RequestRecord record)
        {
            string? header = record.Header("authorization");
            if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return null;
            string token = header.Substring("Bearer ".Length).Trim();
            return token.Length == 0 ? null : token;
        }

        private static bool Has(string? token, string word) =>
            token is not null && token.Contains(word, StringComparison.OrdinalIgnoreCase);

        private static bool IsAccountId(string value)
        {
            if (value.Length != 32) return false;
            foreach (char c in value)
            {
                if (!Uri.IsHexDigit(c)) return false;
            }
            return true;
        }

        /// <summary>A stable 32-hex id per token, never the token itself.</summary>
        private static string TokenId(string token)
        {
            byte[] hash = System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(token));
            var id = new StringBuilder(32);
            for (int i = 0; i < 16; i++) id.Append(hash[i].ToString("x2", CultureInfo.InvariantCulture));
            return id.ToString();
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
