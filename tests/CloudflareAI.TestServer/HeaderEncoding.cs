using System;
using System.Text;

namespace CloudflareAI.TestServer
{
    /// <summary>How request header bytes become strings. Kestrel's default (ASCII, else UTF-8) answers
    /// 400 to a Latin-1 byte such as 0xE9, which is what Windows PowerShell 5.1 sends for "é" in a header;
    /// a test server must record such a request, not refuse it. Valid UTF-8 is decoded as UTF-8; each
    /// byte that is not part of a valid sequence is taken as Latin-1.</summary>
    internal static class HeaderEncoding
    {
        public static readonly Encoding Utf8OrLatin1 =
            Encoding.GetEncoding("utf-8", EncoderFallback.ReplacementFallback, new Latin1DecoderFallback());

        private sealed class Latin1DecoderFallback : DecoderFallback
        {
            public override int MaxCharCount => 4;

            public override DecoderFallbackBuffer CreateFallbackBuffer() => new Latin1Buffer();
        }

        private sealed class Latin1Buffer : DecoderFallbackBuffer
        {
            private char[] _chars = Array.Empty<char>();
            private int _next;

            public override int Remaining => _chars.Length - _next;

            public override bool Fallback(byte[] bytesUnknown, int index)
            {
                _chars = new char[bytesUnknown.Length];
                for (int i = 0; i < bytesUnknown.Length; i++) _chars[i] = (char)bytesUnknown[i];
                _next = 0;
                return true;
            }

            public override char GetNextChar() => _next < _chars.Length ? _chars[_next++] : '\0';

            public override bool MovePrevious()
            {
                if (_next == 0) return false;
                _next--;
                return true;
            }

            public override void Reset()
            {
                _chars = Array.Empty<char>();
                _next = 0;
            }
        }
    }
}
