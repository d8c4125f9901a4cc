using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using Xunit;

namespace CloudflareAI.Tests.Chat.Requests
{
    public class ChatRequestBodyTests
    {
        private static JsonElement Write(ChatRequest request) =>
            JsonDocument.Parse(ChatRequestBody.Write(request, request.Messages)).RootElement;

        private static string[] PropertyNames(JsonElement root) => root.EnumerateObject().Select(p => p.Name).ToArray();

        [Fact]
        public void OnlyModelAndMessagesWhenNothingElseIsSet()
        {
            JsonElement root = Write(Endpoints.Request());

            Assert.Equal(new[] { "model", "messages" }, PropertyNames(root));
            Assert.Equal("@cf/meta/llama-3.3-70b-instruct-fp8-fast", root.GetProperty("model").GetString());
            Assert.Equal("user", root.GetProperty("messages")[0].GetProperty("role").GetString());
            Assert.Equal("PING", root.GetProperty("messages")[0].GetProperty("content").GetString());
        }

        [Fact]
        public void EveryOptionTheUserSetIsWritten()
        {
            ChatRequest request = Endpoints.Request(stream: true);
            request.Temperature = 0.7;
            request.TopP = 0.9;
            request.MaxTokens = 2048;
            request.Stop = new[] { "END", "\n\n" };
            request.Seed = 42;

            JsonElement root = Write(request);

            Assert.Equal(new[] { "model", "messages", "temperature", "top_p", "max_tokens", "stop", "seed", "stream", "stream_options" }, PropertyNames(root));
            Assert.Equal(0.7, root.GetProperty("temperature").GetDouble());
            Assert.Equal(0.9, root.GetProperty("top_p").GetDouble());
            Assert.Equal(2048, root.GetProperty("max_tokens").GetInt32());
            Assert.Equal(new[] { "END", "\n\n" }, root.GetProperty("stop").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(42, root.GetProperty("seed").GetInt32());
            Assert.True(root.GetProperty("stream").GetBoolean());
            Assert.True(root.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        }

        [Fact]
        public void OnlyTheOptionsSetAppear()
        {
            ChatRequest request = Endpoints.Request();
            request.MaxTokens = 100;

            Assert.Equal(new[] { "model", "messages", "max_tokens" }, PropertyNames(Write(request)));
        }

        [Fact]
        public void NumbersAreWrittenInvariantWhateverTheCulture()
        {
            CultureInfo saved = CultureInfo.CurrentCulture;
            try
            {
                CultureInfo.CurrentCulture = new CultureInfo("de-DE");
                ChatRequest request = Endpoints.Request();
                request.Temperature = 0.5;
                request.Messages = new[] { new ChatMessage("user", new object?[] { new Dictionary<string, object?> { ["weight"] = 1.25m, ["ratio"] = 2.5f } }) };

                string json = Encoding.UTF8.GetString(ChatRequestBody.Write(request, request.Messages));

                Assert.Contains("\"temperature\":0.5", json);
                Assert.Contains("\"weight\":1.25", json);
                Assert.Contains("\"ratio\":2.5", json);
            }
            finally
            {
                CultureInfo.CurrentCulture = saved;
            }
        }

        [Fact]
        public void NonAsciiTextIsWrittenUnescaped()
        {
            ChatRequest request = Endpoints.Request(prompt: CannedResponses.Greeting);

            string json = Encoding.UTF8.GetString(ChatRequestBody.Write(request, request.Messages));

            // The relaxed encoder still escapes characters outside the BMP (the emoji) as surrogate pairs: valid JSON.
            Assert.Contains("Hello from Cloudflare — ¡hola! ", json);
            Assert.Contains("你好", json);
            Assert.Equal(CannedResponses.Greeting, JsonDocument.Parse(json).RootElement.GetProperty("messages")[0].GetProperty("content").GetString());
        }

        [Fact]
        public void PartListsOfEveryValueKindAreWritten()
        {
            var hashtable = new Hashtable { ["type"] = "text", ["text"] = "from a hashtable" };
            var parts = new object?[]
            {
                new Dictionary<string, object?> { ["type"] = "text", ["text"] = "hi" },
                hashtable,
                "bare",
                true,
                null,
                3,
                long.MaxValue,
                new List<object?> { 1.5, "x" },
            };
            ChatRequest request = Endpoints.Request();
            request.Messages = new[] { new ChatMessage("user", parts) };

            JsonElement content = Write(request).GetProperty("messages")[0].GetProperty("content");

            Assert.Equal(JsonValueKind.Array, content.ValueKind);
            Assert.Equal("hi", content[0].GetProperty("text").GetString());
            Assert.Equal("from a hashtable", content[1].GetProperty("text").GetString());
            Assert.Equal("bare", content[2].GetString());
            Assert.True(content[3].GetBoolean());
            Assert.Equal(JsonValueKind.Null, content[4].ValueKind);
            Assert.Equal(3, content[5].GetInt32());
            Assert.Equal(long.MaxValue, content[6].GetInt64());
            Assert.Equal(1.5, content[7][0].GetDouble());
            Assert.Equal("x", content[7][1].GetString());
        }

        [Fact]
        public void NullContentIsWrittenAsAnEmptyString()
        {
            ChatRequest request = Endpoints.Request();
            request.Messages = new[] { new ChatMessage("assistant", null) };

            Assert.Equal("", Write(request).GetProperty("messages")[0].GetProperty("content").GetString());
        }

        [Fact]
        public void NotANumberIsRefused()
        {
            ChatRequest request = Endpoints.Request();
            request.Messages = new[] { new ChatMessage("user", new object?[] { double.NaN }) };

            Assert.Throws<NotSupportedException>(() => ChatRequestBody.Write(request, request.Messages));
        }

        [Fact]
        public void AListThatContainsItselfIsRefused()
        {
            var list = new List<object?>();
            list.Add(list);
            ChatRequest request = Endpoints.Request();
            request.Messages = new[] { new ChatMessage("user", list) };

            Assert.Throws<NotSupportedException>(() => ChatRequestBody.Write(request, request.Messages));
        }
    }
}
