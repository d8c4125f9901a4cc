using System;
using System.Globalization;
using System.Text;

namespace CloudflareAI
{
    /// <summary>
    /// Makes server text safe to write to a terminal. A model's answer or an error page may hold escape sequences that
    /// clear the screen, set the window title, write the clipboard (OSC 52), plant hyperlinks (OSC 8) or answer with
    /// keystrokes; shown as text they are harmless. Every C0 and C1 control character except tab, line feed and a CR
    /// that begins a CRLF is replaced by a visible stand-in: ESC by U+241B (␛), the others by \u00XX. Only the display
    /// changes: the objects' properties keep the raw text.
    /// </summary>
    public static class TerminalText
    {
        /// <summary>What ESC becomes.</summary>
        public const char EscapeStandIn = '\u241B';

        /// <summary>The text with every unsafe control character made visible; null becomes the empty string.</summary>
        public static string Escape(string? text)
        {
            if (string.IsNullOrEmpty(text)) return string.Empty;
            string value = text!;
            int first = FirstUnsafe(value, 0);
            if (first < 0) return value;
            var result = new StringBuilder(value.Length + 16);
            result.Append(value, 0, first);
            for (int i = first; i < value.Length; i++)
            {
                char c = value[i];
                if (IsUnsafe(value, i)) AppendStandIn(result, c);
                else result.Append(c);
            }
            return result.ToString();
        }

        /// <summary>True when <see cref="Escape"/> would change the text.</summary>
        public static bool NeedsEscape(string? text) => !string.IsNullOrEmpty(text) && FirstUnsafe(text!, 0) >= 0;

        /// <summary>True for the characters that are never written raw (a CR only when no LF follows it).</summary>
        public static bool IsControl(char c) => c < 0x20 ? c != '\t' && c != '\n' : c >= 0x7F && c <= 0x9F;

        internal static void AppendStandIn(StringBuilder target, char c)
        {
            if (c == '\u001B') target.Append(EscapeStandIn);
            else target.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
        }

        private static int FirstUnsafe(string text, int start)
        {
            for (int i = start; i < text.Length; i++)
            {
                if (IsUnsafe(text, i)) return i;
            }
            return -1;
        }

        private static bool IsUnsafe(string text, int index)
        {
            char c = text[index];
            if (!IsControl(c)) return false;
            if (c != '\r') return true;
            return index + 1 >= text.Length || text[index + 1] != '\n';
        }
    }

    /// <summary>
    /// <see cref="TerminalText.Escape"/> for text that arrives in pieces: escaping is per character, except a CR at the
    /// end of a piece, which is held until the next piece says whether an LF follows it.
    /// </summary>
    public sealed class TerminalTextStream
    {
        private bool heldCarriageReturn;

        /// <summary>The safe form of the piece (a trailing CR is held back).</summary>
        public string Push(string? text)
        {
            if (string.IsNullOrEmpty(text)) return string.Empty;
            string value = heldCarriageReturn ? "\r" + text : text!;
            heldCarriageReturn = value[value.Length - 1] == '\r';
            if (heldCarriageReturn) value = value.Substring(0, value.Length - 1);
            return TerminalText.Escape(value);
        }

        /// <summary>The held CR, escaped: the stream ended without an LF after it.</summary>
        public string Flush()
        {
            if (!heldCarriageReturn) return string.Empty;
            heldCarriageReturn = false;
            return TerminalText.Escape("\r");
        }
    }
}
