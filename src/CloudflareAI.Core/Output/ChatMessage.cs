using System;
using System.Collections.Generic;

namespace CloudflareAI
{
    /// <summary>One message of a conversation. Content is a string, or a list of content parts
    /// (each a dictionary such as { type = 'text'; text = '...' }) as the OpenAI protocol allows.</summary>
    public sealed class ChatMessage
    {
        /// <summary>Creates a message with a role and a string or a list of content parts.</summary>
        public ChatMessage(string role, object? content)
        {
            Role = role;
            Content = content;
        }

        /// <summary>The role: system, user, assistant or tool.</summary>
        public string Role { get; }

        /// <summary>string, or IReadOnlyList&lt;object?&gt; of parts (IDictionary&lt;string, object?&gt; each), or null.</summary>
        public object? Content { get; }

        /// <summary>An assistant turn's reasoning; it goes back in its own field, never joined into the content.</summary>
        public string? Reasoning { get; set; }

        /// <summary>The tools an assistant turn called; null when it called none.</summary>
        public IReadOnlyList<ToolCall>? ToolCalls { get; set; }

        /// <summary>On a tool message: the ID of the call it answers, exactly as the model sent it.</summary>
        public string? ToolCallId { get; set; }

        /// <summary>The text of the message: the string content, or the text parts joined with newlines.</summary>
        public override string ToString()
        {
            if (Content is string s) return s;
            if (Content is IEnumerable<object?> parts)
            {
                var texts = new List<string>();
                foreach (var part in parts)
                {
                    if (part is IDictionary<string, object?> d && d.TryGetValue("text", out var t) && t is string text) texts.Add(text);
                }
                return string.Join("\n", texts);
            }
            return string.Empty;
        }
    }
}
