using Xunit;

namespace CloudflareAI.Tests.Chat.Responses
{
    public class UsageDetailsTests
    {
        private const string Details =
            "\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":9,\"total_tokens\":29,\"prompt_tokens_details\":{\"cached_tokens\":16,\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":7,\"accepted_prediction_tokens\":0}}";

        [Fact]
        public void AStreamedChunkCarriesCachedAndReasoningTokens()
        {
            var accumulator = new StreamAccumulator(_ => { });

            accumulator.Add("{\"choices\":[]," + Details + "}");

            ChatUsage usage = accumulator.ToReply().Usage!;
            Assert.Equal(29, usage.TotalTokens);
            Assert.Equal(16, usage.CachedTokens);
            Assert.Equal(7, usage.ReasoningTokens);
        }

        [Fact]
        public void ACompletionCarriesCachedAndReasoningTokens()
        {
            string body = "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},\"finish_reason\":\"stop\"}]," + Details + "}";

            ChatUsage usage = CompletionParser.Parse(System.Text.Encoding.UTF8.GetBytes(body)).Usage!;

            Assert.Equal(16, usage.CachedTokens);
            Assert.Equal(7, usage.ReasoningTokens);
        }

        [Theory]
        [InlineData("\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}")]
        [InlineData("\"usage\":{\"prompt_tokens\":1,\"prompt_tokens_details\":null,\"completion_tokens_details\":{}}")]
        [InlineData("\"usage\":{\"prompt_tokens\":1,\"prompt_tokens_details\":{\"cached_tokens\":\"3\"},\"completion_tokens_details\":[1]}")]
        public void DetailsNotSentAreNullNotZero(string usageJson)
        {
            var accumulator = new StreamAccumulator(_ => { });
            accumulator.Add("{\"choices\":[]," + usageJson + "}");
            ChatUsage streamed = accumulator.ToReply().Usage!;
            ChatUsage whole = CompletionParser.Parse(System.Text.Encoding.UTF8.GetBytes(
                "{\"choices\":[{\"index\":0,\"message\":{\"content\":\"hi\"}}]," + usageJson + "}")).Usage!;

            Assert.Null(streamed.CachedTokens);
            Assert.Null(streamed.ReasoningTokens);
            Assert.Null(whole.CachedTokens);
            Assert.Null(whole.ReasoningTokens);
            Assert.Equal(1, streamed.PromptTokens);
        }
    }
}
