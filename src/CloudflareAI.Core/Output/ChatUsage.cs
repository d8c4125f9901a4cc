using System;
using System.Collections.Generic;

namespace CloudflareAI
{
    /// <summary>Token counts the server reported.</summary>
    public sealed class ChatUsage
    {
        /// <summary>Tokens in the prompt.</summary>
        public int PromptTokens { get; set; }

        /// <summary>Tokens in the answer.</summary>
        public int CompletionTokens { get; set; }

        /// <summary>Prompt and answer tokens together.</summary>
        public int TotalTokens { get; set; }

        /// <summary>Prompt tokens served from the host's prompt cache (prompt_tokens_details.cached_tokens); null when not sent.</summary>
        public int? CachedTokens { get; set; }

        /// <summary>Answer tokens spent on reasoning (completion_tokens_details.reasoning_tokens); null when not sent.</summary>
        public int? ReasoningTokens { get; set; }

        /// <inheritdoc/>
        public override string ToString() => $"{PromptTokens} prompt + {CompletionTokens} completion = {TotalTokens} tokens";
    }
}
