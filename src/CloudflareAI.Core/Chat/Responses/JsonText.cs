using System;
using System.Text;
using System.Text.Json;

namespace CloudflareAI.Chat.Responses
{
    /// <summary>
    /// Reads JSON strings that System.Text.Json refuses: a <c>\uD83D</c> escape without its low half throws in
    /// GetString, yet servers that cut text by UTF-16 units send exactly that at the end of one streamed chunk and the
    /// other half at the start of the next. Here the lone half is kept as it is, so the stream can join the two;
    /// <see cref="ReplaceLoneSurrogates"/> turns whatever never found its pair into U+FFFD.
    /// </summary>
    internal static class JsonText
    {
        public const char Replacement = '\uFFFD';

        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, true);

        /// <summary>The value of a JSON string element, lone surrogates kept.</summary>
        public static string Read(JsonElement value)
        {
            try
            {
                return value.GetString() ?? string.Empty;
            }
            catch (InvalidOperationException)
            {
                byte[] raw = Encoding.UTF8.GetBytes(value.GetRawText());
                return Unescape(new ReadOnlySpan<byte>(raw, 1, raw.Length - 2));
            }
        }

        /// <summary>The current string token of the reader, lone surrogates kept.</summary>
        public static string Read(ref Utf8JsonReader reader)
        {
            try
            {
                return reader.GetString() ?? string.Empty;
            }
            catch (InvalidOperationException) when (!reader.HasValueSequence)
            {
                return Unescape(reader.ValueSpan);
            }
        }

        /// <summary>Decodes the bytes between the quotes of a JSON string; invalid UTF-8 throws <see cref="ResponseFormatException"/>.</summary>
        public static string Unescape(ReadOnlySpan<byte> raw)
        {
            var text = new StringBuilder(raw.Length);
            int run = 0;
            int i = 0;
            while (i < raw.Length)
            {
                if (raw[i] != (byte)'\\')
                {
                    i++;
                    continue;
                }
                AppendUtf8(text, raw.Slice(run, i - run));
                if (i + 1 >= raw.Length) throw new ResponseFormatException("a JSON string ends in the middle of an escape");
                byte kind = raw[i + 1];
                int length = 2;
                switch (kind)
                {
                    case (byte)'"': text.Append('"'); break;
                    case (byte)'\\': text.Append('\\'); break;
                    case (byte)'/': text.Append('/'); break;
                    case (byte)'b': text.Append('\b'); break;
                    case (byte)'f': text.Append('\f'); break;
                    case (byte)'n': text.Append('\n'); break;
                    case (byte)'r': text.Append('\r'); break;
                    case (byte)'t': text.Append('\t'); break;
                    case (byte)'u':
                        if (i + 6 > raw.Length || !TryHex(raw.Slice(i + 2, 4), out char unit))
                        {
                            throw new ResponseFormatException("a JSON string has a malformed \\u escape");
                        }
                        text.Append(unit);
                        length = 6;
                        break;
                    default:
                        throw new ResponseFormatException("a JSON string has an unknown escape");
                }
                i += length;
                run = i;
            }
            AppendUtf8(text, raw.Slice(run));
            return text.ToString();
        }

        /// <summary>Every surrogate without its other half becomes U+FFFD.</summary>
        public static string ReplaceLoneSurrogates(string? text)
        {
            if (string.IsNullOrEmpty(text)) return text ?? string.Empty;
            char[]? copy = null;
            string value = text!;
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    i++;
                    continue;
                }
                if (!char.IsSurrogate(c)) continue;
                copy ??= value.ToCharArray();
                copy[i] = Replacement;
            }
            return copy == null ? value : new string(copy);
        }

        private static void AppendUtf8(StringBuilder text, ReadOnlySpan<byte> bytes)
        {
            if (bytes.IsEmpty) return;
            try
            {
                text.Append(StrictUtf8.GetString(bytes.ToArray()));
            }
            catch (DecoderFallbackException ex)
            {
                throw new ResponseFormatException("the body is not valid UTF-8", ex);
            }
        }

        private static bool TryHex(ReadOnlySpan<byte> digits, out char unit)
        {
            int value = 0;
            foreach (byte b in digits)
            {
                int digit = b >= '0' && b <= '9' ? b - '0' : b >= 'a' && b <= 'f' ? b - 'a' + 10 : b >= 'A' && b <= 'F' ? b - 'A' + 10 : -1;
                if (digit < 0)
                {
                    unit = default;
                    return false;
                }
                value = value * 16 + digit;
            }
            unit = (char)value;
            return true;
        }
    }

    /// <summary>
    /// Joins the two halves of a surrogate pair that arrive in consecutive pieces of streamed text: a high surrogate at
    /// the end of a piece waits for the next piece; if that does not begin with the low half, it becomes U+FFFD.
    /// </summary>
    internal sealed class SurrogatePairJoiner
    {
        private char pendingHigh;

        /// <summary>The piece, ready to show: complete pairs only, a trailing high surrogate held back.</summary>
        public string Push(string text)
        {
            if (text.Length == 0) return text;
            string value = text;
            if (pendingHigh != '\0')
            {
                value = (char.IsLowSurrogate(value[0]) ? pendingHigh : JsonText.Replacement) + value;
                pendingHigh = '\0';
            }
            char last = value[value.Length - 1];
            if (char.IsHighSurrogate(last))
            {
                pendingHigh = last;
                value = value.Substring(0, value.Length - 1);
            }
            return JsonText.ReplaceLoneSurrogates(value);
        }

        /// <summary>U+FFFD for a high surrogate still waiting at the end of the stream, else empty.</summary>
        public string Flush()
        {
            if (pendingHigh == '\0') return string.Empty;
            pendingHigh = '\0';
            return JsonText.Replacement.ToString();
        }
    }
}
