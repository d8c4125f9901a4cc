using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace CloudflareAI.Chat.Requests
{
    /// <summary>
    /// Writes the plain values a caller may put in message content (strings, numbers, booleans, null, dictionaries,
    /// lists) without the reflection serializer, which Windows PowerShell 5.1 would load slowly and which cannot see
    /// through hashtables the way users expect.
    /// </summary>
    internal static class JsonValueWriter
    {
        /// <summary>Deeper nesting than any content part needs: a guard against self-referencing lists.</summary>
        public const int MaxDepth = 64;

        /// <exception cref="NotSupportedException">A value JSON cannot hold (NaN, infinity) or nesting deeper than <see cref="MaxDepth"/>.</exception>
        public static void Write(Utf8JsonWriter writer, object? value) => Write(writer, value, 0);

        /// <summary>
        /// Writes an integer, a decimal, or a finite float or double, and says whether it did; NaN, infinity and every
        /// other value are left to the caller, whose rule for them differs (message content fails, gateway metadata names
        /// the entry).
        /// </summary>
        internal static bool TryWriteNumber(Utf8JsonWriter writer, object? value)
        {
            switch (value)
            {
                case int i: writer.WriteNumberValue(i); return true;
                case long l: writer.WriteNumberValue(l); return true;
                case short sh: writer.WriteNumberValue(sh); return true;
                case byte by: writer.WriteNumberValue(by); return true;
                case sbyte sb: writer.WriteNumberValue(sb); return true;
                case ushort us: writer.WriteNumberValue(us); return true;
                case uint ui: writer.WriteNumberValue(ui); return true;
                case ulong ul: writer.WriteNumberValue(ul); return true;
                case decimal m: writer.WriteNumberValue(m); return true;
                case float f when !float.IsNaN(f) && !float.IsInfinity(f): writer.WriteNumberValue(f); return true;
                case double d when !double.IsNaN(d) && !double.IsInfinity(d): writer.WriteNumberValue(d); return true;
                default: return false;
            }
        }

        private static void Write(Utf8JsonWriter writer, object? value, int depth)
        {
            if (depth > MaxDepth) throw new NotSupportedException($"The message content is nested more than {MaxDepth} levels deep (does a list contain itself?).");

            if (TryWriteNumber(writer, value)) return;
            switch (value)
            {
                case null:
                    writer.WriteNullValue();
                    return;
                case string s:
                    writer.WriteStringValue(s);
                    return;
                case char c:
                    writer.WriteStringValue(c.ToString());
                    return;
                case bool b:
                    writer.WriteBooleanValue(b);
                    return;
                case float f:
                    throw NotANumber(f.ToString(CultureInfo.InvariantCulture));
                case double d:
                    throw NotANumber(d.ToString(CultureInfo.InvariantCulture));
                case Enum e:
                    writer.WriteStringValue(e.ToString());
                    return;
                case DateTime dt:
                    writer.WriteStringValue(dt.ToString("O", CultureInfo.InvariantCulture));
                    return;
                case DateTimeOffset dto:
                    writer.WriteStringValue(dto.ToString("O", CultureInfo.InvariantCulture));
                    return;
                case Uri uri:
                    writer.WriteStringValue(uri.OriginalString);
                    return;
                case JsonElement element:
                    element.WriteTo(writer);
                    return;
                case IDictionary<string, object?> dictionary:
                    writer.WriteStartObject();
                    foreach (KeyValuePair<string, object?> pair in dictionary)
                    {
                        writer.WritePropertyName(pair.Key);
                        Write(writer, pair.Value, depth + 1);
                    }
                    writer.WriteEndObject();
                    return;
                case IDictionary dictionary:
                    writer.WriteStartObject();
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        writer.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty);
                        Write(writer, entry.Value, depth + 1);
                    }
                    writer.WriteEndObject();
                    return;
                case IEnumerable list:
                    writer.WriteStartArray();
                    foreach (object? item in list) Write(writer, item, depth + 1);
                    writer.WriteEndArray();
                    return;
                case IFormattable formattable:
                    writer.WriteStringValue(formattable.ToString(null, CultureInfo.InvariantCulture));
                    return;
                default:
                    writer.WriteStringValue(value.ToString());
                    return;
            }
        }

        private static NotSupportedException NotANumber(string text) =>
            new NotSupportedException($"The message content holds the number {text}, which JSON cannot represent.");
    }
}
