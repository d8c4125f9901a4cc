using System;
using System.Collections;
using System.Collections.Generic;
using System.Text;

namespace CloudflareAI.Chat.Requests
{
    /// <summary>
    /// Prepares the history for hosts whose chat templates accept only one system (or user) message in a row
    /// (see docs/providers/concepts.md). Each run of adjacent <c>system</c> or adjacent <c>user</c> messages becomes one
    /// message; assistant and tool messages pass through and end a run. Unlike upstream, a run that mixes strings and
    /// content parts keeps its strings, as text parts, in order.
    /// </summary>
    internal static class MessageCoalescer
    {
        public const string SystemRole = "system";
        public const string UserRole = "user";

        /// <summary>Applies the endpoint's rules: first drops empty system messages, then coalesces.</summary>
        public static IReadOnlyList<ChatMessage> Prepare(IReadOnlyList<ChatMessage> messages, bool coalesce, bool omitEmptySystemMessages)
        {
            IReadOnlyList<ChatMessage> result = messages;
            if (omitEmptySystemMessages) result = OmitEmptySystemMessages(result);
            if (coalesce) result = Coalesce(result);
            return result;
        }

        /// <summary>Drops system messages whose content is null or the empty string (an empty system prompt breaks some
        /// Workers AI models, cloudflare/ai #97).</summary>
        public static IReadOnlyList<ChatMessage> OmitEmptySystemMessages(IReadOnlyList<ChatMessage> messages)
        {
            var kept = new List<ChatMessage>(messages.Count);
            foreach (ChatMessage message in messages)
            {
                bool empty = message.Content == null || (message.Content is string s && s.Length == 0);
                if (empty && IsRole(message, SystemRole)) continue;
                kept.Add(message);
            }
            return kept;
        }

        public static IReadOnlyList<ChatMessage> Coalesce(IReadOnlyList<ChatMessage> messages)
        {
            var result = new List<ChatMessage>(messages.Count);
            int i = 0;
            while (i < messages.Count)
            {
                string? runRole = RunRole(messages[i]);
                int end = i + 1;
                if (runRole != null)
                {
                    while (end < messages.Count && string.Equals(RunRole(messages[end]), runRole, StringComparison.Ordinal)) end++;
                }

                result.Add(end - i == 1 ? messages[i] : Merge(messages, i, end));
                i = end;
            }
            return result;
        }

        /// <summary>True when the content is a list of parts (any enumerable but a string or a single dictionary).</summary>
        public static bool IsPartList(object? content) =>
            content is IEnumerable && !(content is string) && !(content is IDictionary) && !(content is IDictionary<string, object?>);

        private static ChatMessage Merge(IReadOnlyList<ChatMessage> messages, int start, int end)
        {
            bool anyParts = false;
            for (int i = start; i < end; i++)
            {
                if (IsPartList(messages[i].Content) || IsSinglePart(messages[i].Content))
                {
                    anyParts = true;
                    break;
                }
            }

            string role = messages[start].Role;
            if (!anyParts)
            {
                var text = new StringBuilder();
                bool first = true;
                for (int i = start; i < end; i++)
                {
                    string piece = ContentAsString(messages[i].Content);
                    if (piece.Length == 0) continue;
                    if (!first) text.Append('\n');
                    text.Append(piece);
                    first = false;
                }
                return new ChatMessage(role, text.ToString());
            }

            var parts = new List<object?>();
            for (int i = start; i < end; i++)
            {
                object? content = messages[i].Content;
                if (IsPartList(content))
                {
                    foreach (object? part in (IEnumerable)content!) parts.Add(part);
                    continue;
                }
                if (IsSinglePart(content))
                {
                    parts.Add(content);
                    continue;
                }
                string piece = ContentAsString(content);
                if (piece.Length > 0) parts.Add(TextPart(piece));
            }
            return new ChatMessage(role, parts);
        }

        /// <summary>A lone dictionary given as the whole content: merged as one part so nothing is lost.</summary>
        private static bool IsSinglePart(object? content) => content is IDictionary || content is IDictionary<string, object?>;

        private static string ContentAsString(object? content)
        {
            switch (content)
            {
                case null:
                    return string.Empty;
                case string s:
                    return s;
                default:
                    // A number or other scalar is not content the protocol allows; keep its text rather than lose it.
                    return Convert.ToString(content, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
            }
        }

        private static IDictionary<string, object?> TextPart(string text) =>
            new Dictionary<string, object?>(StringComparer.Ordinal) { ["type"] = "text", ["text"] = text };

        /// <summary>The run a message can belong to: "system" or "user" (any letter case), else null (it ends any run).</summary>
        private static string? RunRole(ChatMessage message)
        {
            if (IsRole(message, SystemRole)) return SystemRole;
            if (IsRole(message, UserRole)) return UserRole;
            return null;
        }

        private static bool IsRole(ChatMessage message, string role) =>
            string.Equals(message.Role?.Trim(), role, StringComparison.OrdinalIgnoreCase);
    }
}
