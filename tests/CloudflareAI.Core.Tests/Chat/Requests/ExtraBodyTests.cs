using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using Xunit;

namespace CloudflareAI.Tests.Chat.Requests
{
    public class ExtraBodyTests
    {
        private static ExtraBody Extra(params (string Key, object? Value)[] entries) =>
            ExtraBody.From(entries.Select(e => new KeyValuePair<string, object?>(e.Key, e.Value)));

        private static byte[] Body(ChatRequest request) => ChatRequestBody.Write(request, request.Messages);

        [Fact]
        public void NewFieldsGoAtTheTopLevelAndNestedDictionariesBecomeObjects()
        {
            ExtraBody extra = Extra(("options", new Hashtable { ["rejectIfBusy"] = true }), ("chat_template_kwargs", new Dictionary<string, object?> { ["enable_thinking"] = false }));

            byte[] merged = extra.MergeInto(Body(Endpoints.Request()), out IReadOnlyList<string> replaced);

            Assert.Empty(replaced);
            Assert.Equal(
                "{\"model\":\"@cf/meta/llama-3.3-70b-instruct-fp8-fast\",\"messages\":[{\"role\":\"user\",\"content\":\"PING\"}],\"options\":{\"rejectIfBusy\":true},\"chat_template_kwargs\":{\"enable_thinking\":false}}",
                Encoding.UTF8.GetString(merged));
        }

        [Fact]
        public void AFieldTheModuleSetIsReplacedNotSentTwiceAndNamed()
        {
            ChatRequest request = Endpoints.Request(stream: true);
            request.Temperature = 0.5;
            request.MaxTokens = 100;
            ExtraBody extra = Extra(("max_tokens", 4096), ("temperature", 0.1), ("stream_options", new Hashtable { ["include_usage"] = false }));

            byte[] merged = extra.MergeInto(Body(request), out IReadOnlyList<string> replaced);

            Assert.Equal(new[] { "temperature", "max_tokens", "stream_options" }, replaced);
            using JsonDocument document = JsonDocument.Parse(merged);
            string[] names = document.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
            Assert.Equal(names.Distinct().Count(), names.Length);
            Assert.Equal(4096, document.RootElement.GetProperty("max_tokens").GetInt32());
            Assert.Equal(0.1, document.RootElement.GetProperty("temperature").GetDouble());
            Assert.False(document.RootElement.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
            Assert.True(document.RootElement.GetProperty("stream").GetBoolean());
        }

        [Theory]
        [InlineData("stream")]
        [InlineData("model")]
        [InlineData("messages")]
        [InlineData("Model")]
        [InlineData(" messages ")]
        public void TheModulesOwnFieldsAreAParameterError(string key)
        {
            CloudflareAIException e = Assert.Throws<CloudflareAIException>(() => Extra((key, "x")));

            Assert.Equal(ErrorIds.ParameterInvalid, e.ErrorId);
            Assert.Contains(key, e.Message);
        }

        [Fact]
        public void AValueJsonCannotHoldIsAParameterErrorNamingTheField()
        {
            CloudflareAIException e = Assert.Throws<CloudflareAIException>(() => Extra(("top_k", double.PositiveInfinity)));

            Assert.Equal(ErrorIds.ParameterInvalid, e.ErrorId);
            Assert.Contains("'top_k'", e.Message);
        }

        [Fact]
        public void AnEmptyKeyIsAParameterError()
        {
            Assert.Equal(ErrorIds.ParameterInvalid, Assert.Throws<CloudflareAIException>(() => Extra(("", 1))).ErrorId);
        }
    }
}
