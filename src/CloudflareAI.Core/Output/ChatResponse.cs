using System;
using System.Collections.Generic;

namespace CloudflareAI
{
    /// <summary>The answer to one Invoke-AIChat request.</summary>
    public sealed class ChatResponse
    {
        /// <summary>The answer's text.</summary>
        public string Content { get; set; } = string.Empty;

        /// <summary>The model's reasoning, when it sends one (reasoning_content or reasoning).</summary>
        public string? Reasoning { get; set; }

        /// <summary>With -JsonSchema or -ResponseFormat Json: the answer parsed from JSON (objects, or hashtables with
        /// -AsHashtable). Checked for JSON syntax only, never against the schema. Null otherwise.</summary>
        public object? Data { get; set; }

        /// <summary>The answer's role, normally assistant.</summary>
        public string Role { get; set; } = "assistant";

        /// <summary>The model the server says answered (may differ from the one asked for, e.g. an -external suffix).</summary>
        public string? Model { get; set; }

        /// <summary>The alias that was used.</summary>
        public string Provider { get; set; } = string.Empty;

        /// <summary>Why the model stopped (stop, length, ...), when the server says.</summary>
        public string? FinishReason { get; set; }

        /// <summary>Token counts, when the server reports them.</summary>
        public ChatUsage? Usage { get; set; }

        /// <summary>The tools the model asked to call in this answer (FinishReason tool_calls); empty when it called none.</summary>
        public IReadOnlyList<ToolCall> ToolCalls { get; set; } = new ToolCall[0];

        /// <summary>The whole conversation including this reply, ready for -Message.</summary>
        public IReadOnlyList<ChatMessage> Messages { get; set; } = new ChatMessage[0];

        /// <summary>The server's completion ID, when it sends one.</summary>
        public string? Id { get; set; }

        /// <summary>From sending the request to the end of the answer, retries included.</summary>
        public TimeSpan Duration { get; set; }

        /// <summary>How many HTTP attempts it took (1 when nothing was retried).</summary>
        public int Attempts { get; set; }

        /// <summary>AI Gateway's cf-aig-log-id response header.</summary>
        public string? GatewayLogId { get; set; }

        /// <summary>AI Gateway's cf-aig-cache-status response header (HIT or MISS).</summary>
        public string? CacheStatus { get; set; }

        /// <summary>Every cf-aig-* response header of AI Gateway; null when the answer did not come through a gateway.</summary>
        public GatewayInfo? Gateway { get; set; }

        /// <summary>True when -Stream wrote the text to the console as it arrived: the default view then shows a one-line
        /// summary instead of printing the answer a second time. The object is the same either way.</summary>
        public bool StreamedToHost { get; set; }

        /// <inheritdoc/>
        public override string ToString() => Content;
    }
}
