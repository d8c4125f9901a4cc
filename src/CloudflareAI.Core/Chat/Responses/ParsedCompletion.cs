using System.Collections.Generic;

namespace CloudflareAI.Chat.Responses
{
    /// <summary>What one successful attempt read from the server, before it becomes a <see cref="ChatResponse"/>.</summary>
    internal sealed class ParsedCompletion
    {
        public string Content { get; set; } = string.Empty;

        public string? Reasoning { get; set; }

        public string? FinishReason { get; set; }

        public string? Model { get; set; }

        public string? Id { get; set; }

        public ChatUsage? Usage { get; set; }

        public IReadOnlyList<ToolCall>? ToolCalls { get; set; }
    }
}
