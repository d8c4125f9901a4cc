using System;
using System.Collections;
using System.IO;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CloudflareAI.Chat.Requests
{
    /// <summary>
    /// What the answer must look like: any JSON object (JSON mode, <c>{"type":"json_object"}</c>), or JSON that follows a
    /// schema (<c>{"type":"json_schema","json_schema":{name, schema, strict: true}}</c>). The schema is written to JSON
    /// once, when it is given, so a value JSON cannot hold is a parameter error before anything is sent.
    /// </summary>
    public sealed class ResponseFormat
    {
        /// <summary>The schema name sent when none is given.</summary>
        public const string DefaultSchemaName = "response";

        // OpenAI's rule for json_schema.name; other hosts accept at least as much.
        private static readonly Regex SchemaNamePattern = new Regex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant);

        private readonly byte[]? schemaJson;

        private ResponseFormat(string? schemaName, byte[]? schemaJson)
        {
            SchemaName = schemaName;
            this.schemaJson = schemaJson;
        }

        /// <summary>JSON mode: the answer is a JSON object, no schema.</summary>
        public static ResponseFormat JsonObject { get; } = new ResponseFormat(null, null);

        /// <summary>The schema's name (json_schema.name); null in JSON mode.</summary>
        public string? SchemaName { get; }

        /// <summary>True when a schema is sent, false in JSON mode.</summary>
        public bool HasSchema => schemaJson != null;

        /// <summary>A schema given as JSON text, or as dictionaries and lists (a hashtable, or a converted object).</summary>
        /// <param name="schema">The schema: a string of JSON, or an <see cref="IDictionary"/> of plain values.</param>
        /// <param name="schemaName">json_schema.name; null for <see cref="DefaultSchemaName"/>.</param>
        /// <exception cref="CloudflareAIException">ParameterInvalid: not a JSON object, not JSON, or a bad name.</exception>
        public static ResponseFormat ForSchema(object? schema, string? schemaName = null)
        {
            string name = schemaName ?? DefaultSchemaName;
            if (!SchemaNamePattern.IsMatch(name))
            {
                throw Invalid($"-SchemaName '{name}' cannot be sent: a schema name is 1 to 64 letters, digits, '_' or '-'.",
                    "Give -SchemaName a name such as 'colours' or 'order_summary'.");
            }
            return new ResponseFormat(name, SchemaBytes(schema));
        }

        /// <summary>Writes <c>"response_format": {...}</c>.</summary>
        /// <param name="writer">The request body's writer, inside its top-level object.</param>
        public void Write(Utf8JsonWriter writer)
        {
            writer.WriteStartObject("response_format");
            if (schemaJson == null)
            {
                writer.WriteString("type", "json_object");
            }
            else
            {
                writer.WriteString("type", "json_schema");
                writer.WriteStartObject("json_schema");
                writer.WriteString("name", SchemaName);
                writer.WritePropertyName("schema");
                writer.WriteRawValue(schemaJson, skipInputValidation: true);
                writer.WriteBoolean("strict", true);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }

        /// <summary>
        /// Workers AI refuses JSON mode and schemas with streaming (code 5023, after the request went out); on a Cloudflare
        /// alias the module says so before sending.
        /// </summary>
        /// <param name="format">The format asked for; null means text, which streams.</param>
        /// <param name="stream">Whether -Stream was given.</param>
        /// <param name="endpoint">Where the request would go.</param>
        /// <exception cref="ChatException">ChatBadRequest when the combination cannot work.</exception>
        public static void RefuseStreaming(ResponseFormat? format, bool stream, ChatEndpoint endpoint)
        {
            if (format == null || !stream || !endpoint.IsCloudflare) return;
            string what = format.HasSchema ? "a JSON schema (-JsonSchema)" : "JSON mode (-ResponseFormat Json)";
            throw new ChatException(ErrorIds.ChatBadRequest, ErrorKind.InvalidArgument,
                $"{endpoint.Provider} cannot stream an answer that follows {what}: Workers AI refuses the combination (code 5023), so nothing was sent.",
                "Drop -Stream: the answer then comes in one piece and is parsed into Data.")
            {
                Target = endpoint.Provider,
            };
        }

        private static byte[] SchemaBytes(object? schema)
        {
            switch (schema)
            {
                case null:
                    throw Invalid("-JsonSchema is empty.", SchemaAction);
                case string text:
                    return ParsedObject(text);
                case IDictionary _:
                    try
                    {
                        using (var buffer = new MemoryStream())
                        {
                            using (var writer = new Utf8JsonWriter(buffer))
                            {
                                JsonValueWriter.Write(writer, schema);
                            }
                            return buffer.ToArray();
                        }
                    }
                    catch (NotSupportedException e)
                    {
                        throw Invalid("-JsonSchema cannot be written as JSON: " + e.Message, SchemaAction, e);
                    }
                default:
                    throw Invalid($"-JsonSchema is a {schema.GetType().Name}; a schema is a JSON object.", SchemaAction);
            }
        }

        private static byte[] ParsedObject(string text)
        {
            try
            {
                using (JsonDocument document = JsonDocument.Parse(text))
                {
                    if (document.RootElement.ValueKind != JsonValueKind.Object)
                    {
                        throw Invalid($"-JsonSchema is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}; a schema is a JSON object.", SchemaAction);
                    }
                    using (var buffer = new MemoryStream())
                    {
                        using (var writer = new Utf8JsonWriter(buffer))
                        {
                            document.RootElement.WriteTo(writer);
                        }
                        return buffer.ToArray();
                    }
                }
            }
            catch (JsonException e)
            {
                throw Invalid("-JsonSchema is not valid JSON: " + e.Message, SchemaAction, e);
            }
        }

        private const string SchemaAction =
            "Give -JsonSchema a JSON object: a hashtable such as @{ type = 'object'; properties = @{ name = @{ type = 'string' } } }, a [pscustomobject], or the text of a .json schema file (Get-Content -Raw).";

        private static CloudflareAIException Invalid(string message, string action, Exception? inner = null) =>
            new CloudflareAIException(ErrorIds.ParameterInvalid, ErrorKind.InvalidArgument, message, action, inner);
    }
}
