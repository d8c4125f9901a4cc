using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CloudflareAI.Chat.Requests
{
    /// <summary>
    /// Top-level fields the module has no parameter for (<c>options.rejectIfBusy</c>, <c>chat_template_kwargs</c>,
    /// <c>reasoning</c>...), merged into the request body last: a field the module also set is replaced, not sent twice.
    /// <c>stream</c>, <c>model</c> and <c>messages</c> are the module's own, since the answer is read by what they say.
    /// Each value is written to JSON once, when given, so a value JSON cannot hold is a parameter error before sending.
    /// </summary>
    public sealed class ExtraBody
    {
        private static readonly string[] Reserved = { "stream", "model", "messages" };
        private static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        private readonly List<KeyValuePair<string, byte[]>> fields;

        private ExtraBody(List<KeyValuePair<string, byte[]>> fields)
        {
            this.fields = fields;
        }

        /// <summary>The field names, in the order given.</summary>
        public IReadOnlyList<string> Keys
        {
            get
            {
                var keys = new List<string>(fields.Count);
                foreach (KeyValuePair<string, byte[]> entry in fields) keys.Add(entry.Key);
                return keys;
            }
        }

        /// <summary>The fields as given: names, and plain values (strings, numbers, booleans, null, dictionaries, lists).</summary>
        /// <param name="entries">-ExtraBody's entries; nested dictionaries become JSON objects.</param>
        /// <exception cref="CloudflareAIException">ParameterInvalid: a reserved or empty name, or a value JSON cannot hold.</exception>
        public static ExtraBody From(IEnumerable<KeyValuePair<string, object?>> entries)
        {
            var fields = new List<KeyValuePair<string, byte[]>>();
            foreach (KeyValuePair<string, object?> entry in entries)
            {
                string key = entry.Key ?? string.Empty;
                if (key.Trim().Length == 0)
                {
                    throw Invalid("-ExtraBody has an empty key; every field needs a name.", "Name each -ExtraBody field, for example @{ chat_template_kwargs = @{ enable_thinking = $false } }.");
                }
                foreach (string reserved in Reserved)
                {
                    if (string.Equals(key.Trim(), reserved, StringComparison.OrdinalIgnoreCase))
                    {
                        throw Invalid($"-ExtraBody cannot set '{key}': the module sets {reserved} itself, and reads the answer by it.",
                            $"Remove '{key}' from -ExtraBody; use {ParameterFor(reserved)} instead.");
                    }
                }
                fields.Add(new KeyValuePair<string, byte[]>(key, ValueBytes(key, entry.Value)));
            }
            return new ExtraBody(fields);
        }

        /// <summary>The body with these fields merged in at the top level; <paramref name="replaced"/> names the fields the
        /// module had set and these replaced, in the body's order.</summary>
        /// <param name="body">The request body the module wrote: one JSON object.</param>
        /// <param name="replaced">The fields of <paramref name="body"/> that were replaced.</param>
        public byte[] MergeInto(byte[] body, out IReadOnlyList<string> replaced)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (KeyValuePair<string, byte[]> field in fields) names.Add(field.Key);
            var replacedNames = new List<string>();
            using (JsonDocument document = JsonDocument.Parse(body))
            using (var buffer = new MemoryStream(body.Length + 64))
            {
                using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
                {
                    writer.WriteStartObject();
                    foreach (JsonProperty property in document.RootElement.EnumerateObject())
                    {
                        if (names.Contains(property.Name))
                        {
                            replacedNames.Add(property.Name);
                            continue;
                        }
                        property.WriteTo(writer);
                    }
                    foreach (KeyValuePair<string, byte[]> field in fields)
                    {
                        writer.WritePropertyName(field.Key);
                        writer.WriteRawValue(field.Value, skipInputValidation: true);
                    }
                    writer.WriteEndObject();
                }
                replaced = replacedNames;
                return buffer.ToArray();
            }
        }

        private static byte[] ValueBytes(string key, object? value)
        {
            try
            {
                using (var buffer = new MemoryStream())
                {
                    using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
                    {
                        JsonValueWriter.Write(writer, value);
                    }
                    return buffer.ToArray();
                }
            }
            catch (NotSupportedException e)
            {
                throw Invalid($"-ExtraBody field '{key}' cannot be written as JSON: {e.Message}",
                    "Give -ExtraBody values that JSON can hold: strings, finite numbers, booleans, $null, hashtables and arrays of these.", e);
            }
        }

        private static string ParameterFor(string reserved) => reserved switch
        {
            "stream" => "-Stream",
            "model" => "-Model",
            _ => "the prompt, -SystemPrompt and -Message",
        };

        private static CloudflareAIException Invalid(string message, string action, Exception? inner = null) =>
            new CloudflareAIException(ErrorIds.ParameterInvalid, ErrorKind.InvalidArgument, message, action, inner);
    }
}
