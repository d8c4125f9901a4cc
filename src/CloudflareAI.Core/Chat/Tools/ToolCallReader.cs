using System.Collections.Generic;
using System.Text.Json;

namespace CloudflareAI.Chat.Tools
{
    /// <summary>Reads <c>tool_calls</c> of a whole answer's message, and of a streamed delta into a <see cref="ToolCallAssembler"/>.</summary>
    internal static class ToolCallReader
    {
        /// <summary>The message's calls; null when it has none.</summary>
        public static List<ToolCall>? Read(JsonElement message)
        {
            if (!message.TryGetProperty("tool_calls", out JsonElement calls) || calls.ValueKind != JsonValueKind.Array) return null;
            var assembler = new ToolCallAssembler();
            int position = 0;
            foreach (JsonElement call in calls.EnumerateArray())
            {
                if (call.ValueKind == JsonValueKind.Object) AddDelta(assembler, call, position);
                position++;
            }
            return assembler.HasCalls ? assembler.ToList() : null;
        }

        /// <summary>Adds every call of a streamed delta's <c>tool_calls</c> array.</summary>
        public static void AddDeltas(ToolCallAssembler assembler, JsonElement delta)
        {
            if (!delta.TryGetProperty("tool_calls", out JsonElement calls) || calls.ValueKind != JsonValueKind.Array) return;
            foreach (JsonElement call in calls.EnumerateArray())
            {
                if (call.ValueKind == JsonValueKind.Object) AddDelta(assembler, call, null);
            }
        }

        private static void AddDelta(ToolCallAssembler assembler, JsonElement call, int? position)
        {
            int? index = call.TryGetProperty("index", out JsonElement i) && i.ValueKind == JsonValueKind.Number && i.TryGetInt32(out int n) ? n : position;
            string? name = null;
            string? arguments = null;
            if (CompletionJson.TryGetObject(call, "function", out JsonElement function))
            {
                name = CompletionJson.GetString(function, "name");
                if (function.TryGetProperty("arguments", out JsonElement args))
                {
                    // OpenAI sends the arguments as a JSON text; some hosts send the object itself.
                    arguments = args.ValueKind == JsonValueKind.String ? JsonText.Read(args)
                        : args.ValueKind == JsonValueKind.Object ? args.GetRawText() : null;
                }
            }
            assembler.Add(index, CompletionJson.GetString(call, "id"), name, arguments);
        }
    }
}
