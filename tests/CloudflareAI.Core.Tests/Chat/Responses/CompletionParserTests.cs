using System.Text;
using Xunit;

namespace CloudflareAI.Tests.Chat.Responses
{
    public class CompletionParserTests
    {
        private static ParsedCompletion Parse(string json) => CompletionParser.Parse(Encoding.UTF8.GetBytes(json));

        [Fact]
        public void OpenAiCompletionWithWorkersAiExtras()
        {
            ParsedCompletion reply = Parse("{\"choices\":[{\"finish_reason\":\"stop\",\"index\":0,\"logprobs\":null,\"message\":{\"content\":\"Hi\",\"role\":\"assistant\"}}],"
                + "\"created\":1791402571,\"id\":\"8dece23a\",\"model\":\"@cf/google/gemma-4-26b-a4b-it-external\",\"object\":\"chat.completion\","
                + "\"usage\":{\"prompt_tokens\":109,\"completion_tokens\":17,\"total_tokens\":126,\"prompt_tokens_details\":{\"cached_tokens\":0},\"neurons\":1.45}}");

            Assert.Equal("Hi", reply.Content);
            Assert.Equal("stop", reply.FinishReason);
            Assert.Equal("8dece23a", reply.Id);
            Assert.Equal("@cf/google/gemma-4-26b-a4b-it-external", reply.Model);
            Assert.Equal(109, reply.Usage!.PromptTokens);
            Assert.Equal(17, reply.Usage.CompletionTokens);
            Assert.Equal(126, reply.Usage.TotalTokens);
            Assert.Null(reply.Reasoning);
        }

        [Theory]
        [InlineData("reasoning_content")]
        [InlineData("reasoning")]
        public void ReasoningInEitherSpelling(string field)
        {
            ParsedCompletion reply = Parse("{\"choices\":[{\"index\":0,\"message\":{\"content\":\"42\",\"" + field + "\":\"Because.\"},\"finish_reason\":\"stop\"}]}");

            Assert.Equal("Because.", reply.Reasoning);
        }

        [Fact]
        public void NullContentIsEmpty()
        {
            Assert.Equal("", Parse("{\"choices\":[{\"index\":0,\"message\":{\"content\":null},\"finish_reason\":\"tool_calls\"}]}").Content);
        }

        [Fact]
        public void ContentPartsAreJoined()
        {
            Assert.Equal("a\nb", Parse("{\"choices\":[{\"index\":0,\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}]}}]}").Content);
        }

        [Fact]
        public void MissingTotalIsTheSum()
        {
            Assert.Equal(5, Parse("{\"choices\":[{\"message\":{\"content\":\"x\"}}],\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":3}}").Usage!.TotalTokens);
        }

        [Fact]
        public void CloudflareEnvelopeWithResponse()
        {
            ParsedCompletion reply = Parse("{\"result\":{\"response\":\"Hello\"},\"success\":true,\"errors\":[],\"messages\":[]}");

            Assert.Equal("Hello", reply.Content);
        }

        [Fact]
        public void CloudflareEnvelopeWithJsonModeObject()
        {
            Assert.Equal("{\"answer\":42}", Parse("{\"result\":{\"response\":{\"answer\":42}},\"success\":true}").Content);
        }

        [Fact]
        public void CloudflareEnvelopeWithChoices()
        {
            ParsedCompletion reply = Parse("{\"result\":{\"choices\":[{\"index\":0,\"message\":{\"content\":\"Inside\"},\"finish_reason\":\"length\"}]},\"success\":true}");

            Assert.Equal("Inside", reply.Content);
            Assert.Equal("length", reply.FinishReason);
        }

        [Fact]
        public void ErrorBodyWithSuccessStatusIsAnError()
        {
            var ex = Assert.Throws<ErrorInResponseException>(() => Parse("{\"success\":false,\"errors\":[{\"code\":3040,\"message\":\"busy\"}]}"));

            Assert.Equal("3040", ex.Body.FirstCode);
        }

        [Theory]
        [InlineData("not json")]
        [InlineData("[]")]
        [InlineData("{\"object\":\"list\"}")]
        [InlineData("{\"choices\":[]}")]
        public void UnreadableShapes(string json)
        {
            Assert.Throws<ResponseFormatException>(() => Parse(json));
        }
    }
}
