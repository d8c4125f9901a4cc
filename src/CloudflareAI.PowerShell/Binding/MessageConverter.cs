using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace CloudflareAI.PowerShell
{
    /// <summary>
    /// Turns what a PowerShell user passes to -Message into ChatMessages: hashtables or objects with role and content,
    /// ChatMessage objects (an earlier response's Messages), or a whole earlier ChatResponse, also a deserialized one. Content may be a string or
    /// a list of parts (hashtables), which become plain dictionaries and lists for the JSON writer.
    /// </summary>
    internal static class MessageConverter
    {
        public static List<ChatMessage> Convert(object[]? items)
        {
            var messages = new List<ChatMessage>();
            if (items == null) return messages;
            int index = 0;
            foreach (var raw in items)
            {
                index++;
                object? item = Unwrap(raw);
                switch (item)
                {
                    case null:
                        continue;
                    case ChatMessage message:
                        messages.Add(message);
                        break;
                    case ChatResponse response:
                        messages.AddRange(response.Messages);
                        break;
                    case IDictionary dictionary:
                        messages.Add(FromPairs(index, Lookup(dictionary, "role"), Lookup(dictionary, "content"), HasKey(dictionary, "content")));
                        break;
                    default:
                        var ps = PSObject.AsPSObject(raw);
                        var role = ps.Properties["role"];
                        var content = ps.Properties["content"];
                        // A deserialized ChatResponse has Role and Content too (of its reply): its Messages come first.
                        var history = ps.Properties["Messages"];
                        if (history != null && Unwrap(history.Value) is IEnumerable earlier && !(Unwrap(history.Value) is string))
                        {
                            // A response that lost its type on the way (Export-Clixml/Import-Clixml, a job, remoting):
                            // its Messages are property bags with Role and Content.
                            foreach (var entry in earlier)
                            {
                                index++;
                                var inner = PSObject.AsPSObject(entry);
                                var innerRole = inner.Properties["role"];
                                var innerContent = inner.Properties["content"];
                                if (Unwrap(entry) is ChatMessage typed) messages.Add(typed);
                                else if (Unwrap(entry) is IDictionary pairs) messages.Add(FromPairs(index, Lookup(pairs, "role"), Lookup(pairs, "content"), HasKey(pairs, "content")));
                                else if (innerRole != null) messages.Add(FromPairs(index, innerRole.Value, innerContent?.Value, innerContent != null));
                                else throw new ArgumentException($"Message {index} of the earlier response's Messages has no role.");
                            }
                            break;
                        }
                        if (role == null)
                        {
                            throw new ArgumentException(
                                $"Message {index} is a {item.GetType().Name}, not a message. Give hashtables like @{{ role = 'user'; content = 'Hello' }}, or the Messages of an earlier response.");
                        }
                        messages.Add(FromPairs(index, role.Value, content?.Value, content != null));
                        break;
                }
            }
            return messages;
        }

        /// <summary>
        /// A parameter value (a hashtable, a [pscustomobject], nested arrays) as the plain dictionaries and lists the core
        /// writes as JSON, by the same rules as message content.
        /// </summary>
        /// <exception cref="ArgumentException">The value nests too deep or contains itself.</exception>
        public static object? ToPlainValue(object? value)
        {
            try
            {
                return ConvertValue(value, 1, new List<object>());
            }
            catch (ContentShapeException e)
            {
                throw new ArgumentException(e.Message);
            }
        }

        private static ChatMessage FromPairs(int index, object? role, object? content, bool hasContent)
        {
            string? roleText = (Unwrap(role) as string)?.Trim().ToLowerInvariant();
            string? roleProblem = MessageRules.CheckRole(roleText);
            if (roleProblem != null) throw new ArgumentException($"Message {index} {roleProblem}.");
            if (!hasContent)
            {
                throw new ArgumentException($"Message {index} ({roleText}) has no content.");
            }
            try
            {
                return new ChatMessage(roleText!, ConvertValue(content, 1, new List<object>()));
            }
            catch (ContentShapeException e)
            {
                throw new ArgumentException($"Message {index} {e.Message}.");
            }
        }

        private static bool HasKey(IDictionary dictionary, string key)
        {
            foreach (DictionaryEntry entry in dictionary)
            {
                if (string.Equals(entry.Key as string, key, System.StringComparison.OrdinalIgnoreCase)) return true;
            }
            return false;
        }

        private static object? Lookup(IDictionary dictionary, string key)
        {
            foreach (DictionaryEntry entry in dictionary)
            {
                if (entry.Key is string name && string.Equals(name, key, StringComparison.OrdinalIgnoreCase)) return entry.Value;
            }
            return null;
        }

        /// <summary>
        /// PowerShell values to plain .NET: dictionaries, lists, strings, numbers, booleans, null. <paramref name="path"/>
        /// holds the containers being converted, so one that holds itself (through any PSObject wrapper) is an error, not
        /// a recursion that ends the process with a stack overflow.
        /// </summary>
        private static object? ConvertValue(object? raw, int depth, List<object> path)
        {
            object? value = Unwrap(raw);
            switch (value)
            {
                case null:
                    return null;
                case string s:
                    return s;
                case bool or int or long or double or float or decimal or short or byte:
                    return value;
            }

            bool custom = raw is PSObject wrapper && wrapper.BaseObject is PSCustomObject;
            if (!custom && !(value is IEnumerable)) return value.ToString();

            // Every [pscustomobject] shares one PSCustomObject base, so a custom object is known by its PSObject.
            object identity = custom ? raw! : value;
            if (depth > MessageRules.MaxContentDepth) throw new ContentShapeException(MessageRules.DepthProblem());
            foreach (var container in path)
            {
                if (ReferenceEquals(container, identity)) throw new ContentShapeException(MessageRules.CycleProblem());
            }
            path.Add(identity);
            try
            {
                if (custom)
                {
                    var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
                    foreach (var property in ((PSObject)raw!).Properties) properties[property.Name] = ConvertValue(property.Value, depth + 1, path);
                    return properties;
                }
                if (value is IDictionary dictionary)
                {
                    var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                    foreach (DictionaryEntry entry in dictionary) map[entry.Key?.ToString() ?? string.Empty] = ConvertValue(entry.Value, depth + 1, path);
                    return map;
                }
                var list = new List<object?>();
                foreach (var element in (IEnumerable)value) list.Add(ConvertValue(element, depth + 1, path));
                return list;
            }
            finally
            {
                path.RemoveAt(path.Count - 1);
            }
        }

        /// <summary>Content that cannot become JSON; the message says why, the caller adds which message.</summary>
        private sealed class ContentShapeException : Exception
        {
            public ContentShapeException(string message) : base(message)
            {
            }
        }

        private static object? Unwrap(object? value)
        {
            return value is PSObject ps && !(ps.BaseObject is PSCustomObject) ? ps.BaseObject : value;
        }
    }
}
