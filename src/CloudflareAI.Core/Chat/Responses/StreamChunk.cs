using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace CloudflareAI.Chat.Responses
{
    /// <summary>What one streamed chunk carries, as <see cref="StreamAccumulator"/> uses it.</summary>
    internal struct StreamChunk
    {
        public string? Model;
        public string? Id;
        public bool HasChoice;
        public string? Content;
        public string? ReasoningContent;
        public string? Reasoning;
        public string? FinishReason;
        public string? Response;
        public ChatUsage? Usage;
        public List<ToolCallDelta>? ToolCalls;
    }
}
