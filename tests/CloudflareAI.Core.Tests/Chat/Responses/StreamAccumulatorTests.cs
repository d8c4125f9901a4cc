using System.Collections.Generic;
using Xunit;

namespace CloudflareAI.Tests.Chat.Responses
{
    public class StreamAccumulatorTests
    {
        [Fact]
        public void TextIsPassedOnAsItArrivesOncePerChunkWithText()
        {
            var seen = new List<string>();
            var accumulator = new StreamAccumulator(seen.Add);

            accumulator.Add("{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}");
            Assert.Empty(seen);
            accumulator.Add(CannedResponses.Chunk("Hel"));
            Assert.Equal(new[] { "Hel" }, seen);
            accumulator.Add(CannedResponses.Chunk(""));
            accumulator.Add(CannedResponses.Chunk("lo"));
            accumulator.Add(CannedResponses.Chunk(null, "stop"));

            Assert.Equal(new[] { "Hel", "lo" }, seen);
            ParsedCompletion reply = accumulator.ToReply();
            Assert.Equal("Hello", reply.Content);
            Assert.Equal("stop", reply.FinishReason);
        }

        [Fact]
        public void WorkersAiQuirksAreHandledAndTheLastUsageWins()
        {
            var accumulator = new StreamAccumulator(_ => { });

            accumulator.Add("{\"id\":\"id-1\",\"model\":\"@cf/google/gemma-4-26b-a4b-it-external\",\"p\":\"abcdefgh\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":1,\"total_tokens\":11}}");
            accumulator.Add("{\"id\":\"id-2\",\"model\":\"other\",\"p\":\"xyz\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" there\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":2,\"total_tokens\":12}}");
            accumulator.Add("{\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":2,\"total_tokens\":12,\"neurons\":1.45}}");
            accumulator.Add("{\"response\":\"\",\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":3,\"total_tokens\":13}}");

            ParsedCompletion reply = accumulator.ToReply();
            Assert.Equal("Hi there", reply.Content);
            Assert.Equal("id-1", reply.Id);
            Assert.Equal("@cf/google/gemma-4-26b-a4b-it-external", reply.Model);
            Assert.Equal("stop", reply.FinishReason);
            Assert.Equal(10, reply.Usage!.PromptTokens);
            Assert.Equal(3, reply.Usage.CompletionTokens);
            Assert.Equal(13, reply.Usage.TotalTokens);
        }

        [Fact]
        public void NativeResponseTextIsAppended()
        {
            var seen = new List<string>();
            var accumulator = new StreamAccumulator(seen.Add);

            accumulator.Add("{\"response\":\"Hel\",\"p\":\"pad\"}");
            accumulator.Add("{\"response\":\"lo\"}");
            accumulator.Add("{\"response\":\"\",\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3}}");

            Assert.Equal("Hello", accumulator.ToReply().Content);
            Assert.Equal(new[] { "Hel", "lo" }, seen);
            Assert.Equal(3, accumulator.ToReply().Usage!.TotalTokens);
        }

        [Theory]
        [InlineData("reasoning_content")]
        [InlineData("reasoning")]
        public void ReasoningDeltasAreCollectedInEitherSpelling(string field)
        {
            var seen = new List<string>();
            var accumulator = new StreamAccumulator(seen.Add);

            accumulator.Add("{\"choices\":[{\"index\":0,\"delta\":{\"" + field + "\":\"Let me \"}}]}");
            accumulator.Add("{\"choices\":[{\"index\":0,\"delta\":{\"" + field + "\":\"think.\"}}]}");
            accumulator.Add(CannedResponses.Chunk("Answer", "stop"));

            ParsedCompletion reply = accumulator.ToReply();
            Assert.Equal("Let me think.", reply.Reasoning);
            Assert.Equal("Answer", reply.Content);
            Assert.Equal(new[] { "Answer" }, seen);
        }

        [Fact]
        public void NoReasoningLeavesItNull()
        {
            var accumulator = new StreamAccumulator(_ => { });
            accumulator.Add(CannedResponses.Chunk("x", "stop"));

            Assert.Null(accumulator.ToReply().Reasoning);
        }

        [Fact]
        public void AnErrorObjectMidStreamIsReported()
        {
            var accumulator = new StreamAccumulator(_ => { });

            var ex = Assert.Throws<ErrorInResponseException>(() => accumulator.Add("{\"error\":{\"message\":\"AiError: AiError: Max context reached (8700d6e7)\",\"code\":3030}}"));

            Assert.Equal("3030", ex.Body.FirstCode);
            Assert.Equal("8700d6e7", ex.Body.RequestId);
        }

        [Theory]
        [InlineData("not json")]
        [InlineData("[1,2]")]
        [InlineData("{\"choices\":[")]
        public void AChunkThatIsNotAJsonObjectIsInvalid(string data)
        {
            var accumulator = new StreamAccumulator(_ => { });

            Assert.Throws<ResponseFormatException>(() => accumulator.Add(data));
        }
    }
}
