using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace CloudflareAI.Commands
{
    /// <summary>
    /// Turns what a PowerShell user passes to -Message into ChatMessages: hashtables or objects with role and content,
    /// ChatMessage objects (an earlier response's Messages), or a whole earlier ChatResponse. Content may be a string or
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

        private static ChatMessage FromPairs(int index, object? role, object? content, bool hasContent)
        {
            string? roleText = Unwrap(role) as string;
            if (string.IsNullOrWhiteSpace(roleText))
            {
                throw new ArgumentException($"Message {index} has no role. Each message needs role ('system', 'user', 'assistant' or 'tool') and content.");
            }
            if (!hasContent)
            {
                throw new ArgumentException($"Message {index} ({roleText}) has no content.");
            }
            return new ChatMessage(roleText!.Trim().ToLowerInvariant(), ConvertValue(content));
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

        /// <summary>PowerShell values to plain .NET: dictionaries, lists, strings, numbers, booleans, null.</summary>
        internal static object? ConvertValue(object? raw)
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
                case IDictionary dictionary:
                    var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                    foreach (DictionaryEntry entry in dictionary) map[entry.Key?.ToString() ?? string.Empty] = ConvertValue(entry.Value);
                    return map;
                case IEnumerable sequence:
                    var list = new List<object?>();
                    foreach (var element in sequence) list.Add(ConvertValue(element));
                    return list;
                default:
                    if (raw is PSObject ps && ps.BaseObject is PSCustomObject)
                    {
                        var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
                        foreach (var property in ps.Properties) properties[property.Name] = ConvertValue(property.Value);
                        return properties;
                    }
                    return value.ToString();
            }
        }

        private static object? Unwrap(object? value)
        {
            return value is PSObject ps && !(ps.BaseObject is PSCustomObject) ? ps.BaseObject : value;
        }
    }
}
