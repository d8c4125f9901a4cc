using System;

namespace CloudflareAI.Chat.Requests
{
    /// <summary>
    /// Tells an image's format from its first bytes, never from its file name: a renamed file or a download saved under
    /// the wrong extension would otherwise go out with a media type the model rejects.
    /// </summary>
    internal static class ImageInputFormat
    {
        /// <summary>How many leading bytes <see cref="Sniff"/> needs to tell every format apart.</summary>
        public const int HeaderLength = 12;

        /// <summary>The media type of a PNG, JPEG, GIF or WebP image, or null for anything else.</summary>
        public static string? Sniff(ReadOnlySpan<byte> header)
        {
            if (StartsWith(header, 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A)) return "image/png";
            if (StartsWith(header, 0xFF, 0xD8, 0xFF)) return "image/jpeg";
            if (StartsWith(header, (byte)'G', (byte)'I', (byte)'F', (byte)'8') && header.Length >= 6
                && (header[4] == (byte)'7' || header[4] == (byte)'9') && header[5] == (byte)'a') return "image/gif";
            // RIFF <4-byte size> WEBP
            if (header.Length >= 12 && StartsWith(header, (byte)'R', (byte)'I', (byte)'F', (byte)'F')
                && header[8] == (byte)'W' && header[9] == (byte)'E' && header[10] == (byte)'B' && header[11] == (byte)'P') return "image/webp";
            return null;
        }

        private static bool StartsWith(ReadOnlySpan<byte> data, params byte[] magic)
        {
            if (data.Length < magic.Length) return false;
            for (int i = 0; i < magic.Length; i++)
            {
                if (data[i] != magic[i]) return false;
            }
            return true;
        }
    }
}
