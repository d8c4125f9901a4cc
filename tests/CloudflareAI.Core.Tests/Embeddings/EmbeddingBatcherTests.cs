using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace CloudflareAI.Tests.Embeddings
{
    public class EmbeddingBatcherTests
    {
        [Fact]
        public void TextsAreGatheredIntoFullRequestsAndTheRestIsFlushed()
        {
            var batcher = new EmbeddingBatcher("@cf/baai/bge-m3", batchSize: 100, dimensions: null);
            var requests = new List<EmbeddingRequest>();

            foreach (string text in Enumerable.Range(0, 250).Select(i => "t" + i))
            {
                EmbeddingRequest? full = batcher.Add(text);
                if (full != null) requests.Add(full);
            }
            Assert.Equal(2, requests.Count);
            requests.Add(batcher.Flush()!);

            Assert.Equal(new[] { 100, 100, 50 }, requests.Select(r => r.Texts.Count));
            Assert.Equal(new[] { 0, 100, 200 }, requests.Select(r => r.FirstIndex));
            // Every text once, in input order, each with its own input number.
            Assert.Equal(Enumerable.Range(0, 250).Select(i => "t" + i), requests.SelectMany(r => r.Texts));
            Assert.Equal(Enumerable.Range(0, 250), requests.SelectMany(r => r.Indexes));
            Assert.Null(batcher.Flush());
        }

        [Fact]
        public void AnEmptyTextIsRefusedAloneAndKeepsItsNumber()
        {
            var batcher = new EmbeddingBatcher("m", batchSize: 3, dimensions: 256);

            Assert.Null(batcher.Add("a"));
            var e = Assert.Throws<CloudflareAIException>(() => batcher.Add(string.Empty));
            Assert.Null(batcher.Add("c"));
            EmbeddingRequest full = batcher.Add("d")!;

            Assert.Equal(ErrorIds.EmbeddingInputInvalid, e.ErrorId);
            Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
            Assert.Contains("Input 1", e.Message);
            Assert.Equal(1, e.Target);
            Assert.Equal(new[] { "a", "c", "d" }, full.Texts);
            Assert.Equal(new[] { 0, 2, 3 }, full.Indexes);
            Assert.Equal(256, full.Dimensions);
            Assert.Equal(4, batcher.Count);
        }

        [Fact]
        public void ANullTextIsRefusedLikeAnEmptyOne()
        {
            var batcher = new EmbeddingBatcher("m", batchSize: 10, dimensions: null);

            var e = Assert.Throws<CloudflareAIException>(() => batcher.Add(null));

            Assert.Equal(ErrorIds.EmbeddingInputInvalid, e.ErrorId);
            Assert.Null(batcher.Flush());
        }

        [Fact]
        public void TheBodyIsOpenAisShapeWithAnArrayInputAlsoForOneText()
        {
            var one = new EmbeddingRequest("@cf/baai/bge-m3", new[] { "héllo \"you\"" }, 0, null);
            var sized = new EmbeddingRequest("text-embedding-3-small", new[] { "a", "b" }, 0, 512);

            Assert.Equal("{\"model\":\"@cf/baai/bge-m3\",\"input\":[\"héllo \\\"you\\\"\"]}", System.Text.Encoding.UTF8.GetString(EmbeddingRequestBody.Write(one)));
            Assert.Equal("{\"model\":\"text-embedding-3-small\",\"input\":[\"a\",\"b\"],\"dimensions\":512}", System.Text.Encoding.UTF8.GetString(EmbeddingRequestBody.Write(sized)));
        }
    }
}
