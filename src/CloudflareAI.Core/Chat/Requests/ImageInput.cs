using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace CloudflareAI.Chat.Requests
{
    /// <summary>
    /// The -Image values of one chat call as OpenAI image_url content parts: a local file becomes a data: URI (its format
    /// read from its content), an http(s) URL or a data: URI is passed on as given. Everything is checked before any
    /// request is sent, so a bad image costs nothing.
    /// </summary>
    internal static class ImageInput
    {
        /// <summary>The largest image file read: 20 MB.</summary>
        public const long MaxBytes = 20L * 1024 * 1024;

        private const string Formats = "PNG, JPEG, GIF or WebP";

        /// <summary>
        /// One image_url part per value, in order. <paramref name="resolvePath"/> turns a value that is not a URL into a
        /// file-system path (the cmdlet resolves PowerShell paths); <paramref name="dataUrisOnly"/> is true for
        /// Cloudflare aliases, which accept only data: URIs.
        /// </summary>
        /// <exception cref="CloudflareAIException">ImageInvalid: which value, and why.</exception>
        public static IReadOnlyList<object?> Load(IEnumerable<string> values, Func<string, string> resolvePath, bool dataUrisOnly, string provider)
        {
            var parts = new List<object?>();
            foreach (string value in values)
            {
                parts.Add(Part(ToUrl(value, resolvePath, dataUrisOnly, provider)));
            }
            return parts;
        }

        /// <summary>The user message content: the prompt as a text part, then the image parts.</summary>
        public static IReadOnlyList<object?> Content(string prompt, IReadOnlyList<object?> images)
        {
            var parts = new List<object?>(images.Count + 1)
            {
                new Dictionary<string, object?>(StringComparer.Ordinal) { ["type"] = "text", ["text"] = prompt },
            };
            parts.AddRange(images);
            return parts;
        }

        private static Dictionary<string, object?> Part(string url) =>
            new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["type"] = "image_url",
                ["image_url"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["url"] = url },
            };

        private static string ToUrl(string value, Func<string, string> resolvePath, bool dataUrisOnly, string provider)
        {
            if (string.IsNullOrWhiteSpace(value)) throw Invalid("An -Image value is empty.", "Give the path of an image file, or leave -Image out.", value);

            if (value.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
            {
                if (!value.StartsWith("data:image/", StringComparison.OrdinalIgnoreCase) || value.IndexOf(";base64,", StringComparison.OrdinalIgnoreCase) < 0)
                {
                    throw Invalid("An -Image data: URI is not a base64 image (data:image/<type>;base64,...).",
                        "Pass the image file's path instead and the module builds the data: URI from its content.", Shorten(value));
                }
                return value;
            }

            if (Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            {
                if (dataUrisOnly)
                {
                    throw Invalid($"The {provider} alias takes images only as data: URIs, not as URLs such as '{Shorten(value)}'; the module does not download images on your behalf.",
                        "Download the image first, for example: Invoke-WebRequest '<url>' -OutFile image.png; then pass -Image ./image.png.", Shorten(value));
                }
                return uri.AbsoluteUri;
            }

            string path;
            try
            {
                path = resolvePath(value);
            }
            catch (Exception ex) when (!(ex is CloudflareAIException))
            {
                throw Invalid($"The -Image path '{value}' cannot be used: {ex.Message}", "Give the path of a PNG, JPEG, GIF or WebP file, or an http(s) URL.", value, ex);
            }
            return ReadFile(value, path);
        }

        private static string ReadFile(string value, string path)
        {
            FileInfo file;
            try
            {
                file = new FileInfo(path);
            }
            catch (Exception ex) when (ex is ArgumentException || ex is NotSupportedException || ex is PathTooLongException || ex is System.Security.SecurityException)
            {
                throw Invalid($"The -Image path '{value}' is not a valid file path: {ex.Message}", "Give the path of an image file.", value, ex);
            }
            if (!file.Exists)
            {
                string what = Directory.Exists(path) ? "is a folder, not a file" : "does not exist";
                throw Invalid($"The -Image file '{value}' {what}.", "Check the path (Test-Path), or pass an http(s) URL for hosts that take one.", value);
            }
            if (file.Length > MaxBytes)
            {
                throw Invalid($"The -Image file '{value}' is {Megabytes(file.Length)} MB; images may be at most {Megabytes(MaxBytes)} MB.",
                    "Send a smaller image: scale it down or save it as JPEG or WebP.", value);
            }

            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw Invalid($"The -Image file '{value}' cannot be read: {ex.Message}", "Check that the file is readable and not locked by another program.", value, ex);
            }
            // Read again for its length: the file may have grown between the check and the read.
            if (bytes.LongLength > MaxBytes)
            {
                throw Invalid($"The -Image file '{value}' is {Megabytes(bytes.LongLength)} MB; images may be at most {Megabytes(MaxBytes)} MB.",
                    "Send a smaller image: scale it down or save it as JPEG or WebP.", value);
            }

            string? mediaType = ImageInputFormat.Sniff(bytes);
            if (mediaType == null)
            {
                throw Invalid($"The -Image file '{value}' is not a {Formats} image (judged by its content, not its name).",
                    $"Convert it to one of {Formats}, or check that the path names the image you meant.", value);
            }
            return "data:" + mediaType + ";base64," + Convert.ToBase64String(bytes);
        }

        private static string Megabytes(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.#", CultureInfo.InvariantCulture);

        /// <summary>A long URL or data: URI shown in a message is cut: the message is about which value, not its bytes.</summary>
        private static string Shorten(string value) => value.Length <= 80 ? value : value.Substring(0, 77) + "...";

        private static CloudflareAIException Invalid(string message, string action, string target, Exception? inner = null) =>
            new CloudflareAIException(ErrorIds.ImageInvalid, ErrorKind.InvalidArgument, message, action, inner) { Target = target };
    }
}
