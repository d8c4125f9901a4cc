using System;
using System.Text;
using Xunit;

namespace CloudflareAI.Tests.Embeddings
{
    public class EmbeddingResponseParserTests
    {
        private static EmbeddingReply Parse(string json, int expected) => EmbeddingResponseParser.Parse(Encoding.UTF8.GetBytes(json), expected);

        [Fact]
        public void VectorsComeBackInInputOrderWhateverOrderTheServerListsThem()
        {
            EmbeddingReply reply = Parse(
                "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":2,\"embedding\":[0.3]},{\"index\":0,\"embedding\":[0.1,-1e-3]},{\"index\":1,\"embedding\":[0.2]}]," +
                "\"model\":\"@cf/baai/bge-m3\",\"usage\":{\"prompt_tokens\":9,\"total_tokens\":9}}", 3);

            Assert.Equal(new[] { 0.1f, -0.001f }, reply.Vectors[0]);
            Assert.Equal(new[] { 0.2f }, reply.Vectors[1]);
            Assert.Equal(new[] { 0.3f }, reply.Vectors[2]);
            Assert.Equal("@cf/baai/bge-m3", reply.Model);
            Assert.Equal(9, reply.Usage!.PromptTokens);
            Assert.Equal(9, reply.Usage.TotalTokens);
        }

        [Fact]
        public void WithoutIndexesTheListOrderIsTheInputOrder()
        {
            EmbeddingReply reply = Parse("{\"data\":[{\"embedding\":[1]},{\"embedding\":[2]}]}", 2);

            Assert.Equal(1f, reply.Vectors[0][0]);
            Assert.Equal(2f, reply.Vectors[1][0]);
            Assert.Null(reply.Usage);
        }

        [Fact]
        public void TheNativeEnvelopeIsReadToo()
        {
            EmbeddingReply reply = Parse("{\"result\":{\"shape\":[2,2],\"data\":[[1,2],[3,4]]},\"success\":true,\"errors\":[],\"messages\":[]}", 2);

            Assert.Equal(new[] { 3f, 4f }, reply.Vectors[1]);
        }

        [Theory]
        [InlineData("{\"data\":[{\"index\":0,\"embedding\":[1]}]}", "1 embedding(s) for 2")]
        [InlineData("{\"data\":[{\"index\":0,\"embedding\":[1]},{\"index\":0,\"embedding\":[2]}]}", "two embeddings for input 0")]
        [InlineData("{\"data\":[{\"index\":0,\"embedding\":[1]},{\"index\":5,\"embedding\":[2]}]}", "index is 5")]
        [InlineData("{\"data\":[{\"index\":0,\"embedding\":[1]},{\"index\":1,\"embedding\":\"AAAA\"}]}", "not an array")]
        [InlineData("{\"data\":[{\"index\":0,\"embedding\":[1]},{\"index\":1,\"embedding\":[\"x\"]}]}", "is not a number")]
        [InlineData("{\"data\":[{\"index\":0,\"embedding\":[1]},{\"index\":1,\"embedding\":[]}]}", "is empty")]
        [InlineData("{\"object\":\"list\"}", "neither data[] nor result.data")]
        [InlineData("[1,2]", "not a JSON object")]
        [InlineData("not json", "not JSON")]
        public void AnAnswerThatIsNotOneVectorPerTextIsUnreadable(string json, string why)
        {
            var e = Assert.Throws<ResponseFormatException>(() => Parse(json, 2));

            Assert.Contains(why, e.Message);
        }

        [Fact]
        public void AnErrorObjectIsTheServersError()
        {
            Assert.Throws<ErrorInResponseException>(() => Parse("{\"error\":{\"message\":\"bad\",\"type\":\"invalid_request_error\"}}", 1));
        }
    }
}
