using System.Collections.Generic;

namespace CloudflareAI.PowerShell
{
    /// <summary>
    /// The -Message value after binding: the conversation so far as ChatMessages, or, when the input cannot be one, the
    /// ChatMessageInvalid error that says why. The error is kept as data so that the cmdlet reports it with its own
    /// ErrorId, terminating for the command line's history and per item for a piped one, and never sends a request.
    /// </summary>
    public sealed class ChatHistory
    {
        internal ChatHistory(IReadOnlyList<ChatMessage> messages, CloudflareAIException? problem, object? source)
        {
            Messages = messages;
            Problem = problem;
            Source = source;
        }

        /// <summary>The messages, oldest first; empty when <see cref="Problem"/> is set.</summary>
        public IReadOnlyList<ChatMessage> Messages { get; }

        /// <summary>Why the input is not a conversation, or null.</summary>
        public CloudflareAIException? Problem { get; }

        /// <summary>The value as bound, before conversion: the target of the error.</summary>
        public object? Source { get; }

        /// <inheritdoc/>
        public override string ToString() => Problem == null ? $"{Messages.Count} message(s)" : Problem.Message;
    }
}
