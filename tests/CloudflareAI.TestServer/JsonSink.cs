using System;
using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace CloudflareAI.TestServer
{
    /// <summary>Writes JSON fragments straight into a buffer writer (a response PipeWriter or an
    /// ArrayBufferWriter). Strings are escaped only where JSON demands it (quote, backslash, control
    /// characters), so non-ASCII text goes out as raw UTF-8: the client's decoder must then cope with
    /// multi-byte characters split across reads, which is what this emulator exists to exercise.
    /// (System.Text.Json's encoders would turn characters outside the BMP into \u escapes.)</summary>
    internal sealed class JsonSink
    {
        // Bounds the span requested from the writer for one run of text (3 bytes per UTF-16 unit at most).
        private const int CharsPerSlice = 2048;

        private readonly IBufferWriter<byte> _output;

        public JsonSink(IBufferWriter<byte> output) => _output = output;

        public JsonSink Raw(ReadOnlySpan<byte> utf8)
        {
            _output.Write(utf8);
            return this;
        }

        public JsonSink Number(long value)
        {
            Span<byte> span = _output.GetSpan(24);
            if (!Utf8Formatter.TryFormat(value, span, out int written)) throw new InvalidOperationException("number did not fit");
            _output.Advance(written);
            return this;
        }

        /// <summary>A JSON string literal, or <c>null</c>.</summary>
        public JsonSink String(string? value)
        {
            if (value is null) return Raw("null"u8);
            return Raw("\""u8).StringContent(value).Raw("\""u8);
        }

        /// <summary>Escaped text without the quotes, so one literal can be written in pieces.</summary>
        public JsonSink StringContent(string value)
        {
            ReadOnlySpan<char> text = value.AsSpan();
            int start = 0;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c >= 0x20 && c != '"' && c != '\\') continue;
                Utf8(text.Slice(start, i - start));
                Escape(c);
                start = i + 1;
            }
            Utf8(text.Slice(start));
            return this;
        }

        private void Escape(char c)
        {
            switch (c)
            {
                case '"': Raw("\\\""u8); break;
                case '\\': Raw("\\\\"u8); break;
                case '\n': Raw("\\n"u8); break;
                case '\r': Raw("\\r"u8); break;
                case '\t': Raw("\\t"u8); break;
                case '\b': Raw("\\b"u8); break;
                case '\f': Raw("\\f"u8); break;
                default:
                    Span<byte> span = _output.GetSpan(6);
                    "\\u00"u8.CopyTo(span);
                    span[4] = Hex(c >> 4);
                    span[5] = Hex(c & 0xF);
                    _output.Advance(6);
                    break;
            }
        }

        private static byte Hex(int nibble) => (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);

        private void Utf8(ReadOnlySpan<char> chars)
        {
            while (!chars.IsEmpty)
            {
                int take = Math.Min(chars.Length, CharsPerSlice);
                // Never cut a surrogate pair in two: the encoder would replace each half with U+FFFD.
                if (take < chars.Length && char.IsHighSurrogate(chars[take - 1])) take--;
                ReadOnlySpan<char> slice = chars.Slice(0, take);
                Span<byte> span = _output.GetSpan(Encoding.UTF8.GetMaxByteCount(slice.Length));
                _output.Advance(Encoding.UTF8.GetBytes(slice, span));
                chars = chars.Slice(take);
            }
        }

        /// <summary>The JSON literal for a string, as a .NET string (for small bodies built by hand).</summary>
        public static string Quote(string value)
        {
            var buffer = new ArrayBufferWriter<byte>(value.Length + 16);
            new JsonSink(buffer).String(value);
            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
    }
}
