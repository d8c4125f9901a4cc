using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO.Pipelines;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace CloudflareAI.TestServer
{
    /// <summary>
    /// Function calling, scripted by model name:
    /// <c>@emulator/tool-caller</c> calls every declared tool once, then, once the tool results are back, answers with them;
    /// <c>@emulator/tool-looper</c> calls the first declared tool on every turn and never answers;
    /// <c>@emulator/tool-undeclared</c> calls <c>Remove-Item</c>, which no test declares, then answers with the result;
    /// any other model asked with tools declared behaves like the tool-caller.
    /// Arguments come from X-Emulator-Tool-Arguments (a JSON object of tool name to arguments object; default <c>{}</c>).
    /// With X-Emulator-Chunks N, each call's arguments are <c>{"text":"tok1 ... tokN "}</c> streamed one token per chunk.
    /// Streamed calls arrive as deltas by index (ID and name first, then the arguments in pieces). Like the real hosts, a
    /// tool message whose tool_call_id matches no earlier call, tool_choice "any" (Workers AI), and an assistant tool-call
    /// turn with null content (Workers AI) are 400s.
    /// </summary>
    internal static class ToolResponder
    {
        public const string ArgumentsHeader = "x-emulator-tool-arguments";
        private const string Caller = "@emulator/tool-caller";
        private const string Looper = "@emulator/tool-looper";
        private const string Undeclared = "@emulator/tool-undeclared";
        private const int FlushBatch = 64;

        /// <summary>The scripted models, and any other model asked with tools declared (and tool_choice not "none"): like a
        /// real model, it calls every declared tool once, then answers with their results (the tool-caller's script).</summary>
        public static bool Handles(string model, string body) => model is Caller or Looper or Undeclared || DeclaresTools(body);

        private static bool DeclaresTools(string body)
        {
            if (body.IndexOf("\"tools\"", StringComparison.Ordinal) < 0) return false;
            try
            {
                using JsonDocument doc = JsonDocument.Parse(body);
                JsonElement root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("tools", out JsonElement tools)
                    || tools.ValueKind != JsonValueKind.Array || tools.GetArrayLength() == 0) return false;
                return !(root.TryGetProperty("tool_choice", out JsonElement choice) && choice.ValueKind == JsonValueKind.String && choice.GetString() == "none");
            }
            catch (JsonException)
            {
                return false;
            }
        }

        public static async Task RespondAsync(HttpContext ctx, ChatExchange x)
        {
            using JsonDocument doc = JsonDocument.Parse(x.Record.Body);
            JsonElement root = doc.RootElement;
            string? problem = Check(root, x.Flavour);
            if (problem is not null)
            {
                await WriteAsync(ctx, 400, "application/json", x.Flavour == Flavour.WorkersAI
                    ? "{\"errors\":[{\"message\":\"AiError: Bad input: " + problem + "\",\"code\":8001}],\"success\":false,\"result\":{},\"messages\":[]}"
                    : "{\"error\":{\"message\":\"" + problem + "\",\"type\":\"invalid_request_error\",\"code\":null}}");
                return;
            }

            List<string> declared = DeclaredTools(root);
            List<string> results = ToolResultsSinceLastUser(root);
            var calls = new List<(string Id, string Name, string Arguments)>();
            string content = string.Empty;
            if (x.Model == Looper || results.Count == 0)
            {
                IEnumerable<string> names = x.Model switch
                {
                    Looper => declared.Take(1),
                    Undeclared => new[] { "Remove-Item" },
                    _ => declared,
                };
                int i = 0;
                foreach (string name in names)
                {
                    // Long IDs, as current hosts send them: a client that shortens them breaks the pairing.
                    string id = "call_emulator_" + x.Record.Seq.ToString("D6", CultureInfo.InvariantCulture) + "_" + i.ToString(CultureInfo.InvariantCulture) + "_q7Zr2LmXw";
                    calls.Add((id, name, ArgumentsFor(x, name)));
                    i++;
                }
            }
            else
            {
                content = "Tool results: " + string.Join(" | ", results);
            }

            if (x.Stream) await StreamAsync(ctx, x, calls, content);
            else await CompleteAsync(ctx, x, calls, content);
        }

        private static string? Check(JsonElement root, Flavour flavour)
        {
            if (flavour == Flavour.WorkersAI && root.TryGetProperty("tool_choice", out JsonElement choice) && choice.ValueKind == JsonValueKind.String && choice.GetString() == "any")
            {
                return "tool_choice 'any' is not supported";
            }
            var ids = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonElement message in root.GetProperty("messages").EnumerateArray())
            {
                string role = message.TryGetProperty("role", out JsonElement r) ? r.GetString() ?? "" : "";
                if (role == "assistant" && message.TryGetProperty("tool_calls", out JsonElement calls) && calls.ValueKind == JsonValueKind.Array)
                {
                    if (!message.TryGetProperty("content", out JsonElement c) || c.ValueKind == JsonValueKind.Null) return "assistant content must be a string";
                    foreach (JsonElement call in calls.EnumerateArray())
                    {
                        if (call.TryGetProperty("id", out JsonElement id) && id.GetString() is { } text) ids.Add(text);
                    }
                }
                if (role == "tool")
                {
                    string? callId = message.TryGetProperty("tool_call_id", out JsonElement t) ? t.GetString() : null;
                    if (callId is null || !ids.Contains(callId)) return "tool message tool_call_id '" + (callId ?? "null") + "' matches no earlier tool call";
                }
            }
            return null;
        }

        private static List<string> DeclaredTools(JsonElement root)
        {
            var names = new List<string>();
            if (!root.TryGetProperty("tools", out JsonElement tools) || tools.ValueKind != JsonValueKind.Array) return names;
            foreach (JsonElement tool in tools.EnumerateArray())
            {
                if (tool.TryGetProperty("function", out JsonElement f) && f.TryGetProperty("name", out JsonElement n) && n.GetString() is { } name) names.Add(name);
            }
            return names;
        }

        private static List<string> ToolResultsSinceLastUser(JsonElement root)
        {
            var results = new List<string>();
            foreach (JsonElement message in root.GetProperty("messages").EnumerateArray())
            {
                string role = message.TryGetProperty("role", out JsonElement r) ? r.GetString() ?? "" : "";
                if (role == "user") results.Clear();
                if (role == "tool" && message.TryGetProperty("content", out JsonElement c)) results.Add(c.ValueKind == JsonValueKind.String ? c.GetString()! : c.GetRawText());
            }
            return results;
        }

        private static string ArgumentsFor(ChatExchange x, string name)
        {
            if (x.Chunks is { } n)
            {
                var text = new StringBuilder("{\"text\":\"");
                for (int i = 1; i <= n; i++) text.Append("tok").Append(i.ToString(CultureInfo.InvariantCulture)).Append(' ');
                return text.Append("\"}").ToString();
            }
            if (x.Record.Header(ArgumentsHeader) is { Length: > 0 } header)
            {
                using JsonDocument doc = JsonDocument.Parse(header);
                if (doc.RootElement.TryGetProperty(name, out JsonElement args)) return args.GetRawText();
            }
            return "{}";
        }

        /// <summary>The arguments in the pieces a stream carries them in: one token each with X-Emulator-Chunks, else 5 characters.</summary>
        private static List<string> Pieces(ChatExchange x, string arguments)
        {
            var pieces = new List<string>();
            if (x.Chunks is { } n)
            {
                pieces.Add("{\"text\":\"");
                for (int i = 1; i <= n; i++) pieces.Add("tok" + i.ToString(CultureInfo.InvariantCulture) + " ");
                pieces.Add("\"}");
                return pieces;
            }
            for (int i = 0; i < arguments.Length; i += 5) pieces.Add(arguments.Substring(i, Math.Min(5, arguments.Length - i)));
            return pieces;
        }

        private static async Task CompleteAsync(HttpContext ctx, ChatExchange x, List<(string Id, string Name, string Arguments)> calls, string content)
        {
            var body = new ArrayBufferWriter<byte>(512);
            using (var w = new Utf8JsonWriter(body))
            {
                w.WriteStartObject();
                w.WriteString("id", x.Id);
                w.WriteString("object", "chat.completion");
                w.WriteNumber("created", x.Created);
                w.WriteString("model", x.Model);
                w.WriteStartArray("choices");
                w.WriteStartObject();
                w.WriteNumber("index", 0);
                w.WriteStartObject("message");
                w.WriteString("role", "assistant");
                if (calls.Count > 0) w.WriteNull("content");
                else w.WriteString("content", content);
                if (calls.Count > 0 && x.Reasoning is not null) w.WriteString("reasoning", x.Reasoning);
                if (calls.Count > 0)
                {
                    w.WriteStartArray("tool_calls");
                    foreach (var call in calls)
                    {
                        w.WriteStartObject();
                        w.WriteString("id", call.Id);
                        w.WriteString("type", "function");
                        w.WriteStartObject("function");
                        w.WriteString("name", call.Name);
                        w.WriteString("arguments", call.Arguments);
                        w.WriteEndObject();
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                }
                w.WriteEndObject();
                w.WriteString("finish_reason", calls.Count > 0 ? "tool_calls" : "stop");
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteStartObject("usage");
                w.WriteNumber("prompt_tokens", x.PromptTokens);
                w.WriteNumber("completion_tokens", 10);
                w.WriteNumber("total_tokens", x.PromptTokens + 10);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            await WriteAsync(ctx, 200, "application/json", Encoding.UTF8.GetString(body.WrittenSpan));
        }

        private static async Task StreamAsync(HttpContext ctx, ChatExchange x, List<(string Id, string Name, string Arguments)> calls, string content)
        {
            HttpResponse response = ctx.Response;
            response.StatusCode = 200;
            response.ContentType = "text/event-stream";
            PipeWriter pipe = response.BodyWriter;
            int sent = 0;

            async Task EventAsync(Action<Utf8JsonWriter> delta, string? finish)
            {
                var buffer = new ArrayBufferWriter<byte>(256);
                using (var w = new Utf8JsonWriter(buffer))
                {
                    w.WriteStartObject();
                    w.WriteString("id", x.Id);
                    w.WriteString("object", "chat.completion.chunk");
                    w.WriteNumber("created", x.Created);
                    w.WriteString("model", x.Model);
                    w.WriteStartArray("choices");
                    w.WriteStartObject();
                    w.WriteNumber("index", 0);
                    w.WriteStartObject("delta");
                    delta(w);
                    w.WriteEndObject();
                    if (finish is null) w.WriteNull("finish_reason");
                    else w.WriteString("finish_reason", finish);
                    w.WriteEndObject();
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                pipe.Write("data: "u8);
                pipe.Write(buffer.WrittenSpan);
                pipe.Write("\n\n"u8);
                if (++sent % FlushBatch == 0 || x.ChunkDelayMs > 0)
                {
                    await pipe.FlushAsync(ctx.RequestAborted);
                    if (x.ChunkDelayMs > 0) await Task.Delay(x.ChunkDelayMs, ctx.RequestAborted);
                }
            }

            if (x.Reasoning is not null && calls.Count > 0) await EventAsync(w => { w.WriteString("role", "assistant"); w.WriteString("reasoning", x.Reasoning); }, null);
            if (calls.Count == 0)
            {
                foreach (string word in content.Split(' ')) await EventAsync(w => w.WriteString("content", word + " "), null);
            }
            for (int index = 0; index < calls.Count; index++)
            {
                var call = calls[index];
                int callIndex = index;
                await EventAsync(w =>
                {
                    w.WriteStartArray("tool_calls");
                    w.WriteStartObject();
                    w.WriteNumber("index", callIndex);
                    w.WriteString("id", call.Id);
                    w.WriteString("type", "function");
                    w.WriteStartObject("function");
                    w.WriteString("name", call.Name);
                    w.WriteString("arguments", "");
                    w.WriteEndObject();
                    w.WriteEndObject();
                    w.WriteEndArray();
                }, null);
                foreach (string piece in Pieces(x, call.Arguments))
                {
                    await EventAsync(w =>
                    {
                        w.WriteStartArray("tool_calls");
                        w.WriteStartObject();
                        w.WriteNumber("index", callIndex);
                        w.WriteStartObject("function");
                        w.WriteString("arguments", piece);
                        w.WriteEndObject();
                        w.WriteEndObject();
                        w.WriteEndArray();
                    }, null);
                }
            }
            await EventAsync(_ => { }, calls.Count > 0 ? "tool_calls" : "stop");
            pipe.Write("data: [DONE]\n\n"u8);
            await pipe.FlushAsync(ctx.RequestAborted);
        }

        private static async Task WriteAsync(HttpContext ctx, int status, string contentType, string text)
        {
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = contentType;
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            ctx.Response.ContentLength = bytes.Length;
            await ctx.Response.Body.WriteAsync(bytes, ctx.RequestAborted);
        }
    }
}
