using System;
using System.Collections;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace CloudflareAI.Chat.Requests
{
    /// <summary>
    /// What a message of a conversation may be before it is sent: one of the roles the OpenAI protocol knows, and content
    /// of bounded depth that does not contain itself. A list or dictionary that holds itself would otherwise recurse
    /// until the process dies of a stack overflow, which no error handler can catch.
    /// </summary>
    public static class MessageRules
    {
        /// <summary>Deeper than any content part or tool argument needs, and far from the stack's limit.</summary>
        public const int MaxContentDepth = 32;

        /// <summary>The roles chat-completions servers accept, lower case.</summary>
        public static IReadOnlyList<string> Roles { get; } = new[] { "system", "developer", "user", "assistant", "tool" };

        /// <summary>"'system', 'developer', 'user', 'assistant' or 'tool'", for messages.</summary>
        public static string RoleList => "'system', 'developer', 'user', 'assistant' or 'tool'";

        /// <summary>Null when <paramref name="role"/> is one of <see cref="Roles"/> (exact, lower case), else why not.</summary>
        public static string? CheckRole(string? role)
        {
            if (string.IsNullOrWhiteSpace(role)) return $"has no role. Each message needs a role ({RoleList}) and content";
            foreach (var known in Roles)
            {
                if (string.Equals(role, known, StringComparison.Ordinal)) return null;
            }
            return $"has the role '{role}', which chat servers do not know. The role is one of {RoleList}";
        }

        /// <summary>
        /// Null when <paramref name="content"/> nests at most <see cref="MaxContentDepth"/> levels of dictionaries and
        /// lists and no container holds itself (directly or further down), else why not.
        /// </summary>
        public static string? CheckContent(object? content)
        {
            var path = new HashSet<object>(ReferenceComparer.Instance);
            return CheckValue(content, 1, path);
        }

        /// <summary>Every message in order.</summary>
        /// <exception cref="CloudflareAIException">ChatMessageInvalid naming the first bad message (1-based).</exception>
        public static void Validate(IReadOnlyList<ChatMessage> messages)
        {
            for (int i = 0; i < messages.Count; i++)
            {
                var message = messages[i];
                string? problem = CheckRole(message.Role) ?? CheckContent(message.Content);
                if (problem != null) throw Invalid(i + 1, problem);
            }
        }

        /// <summary>ChatMessageInvalid for message <paramref name="index"/> (1-based) with the reason.</summary>
        public static CloudflareAIException Invalid(int index, string problem) => Invalid($"Message {index} {problem}.");

        /// <summary>ChatMessageInvalid with a whole message (the cmdlet's converter words its own).</summary>
        public static CloudflareAIException Invalid(string message, Exception? inner = null) =>
            new CloudflareAIException(ErrorIds.ChatMessageInvalid, ErrorKind.InvalidArgument, message,
                "Pass -Message as hashtables with role and content, e.g. @{ role = 'user'; content = 'Hi' }, or as $previous.Messages; " +
                "content is a string or a short list of parts such as @{ type = 'text'; text = '...' }.", inner);

        private static string? CheckValue(object? value, int depth, HashSet<object> path)
        {
            if (value == null || value is string || !(value is IEnumerable)) return null;
            if (depth > MaxContentDepth) return DepthProblem();
            if (!path.Add(value)) return CycleProblem();
            try
            {
                if (value is IDictionary dictionary)
                {
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        string? problem = CheckValue(entry.Value, depth + 1, path);
                        if (problem != null) return problem;
                    }
                    return null;
                }
                if (value is IEnumerable<KeyValuePair<string, object?>> pairs)
                {
                    foreach (var pair in pairs)
                    {
                        string? problem = CheckValue(pair.Value, depth + 1, path);
                        if (problem != null) return problem;
                    }
                    return null;
                }
                foreach (object? item in (IEnumerable)value)
                {
                    string? problem = CheckValue(item, depth + 1, path);
                    if (problem != null) return problem;
                }
                return null;
            }
            finally
            {
                path.Remove(value);
            }
        }

        /// <summary>The reason for content nested too deep (shared with the cmdlet's converter).</summary>
        public static string DepthProblem() =>
            $"has content nested more than {MaxContentDepth} levels deep; flatten it (content is a string or a list of parts)";

        /// <summary>The reason for content that contains itself (shared with the cmdlet's converter).</summary>
        public static string CycleProblem() =>
            "has content that contains itself (a list or hashtable holding itself, directly or further down); it cannot be sent as JSON";

        private sealed class ReferenceComparer : IEqualityComparer<object>
        {
            public static readonly ReferenceComparer Instance = new ReferenceComparer();

            public new bool Equals(object? x, object? y) => ReferenceEquals(x, y);

            public int GetHashCode(object obj) => RuntimeHelpers.GetHashCode(obj);
        }
    }
}
