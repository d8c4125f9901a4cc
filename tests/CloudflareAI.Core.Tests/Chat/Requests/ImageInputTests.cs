using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace CloudflareAI.Tests.Chat.Requests
{
    public class ImageInputTests : IDisposable
    {
        // A real 1x1 PNG; the other formats need only their first bytes to be told apart.
        private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
        private static readonly byte[] Jpeg = { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1 };
        private static readonly byte[] Gif89 = { (byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'9', (byte)'a', 1, 0, 1, 0, 0, 0 };
        private static readonly byte[] Gif87 = { (byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'7', (byte)'a', 1, 0, 1, 0, 0, 0 };
        private static readonly byte[] WebP = { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 4, 0, 0, 0, (byte)'W', (byte)'E', (byte)'B', (byte)'P', (byte)'V', (byte)'P', (byte)'8', (byte)' ' };

        private readonly string folder = Path.Combine(Path.GetTempPath(), "cfai-image-tests-" + Guid.NewGuid().ToString("n"));

        public ImageInputTests() => Directory.CreateDirectory(folder);

        public void Dispose() => Directory.Delete(folder, recursive: true);

        public static IEnumerable<object[]> Formats() => new[]
        {
            new object[] { Png, "image/png" },
            new object[] { Jpeg, "image/jpeg" },
            new object[] { Gif89, "image/gif" },
            new object[] { Gif87, "image/gif" },
            new object[] { WebP, "image/webp" },
        };

        [Theory]
        [MemberData(nameof(Formats))]
        public void TheFormatIsToldByTheFirstBytes(byte[] bytes, string mediaType)
        {
            Assert.Equal(mediaType, ImageInputFormat.Sniff(bytes));
        }

        [Theory]
        [InlineData("")]
        [InlineData("GIF8")]
        [InlineData("GIF88a......")]
        [InlineData("RIFF....WAVE")]
        [InlineData("%PDF-1.7 ...")]
        [InlineData("<svg xmlns=")]
        public void AnythingElseIsNoImage(string start)
        {
            Assert.Null(ImageInputFormat.Sniff(System.Text.Encoding.ASCII.GetBytes(start)));
        }

        [Fact]
        public void AFileBecomesADataUriNamedByItsContentNotItsExtension()
        {
            // A PNG saved as .jpg goes out as image/png.
            string path = Write("photo.jpg", Png);

            string url = UrlOf(Load(path, dataUrisOnly: true));

            Assert.Equal("data:image/png;base64," + Convert.ToBase64String(Png), url);
        }

        [Fact]
        public void PartsKeepTheOrderOfTheValues()
        {
            string a = Write("a.gif", Gif89), b = Write("b.webp", WebP);

            IReadOnlyList<object?> parts = ImageInput.Load(new[] { a, b, "https://example.test/c.png" }, p => p, dataUrisOnly: false, "openai");
            IReadOnlyList<object?> content = ImageInput.Content("What are these?", parts);

            Assert.Equal(4, content.Count);
            var text = Assert.IsAssignableFrom<IDictionary<string, object?>>(content[0]);
            Assert.Equal("text", text["type"]);
            Assert.Equal("What are these?", text["text"]);
            Assert.StartsWith("data:image/gif;base64,", UrlOf(content[1]));
            Assert.StartsWith("data:image/webp;base64,", UrlOf(content[2]));
            Assert.Equal("https://example.test/c.png", UrlOf(content[3]));
        }

        [Fact]
        public void AUrlIsRefusedOnAnAliasThatTakesOnlyDataUris()
        {
            var e = Assert.Throws<CloudflareAIException>(() => ImageInput.Load(new[] { "https://example.test/cat.png" }, p => p, dataUrisOnly: true, "cloudflare-workers-ai"));

            Assert.Equal(ErrorIds.ImageInvalid, e.ErrorId);
            Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
            Assert.Contains("data: URIs", e.Message);
            Assert.Contains("cloudflare-workers-ai", e.Message);
            Assert.Contains("-OutFile", e.RecommendedAction);
        }

        [Fact]
        public void AGivenDataUriPassesAsItIs()
        {
            string uri = "data:image/png;base64," + Convert.ToBase64String(Png);

            Assert.Equal(uri, UrlOf(ImageInput.Load(new[] { uri }, p => throw new InvalidOperationException("not a path"), true, "x")[0]));
        }

        [Fact]
        public void AMissingFileIsImageInvalid()
        {
            var e = Assert.Throws<CloudflareAIException>(() => Load(Path.Combine(folder, "nope.png"), false));

            Assert.Equal(ErrorIds.ImageInvalid, e.ErrorId);
            Assert.Contains("does not exist", e.Message);
        }

        [Fact]
        public void AFolderIsImageInvalid()
        {
            var e = Assert.Throws<CloudflareAIException>(() => Load(folder, false));

            Assert.Contains("is a folder", e.Message);
        }

        [Fact]
        public void AnUnknownFormatIsImageInvalidEvenWithAnImageName()
        {
            string path = Write("fake.png", System.Text.Encoding.ASCII.GetBytes("<svg xmlns='http://www.w3.org/2000/svg'/>"));

            var e = Assert.Throws<CloudflareAIException>(() => Load(path, false));

            Assert.Equal(ErrorIds.ImageInvalid, e.ErrorId);
            Assert.Contains("PNG, JPEG, GIF or WebP", e.Message);
        }

        [Fact]
        public void AFileOverTwentyMegabytesIsImageInvalidWithoutBeingRead()
        {
            string path = Path.Combine(folder, "big.png");
            using (var file = File.Create(path))
            {
                file.Write(Png, 0, Png.Length);
                file.SetLength(ImageInput.MaxBytes + 1);
            }

            var e = Assert.Throws<CloudflareAIException>(() => Load(path, false));

            Assert.Contains("at most 20 MB", e.Message);
        }

        [Fact]
        public void AFileOfExactlyTwentyMegabytesIsSent()
        {
            string path = Path.Combine(folder, "edge.png");
            using (var file = File.Create(path))
            {
                file.Write(Png, 0, Png.Length);
                file.SetLength(ImageInput.MaxBytes);
            }

            Assert.StartsWith("data:image/png;base64,", UrlOf(Load(path, true)));
        }

        private IReadOnlyList<object?> Load(string path, bool dataUrisOnly) => ImageInput.Load(new[] { path }, p => p, dataUrisOnly, "test");

        private string Write(string name, byte[] bytes)
        {
            string path = Path.Combine(folder, name);
            File.WriteAllBytes(path, bytes);
            return path;
        }

        private static string UrlOf(IReadOnlyList<object?> parts) => UrlOf(Assert.Single(parts));

        private static string UrlOf(object? part)
        {
            var dictionary = Assert.IsAssignableFrom<IDictionary<string, object?>>(part);
            Assert.Equal("image_url", dictionary["type"]);
            var imageUrl = Assert.IsAssignableFrom<IDictionary<string, object?>>(dictionary["image_url"]);
            return Assert.IsType<string>(imageUrl["url"]);
        }
    }
}
