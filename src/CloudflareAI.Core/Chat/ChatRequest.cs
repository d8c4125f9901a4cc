using System;
using System.Collections.Generic;

namespace CloudflareAI.Chat
{
    /// <summary>What to ask: the model, the history, and only the options the user set.</summary>
    internal sealed class ChatRequest
    {
        /// <summary>The model name, sent verbatim.</summary>
        public string Model { get; set; } = string.Empty;

        /// <summary>The conversation, oldest first.</summary>
        public IReadOnlyList<ChatMessage> Messages { get; set; } = new ChatMessage[0];

        /// <summary>The sampling temperature; not sent when null.</summary>
        public double? Temperature { get; set; }

        /// <summary>Nucleus sampling (top_p); not sent when null.</summary>
        public double? TopP { get; set; }

        /// <summary>The answer's length cap in tokens; not sent when null.</summary>
        public int? MaxTokens { get; set; }

        /// <summary>Stop sequences; not sent when null.</summary>
        public IReadOnlyList<string>? Stop { get; set; }

        /// <summary>The sampling seed; not sent when null.</summary>
        public int? Seed { get; set; }

        /// <summary>True to stream the answer as it is generated.</summary>
        public bool Stream { get; set; }

        /// <summary>The tools the model may call; not sent when null or empty.</summary>
        public IReadOnlyList<ToolDefinition>? Tools { get; set; }

        /// <summary>tool_choice: auto, none, required, or a tool's name; not sent when null.</summary>
        public string? ToolChoice { get; set; }

        /// <summary>JSON mode or a JSON schema (response_format); null for a text answer.</summary>
        public ResponseFormat? ResponseFormat { get; set; }

        /// <summary>low, medium or high (reasoning_effort); not sent when null.</summary>
        public string? ReasoningEffort { get; set; }

        /// <summary>Top-level fields merged into the body last (-ExtraBody); null for none.</summary>
        public ExtraBody? ExtraBody { get; set; }
    }
}
