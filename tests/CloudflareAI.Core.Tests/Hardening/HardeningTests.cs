using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using TestEndpoints = CloudflareAI.Tests.Chat.Endpoints;

namespace CloudflareAI.Tests.Hardening
{
    /// <summary>An endless body: the same bytes again and again, counting what was read.</summary>
    internal sealed class EndlessStream : ReadOnlyTestStream
    {
        private readonly byte[] prefix;
        private readonly byte filler;
        private long position;

        public EndlessStream(string prefix, char filler)
        {
            this.prefix = Encoding.UTF8.GetBytes(prefix);
            this.filler = (byte)filler;
        }

        public long BytesRead => position;

        public override int Read(byte[] buffer, int offset, int count)
        {
            for (int i = 0; i < count; i++, position++)
            {
                buffer[offset + i] = position < prefix.Length ? prefix[position] : filler;
            }
            return count;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer, offset, count));
    }

    public class TerminalTextTests
    {
        [Theory]
        [InlineData("plain text", "plain text")]
        [InlineData("tab\tand\nline feed", "tab\tand\nline feed")]
        [InlineData("windows\r\nline", "windows\r\nline")]
        [InlineData("\u001b[2J\u001b[H", "\u241b[2J\u241b[H")]
        [InlineData("\u001b]0;pwned\u0007", "\u241b]0;pwned\\u0007")]
        [InlineData("\u001b]52;c;ZWNobyBoaQ==\u0007", "\u241b]52;c;ZWNobyBoaQ==\\u0007")]
        [InlineData("\u001b]8;;https://evil.example\u001b\\link\u001b]8;;\u001b\\", "\u241b]8;;https://evil.example\u241b\\link\u241b]8;;\u241b\\")]
        [InlineData("lone\rCR", "lone\\u000DCR")]
        [InlineData("end\r", "end\\u000D")]
        [InlineData("\u009b31m C1 CSI", "\\u009B31m C1 CSI")]
        [InlineData("\u0085\u0090\u009d\u009f", "\\u0085\\u0090\\u009D\\u009F")]
        [InlineData("nul\u0000 bs\u0008 del\u007f", "nul\\u0000 bs\\u0008 del\\u007F")]
        [InlineData("ünïcødé 👋 \u00a0", "ünïcødé 👋 \u00a0")]
        public void Escapes_every_control_character_but_tab_line_feed_and_CRLF(string raw, string shown)
        {
            Assert.Equal(shown, TerminalText.Escape(raw));
            Assert.Equal(raw != shown, TerminalText.NeedsEscape(raw));
            // Nothing that reaches the terminal is a control character any more, and escaping twice changes nothing.
            Assert.DoesNotContain(TerminalText.Escape(raw), c => TerminalText.IsControl(c) && c != '\r');
            Assert.Equal(shown, TerminalText.Escape(shown));
        }

        [Fact]
        public void A_sequence_split_across_pieces_is_escaped_and_a_CRLF_split_across_pieces_kept()
        {
            var stream = new TerminalTextStream();
            string shown = stream.Push("clear\u001b") + stream.Push("[2J line\r") + stream.Push("\nnext\r") + stream.Push("x\u009b") + stream.Push("0m\r") + stream.Flush();
            Assert.Equal("clear\u241b[2J line\r\nnext\\u000Dx\\u009B0m\\u000D", shown);
        }
    }

    public class ResponseSizeTests
    {
        private readonly FakeHandler handler = new FakeHandler();
        private readonly RecordingObserver observer = new RecordingObserver();

        private Task<ChatResponse> Send(bool stream, long maxBytes) =>
            new ChatClient(handler, new FakeTimer(), () => 0.5).SendAsync(TestEndpoints.Cloudflare(), TestEndpoints.Request(stream),
                new ChatCallOptions { MaxResponseBytes = maxBytes }, observer, CancellationToken.None);

        private static HttpResponseMessage Body(Stream body, string mediaType)
        {
            var content = new StreamContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public async Task An_endless_body_stops_at_the_cap_and_is_not_retried(bool stream)
        {
            var body = stream ? new EndlessStream("data: " + CannedResponses.Chunk("x") + "\n\n", ':') : new EndlessStream("{\"choices\":[{\"message\":{\"content\":\"", 'a');
            handler.Then(() => Body(body, stream ? "text/event-stream" : "application/json"));

            ChatException ex = await Assert.ThrowsAsync<ChatException>(() => Send(stream, 1024 * 1024));

            Assert.Equal(ErrorIds.ChatResponseInvalid, ex.ErrorId);
            Assert.Contains("the answer is larger than 1 MB", ex.Message);
            Assert.Contains("-MaxResponseMB", ex.RecommendedAction);
            Assert.Single(handler.Requests);
            // Reading stops at the cap, give or take one read.
            Assert.InRange(body.BytesRead, 1024 * 1024, 1024 * 1024 + 128 * 1024);
        }

        [Fact]
        public async Task An_answer_at_the_cap_is_read()
        {
            string json = "{\"choices\":[{\"message\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}";
            handler.Then(() => CannedResponses.Json(HttpStatusCode.OK, json));
            ChatResponse response = await Send(false, Encoding.UTF8.GetByteCount(json));
            Assert.Equal("ok", response.Content);
        }

        [Fact]
        public async Task One_endless_event_stream_line_stops_at_the_line_cap()
        {
            var reader = new SseReader(new EndlessStream("data: ", 'x'), maxLineChars: 4096);
            ResponseFormatException ex = await Assert.ThrowsAsync<ResponseFormatException>(() => reader.ReadEventAsync(CancellationToken.None));
            Assert.Contains("in one event-stream line", ex.Message);
        }

        [Fact]
        public async Task Many_data_lines_of_one_event_stop_at_the_line_cap()
        {
            var reader = new SseReader(new EndlessStream("", 'x').AsLines(), maxLineChars: 4096);
            ResponseFormatException ex = await Assert.ThrowsAsync<ResponseFormatException>(() => reader.ReadEventAsync(CancellationToken.None));
            Assert.Contains("in one event-stream line", ex.Message);
        }

        [Fact]
        public void The_default_caps_are_32_MB_per_answer_and_8_MB_per_line()
        {
            Assert.Equal(32L * 1024 * 1024, new ChatCallOptions().MaxResponseBytes);
            Assert.Equal(8 * 1024 * 1024, SseReader.DefaultMaxLineChars);
        }
    }

    internal static class EndlessStreamExtensions
    {
        /// <summary>"data: xxx\n" forever: one event of endless data lines.</summary>
        public static Stream AsLines(this EndlessStream _) => new RepeatingStream(Encoding.ASCII.GetBytes("data: xxxxxxxxxxxxxxxx\n"));

        private sealed class RepeatingStream : ReadOnlyTestStream
        {
            private readonly byte[] unit;
            private long position;

            public RepeatingStream(byte[] unit) => this.unit = unit;

            public override int Read(byte[] buffer, int offset, int count)
            {
                for (int i = 0; i < count; i++, position++) buffer[offset + i] = unit[position % unit.Length];
                return count;
            }

            public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
                Task.FromResult(Read(buffer, offset, count));
        }
    }

    public class BytesTests
    {
        private readonly FakeHandler handler = new FakeHandler();
        private readonly RecordingObserver observer = new RecordingObserver();

        private Task<ChatResponse> Send(bool stream) =>
            new ChatClient(handler, new FakeTimer(), () => 0.5).SendAsync(TestEndpoints.Cloudflare(), TestEndpoints.Request(stream),
                new ChatCallOptions(), observer, CancellationToken.None);

        private static HttpResponseMessage Bytes(byte[] body, string mediaType)
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        }

        private static HttpResponseMessage Stream(IEnumerable<byte[]> segments) => CannedResponses.EventStream(new ScriptedStream(segments));

        private static IEnumerable<byte[]> OneByteAtATime(byte[] bytes) => bytes.Select(b => new[] { b });

        private static readonly byte[] Bom = { 0xEF, 0xBB, 0xBF };

        [Fact]
        public async Task A_BOM_before_a_JSON_body_is_skipped()
        {
            byte[] json = Encoding.UTF8.GetBytes("{\"choices\":[{\"message\":{\"content\":\"after the BOM\"},\"finish_reason\":\"stop\"}]}");
            handler.Then(() => Bytes(Bom.Concat(json).ToArray(), "application/json"));
            Assert.Equal("after the BOM", (await Send(false)).Content);
        }

        [Fact]
        public async Task A_BOM_before_the_first_event_keeps_that_event()
        {
            byte[] sse = Encoding.UTF8.GetBytes(CannedResponses.Event(CannedResponses.Chunk("first ")) + CannedResponses.Event(CannedResponses.Chunk("second", "stop")) + "data: [DONE]\n\n");
            handler.Then(() => Stream(OneByteAtATime(Bom.Concat(sse).ToArray())));
            ChatResponse response = await Send(true);
            Assert.Equal("first second", response.Content);
            Assert.Equal("first second", observer.StreamedText);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public async Task Invalid_UTF8_is_ChatResponseInvalid_and_not_retried(bool stream)
        {
            string text = stream
                ? CannedResponses.Event(CannedResponses.Chunk("ok XX")) + "data: [DONE]\n\n"
                : "{\"choices\":[{\"message\":{\"content\":\"ok XX\"},\"finish_reason\":\"stop\"}]}";
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            int at = Array.IndexOf(bytes, (byte)'X');
            bytes[at] = 0xC3;
            bytes[at + 1] = 0x28;
            handler.Then(() => Bytes(bytes, stream ? "text/event-stream" : "application/json"));

            ChatException ex = await Assert.ThrowsAsync<ChatException>(() => Send(stream));

            Assert.Equal(ErrorIds.ChatResponseInvalid, ex.ErrorId);
            Assert.Contains("not valid UTF-8", ex.Message);
            Assert.DoesNotContain("unexpectedly", ex.Message);
            Assert.Single(handler.Requests);
        }

        [Fact]
        public async Task A_surrogate_pair_split_across_two_chunks_is_joined_also_one_byte_at_a_time()
        {
            string sse = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"smile \\ud83d\"}}]}\n\n"
                + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\\ude00!\"},\"finish_reason\":\"stop\"}]}\n\n"
                + "data: [DONE]\n\n";
            handler.Then(() => Stream(OneByteAtATime(Encoding.UTF8.GetBytes(sse))));

            ChatResponse response = await Send(true);

            Assert.Equal("smile \U0001F600!", response.Content);
            Assert.Equal("smile \U0001F600!", observer.StreamedText);
            Assert.All(observer.Texts, piece => Assert.Equal(piece, JsonText.ReplaceLoneSurrogates(piece)));
        }

        [Fact]
        public async Task A_lone_surrogate_in_a_stream_becomes_the_replacement_character()
        {
            string sse = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\\ud83d\"}}]}\n\n"
                + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"b\\ude00c\"}}]}\n\n"
                + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"d\\ud83d\"},\"finish_reason\":\"stop\"}]}\n\n"
                + "data: [DONE]\n\n";
            handler.Then(() => Stream(new[] { Encoding.UTF8.GetBytes(sse) }));

            ChatResponse response = await Send(true);

            Assert.Equal("a\uFFFDb\uFFFDcd\uFFFD", response.Content);
            Assert.Equal(response.Content, observer.StreamedText);
        }

        [Fact]
        public async Task A_lone_surrogate_in_a_JSON_body_becomes_the_replacement_character()
        {
            handler.Then(() => CannedResponses.Json(HttpStatusCode.OK, "{\"choices\":[{\"message\":{\"content\":\"x\\ud83dy \\ud83d\\ude00\"},\"finish_reason\":\"stop\"}]}"));
            Assert.Equal("x\uFFFDy \U0001F600", (await Send(false)).Content);
        }

        [Fact]
        public async Task A_lone_surrogate_in_an_error_body_is_not_the_catch_all()
        {
            handler.Then(() => CannedResponses.Json(HttpStatusCode.BadRequest, "{\"error\":{\"message\":\"bad \\ud83d input\"}}"));
            ChatException ex = await Assert.ThrowsAsync<ChatException>(() => Send(false));
            Assert.Equal(ErrorIds.ChatBadRequest, ex.ErrorId);
            Assert.Contains("bad \uFFFD input", ex.Message);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public async Task A_corrupt_gzip_body_is_ChatResponseInvalid(bool stream)
        {
            byte[] garbage = { 0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xFF, 0xFF, 0xFF, 0xFF, 0x13, 0x37, 0x00, 0x42 };
            handler.Then(() =>
            {
                var content = new StreamContent(new GZipStream(new MemoryStream(garbage), CompressionMode.Decompress));
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(stream ? "text/event-stream" : "application/json");
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
            });

            ChatException ex = await Assert.ThrowsAsync<ChatException>(() => Send(stream));

            Assert.Equal(ErrorIds.ChatResponseInvalid, ex.ErrorId);
            Assert.Contains("does not decompress", ex.Message);
            Assert.Single(handler.Requests);
        }

        [Fact]
        public async Task A_body_in_a_coding_the_client_did_not_offer_is_ChatResponseInvalid()
        {
            handler.Then(() =>
            {
                HttpResponseMessage response = Bytes(new byte[] { 0x1B, 0x2D, 0x00, 0xF8, 0xA5 }, "application/json");
                response.Content.Headers.ContentEncoding.Add("br");
                return response;
            });
            ChatException ex = await Assert.ThrowsAsync<ChatException>(() => Send(false));
            Assert.Equal(ErrorIds.ChatResponseInvalid, ex.ErrorId);
            Assert.Contains("br-encoded", ex.Message);
            Assert.Single(handler.Requests);
        }

        [Fact]
        public async Task A_BOM_before_an_error_body_keeps_its_codes()
        {
            byte[] json = Encoding.UTF8.GetBytes("{\"errors\":[{\"code\":7003,\"message\":\"Could not route\"}],\"success\":false}");
            handler.Then(() =>
            {
                HttpResponseMessage response = Bytes(Bom.Concat(json).ToArray(), "application/json");
                response.StatusCode = HttpStatusCode.BadRequest;
                return response;
            });
            ChatException ex = await Assert.ThrowsAsync<ChatException>(() => Send(false));
            Assert.Equal(ErrorIds.ChatBadRequest, ex.ErrorId);
            Assert.Equal("7003", ex.ProviderCode);
        }

        [Fact]
        public async Task Response_headers_too_large_are_ChatResponseInvalid_and_not_retried()
        {
            handler.Then((_, _) => throw new HttpRequestException("The HTTP response headers length exceeded the set limit of 65536 bytes."));
            ChatException ex = await Assert.ThrowsAsync<ChatException>(() => Send(false));
            Assert.Equal(ErrorIds.ChatResponseInvalid, ex.ErrorId);
            Assert.Contains("headers are larger", ex.Message);
            Assert.Single(handler.Requests);
        }

        [Fact]
        public async Task Control_characters_of_a_streamed_answer_reach_the_observer_escaped_and_the_object_raw()
        {
            string raw = "\u001b]0;title\u0007\u001b[2J\u009b1mbold\r\nok";
            string sse = CannedResponses.Event(CannedResponses.Chunk("\u001b]0;title\u0007\u001b")) + CannedResponses.Event(CannedResponses.Chunk("[2J\u009b1mbold\r")) +
                CannedResponses.Event(CannedResponses.Chunk("\nok", "stop")) + "data: [DONE]\n\n";
            handler.Then(() => Stream(new[] { Encoding.UTF8.GetBytes(sse) }));

            ChatResponse response = await Send(true);

            Assert.Equal(raw, response.Content);
            Assert.Equal(TerminalText.Escape(raw), observer.StreamedText);
            Assert.DoesNotContain(observer.StreamedText, c => c == '\u001b' || c == '\u0007' || c == '\u009b');
        }

        [Fact]
        public async Task Control_characters_in_an_error_body_are_escaped_in_the_message()
        {
            handler.Then(() => CannedResponses.Json(HttpStatusCode.BadRequest, "{\"error\":{\"message\":\"bad \\u001b[2J\\u009b input\"}}"));
            ChatException ex = await Assert.ThrowsAsync<ChatException>(() => Send(false));
            Assert.Contains("bad \u241b[2J\\u009B input", ex.Message);
        }
    }

    public class WiderSecretTests
    {
        private const string Token = TestEndpoints.Token;

        [Fact]
        public void A_preview_masks_a_secret_that_straddles_the_200_character_cut()
        {
            var redactor = new SecretRedactor(new[] { Token });
            for (int start = 180; start <= 205; start++)
            {
                string page = "<html><body>" + new string('a', start) + Token + new string('b', 300) + "</body></html>";
                string preview = ApiErrorBody.Preview(page, redactor);
                Assert.DoesNotContain(Token.Substring(0, 8), preview);
                Assert.True(preview.Length <= ApiErrorBody.PreviewLength + 3);
            }
        }

        [Fact]
        public void A_preview_decodes_entities_before_masking()
        {
            var redactor = new SecretRedactor(new[] { Token });
            string encoded = string.Concat(Token.Select(c => "&#" + ((int)c).ToString(System.Globalization.CultureInfo.InvariantCulture) + ";"));
            string preview = ApiErrorBody.Preview("<p>your key " + encoded + " was refused</p>", redactor);
            Assert.Equal("your key *** was refused", preview);
        }

        [Fact]
        public async Task A_non_JSON_error_page_echoing_the_token_across_the_cut_shows_none_of_it()
        {
            var handler = new FakeHandler();
            string page = "<html><body>" + new string('x', 190) + Token + "</body></html>";
            handler.Then(() => new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent(page, Encoding.UTF8, "text/html") });
            ChatException ex = await Assert.ThrowsAsync<ChatException>(() => new ChatClient(handler, new FakeTimer(), () => 0.5)
                .SendAsync(TestEndpoints.Cloudflare(), TestEndpoints.Request(), new ChatCallOptions { MaxRetries = 0 }, new RecordingObserver(), CancellationToken.None));
            Assert.DoesNotContain(Token.Substring(0, 6), ex.Message);
        }

        [Fact]
        public async Task A_redirect_to_a_host_holding_the_token_in_other_letter_case_is_masked()
        {
            var handler = new FakeHandler();
            var observer = new RecordingObserver();
            handler.Then(() =>
            {
                var response = new HttpResponseMessage(HttpStatusCode.TemporaryRedirect);
                response.Headers.Location = new Uri("https://" + Token.ToUpperInvariant() + ".evil.example/v1");
                return response;
            });
            ChatException ex = await Assert.ThrowsAsync<ChatException>(() => new ChatClient(handler, new FakeTimer(), () => 0.5)
                .SendAsync(TestEndpoints.Cloudflare(), TestEndpoints.Request(), new ChatCallOptions(), observer, CancellationToken.None));
            Assert.Contains("***.evil.example", ex.Message);
            Assert.DoesNotContain(Token, ex.Message + ex.RecommendedAction, StringComparison.OrdinalIgnoreCase);
        }

        [Fact]
        public async Task User_info_in_a_URL_a_server_quotes_is_masked()
        {
            var handler = new FakeHandler();
            handler.Then(() => CannedResponses.Json(HttpStatusCode.BadRequest, "{\"error\":{\"message\":\"cannot reach https://admin:hunter2-DO-NOT-PRINT@db.internal/x\"}}"));
            ChatException ex = await Assert.ThrowsAsync<ChatException>(() => new ChatClient(handler, new FakeTimer(), () => 0.5)
                .SendAsync(TestEndpoints.Cloudflare(), TestEndpoints.Request(), new ChatCallOptions(), new RecordingObserver(), CancellationToken.None));
            Assert.Contains("https://***@db.internal/x", ex.Message);
            Assert.DoesNotContain("DO-NOT-PRINT", ex.Message);
        }

        [Theory]
        [InlineData("https://example.com/" + Token + "/v1$")]
        [InlineData("https://example.com/${" + Token)]
        [InlineData("ftp://example.com/" + Token)]
        [InlineData("https://user:" + Token + "@example.com/v1")]
        public void A_template_error_masks_a_token_pasted_into_the_base_URL(string baseUrl)
        {
            var env = TestEnvironment.With(("CLOUDFLARE_API_TOKEN", Token), ("CLOUDFLARE_ACCOUNT_ID", "0123456789abcdef0123456789abcdef"));
            var request = new EndpointOverrides { Provider = "cloudflare-workers-ai", BaseUrl = baseUrl };

            var ex = Assert.ThrowsAny<CloudflareAIException>(() => EndpointResolver.Resolve(request, env));

            Assert.Equal(ErrorIds.UrlTemplateInvalid, ex.ErrorId);
            string all = ex.Message + ex.RecommendedAction + ex.Target + ex.InnerException?.Message;
            Assert.DoesNotContain(Token, all);
            Assert.Contains("***", ex.Message);
            Assert.DoesNotContain(Token, EndpointResolver.ShowSafely(request, env, baseUrl));
        }

        [Fact]
        public void A_secret_from_any_secret_named_variable_or_ApiKey_or_header_is_masked_in_template_errors()
        {
            const string other = "my-own-private-value-42";
            const string apiKey = "api-key-value-0123456789";
            const string header = "header-secret-0987654321";
            var env = TestEnvironment.With(("MY_SERVICE_PASSWORD", other));
            var request = new EndpointOverrides
            {
                Provider = "openai",
                BaseUrl = "https://h.example/" + other + "/" + apiKey + "/" + header + "/$",
                ApiKey = apiKey,
                Headers = new[] { new KeyValuePair<string, string>("X-Api-Token", "Bearer " + header) },
            };
            var ex = Assert.ThrowsAny<CloudflareAIException>(() => EndpointResolver.Resolve(request, env));
            string all = ex.Message + ex.RecommendedAction + ex.Target;
            Assert.DoesNotContain(other, all);
            Assert.DoesNotContain(apiKey, all);
            Assert.DoesNotContain(header, all);
        }

        [Fact]
        public void A_token_pasted_into_a_working_base_URL_is_a_secret_of_the_endpoint()
        {
            var env = TestEnvironment.With(("OPENAI_API_KEY", "sk-test-openai"), ("CLOUDFLARE_API_TOKEN", Token));
            var resolved = EndpointResolver.Resolve(new EndpointOverrides { Provider = "openai", Model = "gpt-test", BaseUrl = "https://h.example/" + Token + "/v1" }, env);
            Assert.Contains(Token, resolved.Endpoint.Secrets);
            Assert.DoesNotContain(Token, resolved.DisplayUrl, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Token, resolved.DisplayTemplate);
        }
    }
}
