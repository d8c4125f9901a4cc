using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace CloudflareAI.TestServer
{
    /// <summary>
    /// The vision model: <c>@cf/meta/llama-4-scout-17b-16e-instruct</c> (also behind a prefix) answers with what it was
    /// shown, "I see 2 image(s): 1: image/png, 68 bytes, 1x1; 2: URL https://...". Every image_url part of every message
    /// is checked as Workers AI checks it: a data: URI of base64 PNG, JPEG, GIF or WebP whose bytes are of the
    /// media type it names. On the Cloudflare flavours anything else (a URL above all) is a 400 in Workers AI's error
    /// shape; on the OpenAI flavour a URL is accepted and a broken data: URI is an OpenAI 400.
    /// </summary>
    internal static class VisionResponder
    {
        public const string VisionModel = "@cf/meta/llama-4-scout-17b-16e-instruct";

        public static bool IsVision(string model) =>
            model.Equals(VisionModel, StringComparison.Ordinal) || model.EndsWith("/" + VisionModel, StringComparison.Ordinal);

        /// <summary>The answer text, or <see cref="EmulatedErrorException"/> for an image the service would refuse.</summary>
        public static string Describe(JsonElement messages, Flavour flavour)
        {
            var seen = new List<string>();
            foreach (JsonElement message in messages.EnumerateArray())
            {
                if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array) continue;
                foreach (JsonElement part in content.EnumerateArray())
                {
                    if (part.ValueKind != JsonValueKind.Object || !part.TryGetProperty("type", out var type) || type.GetString() != "image_url") continue;
                    string url = part.TryGetProperty("image_url", out var iu) && iu.ValueKind == JsonValueKind.Object
                        && iu.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString()! : string.Empty;
                    seen.Add((seen.Count + 1).ToString(CultureInfo.InvariantCulture) + ": " + DescribeOne(url, flavour));
                }
            }
            return seen.Count == 0 ? "I see no image." : $"I see {seen.Count} image(s): " + string.Join("; ", seen);
        }

        private static string DescribeOne(string url, Flavour flavour)
        {
            bool cloudflare = flavour != Flavour.OpenAI;
            if (!url.StartsWith("data:", StringComparison.Ordinal))
            {
                if (cloudflare) throw Refused(flavour, "image_url must be a data: URI (base64), URLs are not fetched");
                return "URL " + url;
            }
            int comma = url.IndexOf(',');
            string header = comma < 0 ? url : url.Substring(5, comma - 5);
            if (comma < 0 || !header.EndsWith(";base64", StringComparison.Ordinal)) throw Refused(flavour, "image_url data: URI must be base64");
            string mediaType = header.Substring(0, header.Length - ";base64".Length);
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(url.Substring(comma + 1));
            }
            catch (FormatException)
            {
                throw Refused(flavour, "image_url data: URI is not valid base64");
            }
            string? actual = Sniff(bytes);
            if (actual is null) throw Refused(flavour, "image_url is not a PNG, JPEG, GIF or WebP image");
            if (actual != mediaType) throw Refused(flavour, $"image_url says {mediaType} but holds {actual}");
            string size = actual == "image/png" && bytes.Length >= 24
                ? $", {ReadBigEndian(bytes, 16)}x{ReadBigEndian(bytes, 20)}"
                : string.Empty;
            return $"{actual}, {bytes.Length.ToString(CultureInfo.InvariantCulture)} bytes{size}";
        }

        private static string? Sniff(byte[] b)
        {
            if (b.Length >= 8 && b[0] == 0x89 && b[1] == 0x50 && b[2] == 0x4E && b[3] == 0x47) return "image/png";
            if (b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return "image/jpeg";
            if (b.Length >= 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F') return "image/gif";
            if (b.Length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') return "image/webp";
            return null;
        }

        private static long ReadBigEndian(byte[] b, int at) => ((long)b[at] << 24) | ((long)b[at + 1] << 16) | ((long)b[at + 2] << 8) | b[at + 3];

        private static EmulatedErrorException Refused(Flavour flavour, string detail) =>
            flavour == Flavour.OpenAI
                ? new EmulatedErrorException(400, "{\"error\":{\"message\":" + JsonSink.Quote("Invalid image: " + detail) + ",\"type\":\"invalid_request_error\",\"code\":\"invalid_image\"}}")
                : new EmulatedErrorException(400, CodeFaultResponder.AiErrorBody("AiError: AiError: Bad input: " + detail + " (5006ee00)", 5006));
    }
}
