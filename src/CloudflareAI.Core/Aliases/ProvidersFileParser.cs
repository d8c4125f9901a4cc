using System;
using System.Collections.Generic;
using System.Text.Json;

namespace CloudflareAI.Aliases
{
    /// <summary>
    /// Reads the user's providers file with the rules of its JSON Schema (CloudflareAI.providers.schema.json): known
    /// fields only, each of its type and pattern. Every problem names the file and the line. The rules that a schema
    /// cannot say (templates, secrets) follow in <see cref="ProviderEntryRules"/>.
    /// </summary>
    public static class ProvidersFileParser
    {
        /// <summary>The field names of an entry, as the schema lists them.</summary>
        public static readonly IReadOnlyList<string> EntryFields = new[]
        {
            "name", "baseUrl", "tokenVariable", "tokenHeader", "headers", "defaultModel", "defaultEmbeddingModel",
            "coalescesSystemMessages", "isGateway", "description", "documentationUrl",
        };

        /// <summary>The top-level field names, as the schema lists them.</summary>
        public static readonly IReadOnlyList<string> FileFields = new[] { "$schema", "autoSelect", "providers" };

        /// <summary>Parses the file's bytes (a UTF-8 BOM is skipped) and checks every entry.</summary>
        /// <exception cref="ProviderConfigException">The text is not JSON, breaks the schema, or an entry breaks a rule.</exception>
        public static ProvidersFile Parse(string path, byte[] bytes)
        {
            int start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
            var data = new ReadOnlySpan<byte>(bytes, start, bytes.Length - start);
            var state = new Cursor(path, bytes, start);
            var file = new ProvidersFile { Path = path };
            var reader = new Utf8JsonReader(data, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false });
            try
            {
                ReadFile(ref reader, state, file);
            }
            catch (JsonException e)
            {
                int line = (int)(e.LineNumber ?? 0) + 1;
                int column = (int)(e.BytePositionInLine ?? 0) + 1;
                throw new ProviderConfigException(path, line, null, $"the text is not valid JSON (column {column}).");
            }
            foreach (var entry in file.Providers) ProviderEntryRules.Check(path, entry);
            return file;
        }

        private sealed class Cursor
        {
            public Cursor(string path, byte[] bytes, int offset)
            {
                Path = path;
                Bytes = bytes;
                Offset = offset;
            }

            public string Path { get; }
            public byte[] Bytes { get; }
            public int Offset { get; }

            /// <summary>The 1-based line of the reader's current token: the reader knows only byte positions.</summary>
            public int LineOf(ref Utf8JsonReader reader)
            {
                long end = Offset + reader.TokenStartIndex;
                int line = 1;
                for (long i = Offset; i < end && i < Bytes.Length; i++)
                {
                    if (Bytes[i] == (byte)'\n') line++;
                }
                return line;
            }

            public ProviderConfigException Fail(ref Utf8JsonReader reader, string? entry, string reason) =>
                new ProviderConfigException(Path, LineOf(ref reader), entry, reason);
        }

        private static void ReadFile(ref Utf8JsonReader reader, Cursor cursor, ProvidersFile file)
        {
            if (!reader.Read()) throw new ProviderConfigException(cursor.Path, 1, null, "the file is empty; it must hold a JSON object.");
            if (reader.TokenType != JsonTokenType.StartObject) throw cursor.Fail(ref reader, null, "the file must hold a JSON object ({ ... }).");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string property = reader.GetString()!;
                if (!seen.Add(property)) throw cursor.Fail(ref reader, null, $"'{property}' appears twice.");
                switch (property)
                {
                    case "$schema":
                        file.Schema = ReadString(ref reader, cursor, null, property);
                        break;
                    case "autoSelect":
                        ReadAutoSelect(ref reader, cursor, file);
                        break;
                    case "providers":
                        ReadProviders(ref reader, cursor, file);
                        break;
                    default:
                        throw cursor.Fail(ref reader, null, $"'{property}' is not a field of the file; the fields are {string.Join(", ", FileFields)}.");
                }
            }
            if (reader.Read()) throw cursor.Fail(ref reader, null, "there is more text after the closing '}'.");
        }

        private static void ReadAutoSelect(ref Utf8JsonReader reader, Cursor cursor, ProvidersFile file)
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartArray) throw cursor.Fail(ref reader, null, "'autoSelect' must be an array of alias names.");
            var names = new List<string>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.String) throw cursor.Fail(ref reader, null, "'autoSelect' must hold alias names (strings) only.");
                string name = reader.GetString()!;
                if (!IsAliasName(name)) throw cursor.Fail(ref reader, null, $"'{name}' in 'autoSelect' is not an alias name ({NameRule}).");
                if (names.Contains(name)) throw cursor.Fail(ref reader, null, $"'{name}' appears twice in 'autoSelect'.");
                names.Add(name);
                file.AutoSelectLines.Add(cursor.LineOf(ref reader));
            }
            file.AutoSelect = names;
        }

        private static void ReadProviders(ref Utf8JsonReader reader, Cursor cursor, ProvidersFile file)
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartArray) throw cursor.Fail(ref reader, null, "'providers' must be an array of entries ([ { \"name\": ... } ]).");
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject) throw cursor.Fail(ref reader, null, "each item of 'providers' must be an object ({ \"name\": ... }).");
                var entry = ReadEntry(ref reader, cursor);
                if (file.Find(entry.Name) != null)
                {
                    throw new ProviderConfigException(cursor.Path, entry.Line, entry.Name, "a second entry has this name; merge the two into one.");
                }
                file.Providers.Add(entry);
            }
        }

        private static ProviderEntry ReadEntry(ref Utf8JsonReader reader, Cursor cursor)
        {
            var entry = new ProviderEntry { Line = cursor.LineOf(ref reader) };
            var seen = new HashSet<string>(StringComparer.Ordinal);
            string? name = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string property = reader.GetString()!;
                if (!seen.Add(property)) throw cursor.Fail(ref reader, name, $"'{property}' appears twice.");
                switch (property)
                {
                    case "name":
                        name = ReadString(ref reader, cursor, null, property);
                        if (!IsAliasName(name)) throw cursor.Fail(ref reader, null, $"'{name}' is not an alias name ({NameRule}).");
                        entry.Name = name;
                        break;
                    case "baseUrl": entry.BaseUrl = ReadString(ref reader, cursor, name, property, nonEmpty: true); break;
                    case "tokenVariable":
                        entry.TokenVariable = ReadString(ref reader, cursor, name, property);
                        if (entry.TokenVariable.Length > 0 && !IsVariableName(entry.TokenVariable))
                        {
                            throw cursor.Fail(ref reader, name, "'tokenVariable' must be an environment variable name (a letter or '_', then letters, digits or '_'), or empty for none.");
                        }
                        break;
                    case "tokenHeader":
                        entry.TokenHeader = ReadString(ref reader, cursor, name, property);
                        if (!IsHeaderName(entry.TokenHeader)) throw cursor.Fail(ref reader, name, $"'tokenHeader' is not a valid HTTP header name ({HeaderNameRule}).");
                        break;
                    case "headers": entry.Headers = ReadHeaders(ref reader, cursor, name); break;
                    case "defaultModel": entry.DefaultModel = ReadString(ref reader, cursor, name, property, nonEmpty: true); break;
                    case "defaultEmbeddingModel": entry.DefaultEmbeddingModel = ReadString(ref reader, cursor, name, property, nonEmpty: true); break;
                    case "coalescesSystemMessages": entry.CoalescesSystemMessages = ReadBool(ref reader, cursor, name, property); break;
                    case "isGateway": entry.IsGateway = ReadBool(ref reader, cursor, name, property); break;
                    case "description": entry.Description = ReadString(ref reader, cursor, name, property); break;
                    case "documentationUrl":
                        entry.DocumentationUrl = ReadString(ref reader, cursor, name, property);
                        if (!entry.DocumentationUrl.StartsWith("https://", StringComparison.Ordinal) && !entry.DocumentationUrl.StartsWith("http://", StringComparison.Ordinal))
                        {
                            throw cursor.Fail(ref reader, name, "'documentationUrl' must be an http:// or https:// address.");
                        }
                        break;
                    default:
                        throw cursor.Fail(ref reader, name, $"'{property}' is not a field of an entry; the fields are {string.Join(", ", EntryFields)}.");
                }
            }
            if (name == null) throw new ProviderConfigException(cursor.Path, entry.Line, null, "the entry has no 'name'.");
            return entry;
        }

        private static List<KeyValuePair<string, string>> ReadHeaders(ref Utf8JsonReader reader, Cursor cursor, string? entry)
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject) throw cursor.Fail(ref reader, entry, "'headers' must be an object of header names and value templates.");
            var headers = new List<KeyValuePair<string, string>>();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string header = reader.GetString()!;
                if (!IsHeaderName(header)) throw cursor.Fail(ref reader, entry, $"'{header}' in 'headers' is not a valid HTTP header name ({HeaderNameRule}).");
                foreach (var pair in headers)
                {
                    if (string.Equals(pair.Key, header, StringComparison.OrdinalIgnoreCase)) throw cursor.Fail(ref reader, entry, $"header '{header}' appears twice.");
                }
                reader.Read();
                // Never quote the value: it may be a pasted secret.
                if (reader.TokenType != JsonTokenType.String) throw cursor.Fail(ref reader, entry, $"the value of header '{header}' must be a string (a template).");
                headers.Add(new KeyValuePair<string, string>(header, reader.GetString()!));
            }
            return headers;
        }

        private static string ReadString(ref Utf8JsonReader reader, Cursor cursor, string? entry, string property, bool nonEmpty = false)
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.String) throw cursor.Fail(ref reader, entry, $"'{property}' must be a string.");
            string value = reader.GetString()!;
            if (nonEmpty && value.Length == 0) throw cursor.Fail(ref reader, entry, $"'{property}' must not be empty; leave the field out instead.");
            return value;
        }

        private static bool ReadBool(ref Utf8JsonReader reader, Cursor cursor, string? entry, string property)
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.True) return true;
            if (reader.TokenType == JsonTokenType.False) return false;
            throw cursor.Fail(ref reader, entry, $"'{property}' must be true or false.");
        }

        /// <summary>How an alias name is spelled, for messages.</summary>
        public const string NameRule = "lower-case letters, digits and '-', starting with a letter or digit";

        private const string HeaderNameRule = "letters, digits and - _ . ! # $ % & ' * + ^ ` | ~";

        /// <summary>As the schema's ^[a-z0-9][a-z0-9-]*$ (at most 64 characters).</summary>
        public static bool IsAliasName(string name)
        {
            if (string.IsNullOrEmpty(name) || name.Length > 64) return false;
            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && i > 0);
                if (!ok) return false;
            }
            return true;
        }

        /// <summary>As the schema's ^[A-Za-z_][A-Za-z0-9_]*$.</summary>
        public static bool IsVariableName(string name)
        {
            if (string.IsNullOrEmpty(name)) return false;
            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
                if (!(letter || (i > 0 && c >= '0' && c <= '9'))) return false;
            }
            return true;
        }

        /// <summary>An HTTP header name: RFC 9110 token characters.</summary>
        public static bool IsHeaderName(string name)
        {
            if (string.IsNullOrEmpty(name)) return false;
            foreach (char c in name)
            {
                bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".IndexOf(c) >= 0;
                if (!ok) return false;
            }
            return true;
        }
    }
}
