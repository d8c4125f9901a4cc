using System.Text;
using Xunit;

namespace CloudflareAI.Tests.Chat.Responses
{
    /// <summary>
    /// One reader for whole answers and streamed chunks: the same choice, content, reasoning and usage rules give the same
    /// reply whether a server sends the choice as choices[0].message in one body or as choices[0].delta in one chunk.
    /// </summary>
    public class CompletionReaderTests
    {
        [Theory]
        // The first choice: index 0 wins over an earlier other index, else the first choice.
        [InlineData("[{\"index\":1,\"M\":{\"content\":\"one\"}},{\"index\":0,\"M\":{\"content\":\"zero\"}}]", "zero", null)]
        [InlineData("[{\"index\":2,\"M\":{\"content\":\"two\"}},{\"index\":1,\"M\":{\"content\":\"one\"}}]", "two", null)]
        [InlineData("[7,{\"M\":{\"content\":\"no index\"}}]", "no index", null)]
        // Content: a string, text parts joined with newlines, an object's JSON; a value of the wrong kind is absent.
        [InlineData("[{\"M\":{\"content\":[{\"type\":\"text\",\"text\":\"a\"},\"b\",{\"type\":\"image\"}]}}]", "a\nb", null)]
        [InlineData("[{\"M\":{\"content\":{\"answer\":42}}}]", "{\"answer\":42}", null)]
        [InlineData("[{\"M\":{\"content\":17}}]", "", null)]
        // Reasoning: reasoning_content, else reasoning; an empty one counts as absent.
        [InlineData("[{\"M\":{\"content\":\"x\",\"reasoning_content\":\"\",\"reasoning\":\"because\"}}]", "x", "because")]
        [InlineData("[{\"M\":{\"content\":\"x\",\"reasoning_content\":\"first\",\"reasoning\":\"second\"}}]", "x", "first")]
        // The last of duplicate properties wins.
        [InlineData("[{\"M\":{\"content\":\"old\",\"content\":\"new\"}}]", "new", null)]
        public void A_choice_reads_the_same_whole_and_streamed(string choices, string content, string? reasoning)
        {
            string usage = "\"usage\":{\"input_tokens\":3,\"output_tokens\":4.0}";
            ParsedCompletion whole = CompletionParser.Parse(Encoding.UTF8.GetBytes("{\"choices\":" + choices.Replace("\"M\"", "\"message\"") + "," + usage + "}"));
            var accumulator = new StreamAccumulator(_ => { });
            accumulator.Add("{\"choices\":" + choices.Replace("\"M\"", "\"delta\"") + "," + usage + "}");
            accumulator.Finish();
            ParsedCompletion streamed = accumulator.ToReply();

            Assert.Equal(content, whole.Content);
            Assert.Equal(content, streamed.Content);
            Assert.Equal(reasoning, whole.Reasoning);
            Assert.Equal(reasoning, streamed.Reasoning);
            foreach (ChatUsage? read in new[] { whole.Usage, streamed.Usage })
            {
                Assert.Equal(3, read!.PromptTokens);
                Assert.Equal(4, read.CompletionTokens);
                Assert.Equal(7, read.TotalTokens);
            }
        }

        [Fact]
        public void An_error_object_is_an_error_whole_and_streamed()
        {
            const string error = "{\"success\":false,\"errors\":[{\"code\":5007,\"message\":\"No such model\"}]}";
            var whole = Assert.Throws<ErrorInResponseException>(() => CompletionParser.Parse(Encoding.UTF8.GetBytes(error)));
            var streamed = Assert.Throws<ErrorInResponseException>(() => new StreamAccumulator(_ => { }).Add(error));
            Assert.Equal(whole.Message, streamed.Message);
        }

        [Theory]
        [InlineData("[1,2")]
        [InlineData("{\"choices\":[]} trailing")]
        [InlineData("{\"choices\":")]
        public void Malformed_JSON_is_not_JSON_whole_and_streamed(string text)
        {
            Assert.Contains("not JSON", Assert.Throws<ResponseFormatException>(() => CompletionParser.Parse(Encoding.UTF8.GetBytes(text))).Message);
            Assert.Contains("not JSON", Assert.Throws<ResponseFormatException>(() => new StreamAccumulator(_ => { }).Add(text)).Message);
        }
    }
}
