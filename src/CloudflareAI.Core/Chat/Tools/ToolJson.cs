using System;
using System.Text.Json;

namespace CloudflareAI.Chat.Tools
{
    /// <summary>The request-body parts of function calling: the tools, tool_choice, and the fields of assistant and tool messages.</summary>
    internal static class ToolJson
    {
        /// <summary><c>tools</c> and <c>tool_choice</c>, when the request has tools.</summary>
        public static void WriteTools(Utf8JsonWriter writer, ChatRequest request)
        {
            if (request.Tools != null && request.Tools.Count > 0)
            {
                writer.WriteStartArray("tools");
                foreach (ToolDefinition tool in request.Tools)
                {
                    writer.WriteStartObject();
                    writer.WriteString("type", "function");
                    writer.WriteStartObject("function");
                    writer.WriteString("name", tool.Name);
                    writer.WriteString("description", tool.Description);
                    writer.WritePropertyName("parameters");
                    JsonValueWriter.Write(writer, tool.Parameters);
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
            }
            if (request.ToolChoice == null) return;
            string choice = request.ToolChoice;
            if (IsKeyword(choice, out string? keyword))
            {
                writer.WriteString("tool_choice", keyword);
                return;
            }
            writer.WriteStartObject("tool_choice");
            writer.WriteString("type", "function");
            writer.WriteStartObject("function");
            writer.WriteString("name", choice);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        /// <summary>
        /// True for auto, none, required and any; <paramref name="keyword"/> is what goes on the wire. "any" (the word some
        /// SDKs use) goes as "required": vLLM-backed Workers AI models refuse "any" as invalid input.
        /// </summary>
        public static bool IsKeyword(string choice, out string? keyword)
        {
            keyword = null;
            switch (choice.Trim().ToLowerInvariant())
            {
                case "auto": keyword = "auto"; return true;
                case "none": keyword = "none"; return true;
                case "required":
                case "any": keyword = "required"; return true;
                default: return false;
            }
        }

        /// <summary>An assistant turn's reasoning and tool calls, a tool message's call ID; nothing for other messages.</summary>
        public static void WriteMessageFields(Utf8JsonWriter writer, ChatMessage message)
        {
            // Reasoning goes in its own field: models that see it joined into the content answer with garbage.
            if (!string.IsNullOrEmpty(message.Reasoning) && string.Equals(message.Role, "assistant", StringComparison.Ordinal))
            {
                writer.WriteString("reasoning", message.Reasoning);
            }
            if (message.ToolCalls != null && message.ToolCalls.Count > 0)
            {
                writer.WriteStartArray("tool_calls");
                foreach (ToolCall call in message.ToolCalls)
                {
                    writer.WriteStartObject();
                    // The ID exactly as the model sent it: hosts that shortened IDs made different calls collide.
                    writer.WriteString("id", call.Id);
                    writer.WriteString("type", "function");
                    writer.WriteStartObject("function");
                    writer.WriteString("name", call.Name);
                    writer.WriteString("arguments", call.ArgumentsJson.Length == 0 ? "{}" : call.ArgumentsJson);
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
            }
            if (message.ToolCallId != null) writer.WriteString("tool_call_id", message.ToolCallId);
        }
    }
}
