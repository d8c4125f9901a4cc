using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using CloudflareAI.Tests.Chat;
using TestEndpoints = CloudflareAI.Tests.Chat.Endpoints;
using Xunit;

namespace CloudflareAI.Tests.Embeddings
{
    public class EmbeddingClientTests
    {
        private readonly FakeHandler handler = new FakeHandler();
        private readonly FakeTimer timer = new FakeTimer();
        private readonly RecordingObserver observer = new RecordingObserver();

        private Task<IReadOnlyList<Embedding>> Send(EmbeddingRequest request, ChatCallOptions? options = null) =>
            new EmbeddingClient(new ChatClient(handler, timer, () => 0.5))
                .SendAsync(TestEndpoints.Cloudflare(), request, options ?? new ChatCallOptions(), observer, "@cf/baai/bge-m3", CancellationToken.None);

        private static EmbeddingRequest Request(params string[] texts) =>
            new EmbeddingRequest("@cf/baai/bge-m3", texts, 10, null) { Indexes = texts.Select((_, i) => 10 + 2 * i).ToList() };

        private static HttpResponseMessage Answer(int count, string model = "@cf/baai/bge-m3") =>
            CannedResponses.Json(HttpStatusCode.OK, "{\"object\":\"list\",\"data\":[" +
                string.Join(",", Enumerable.Range(0, count).Reverse().Select(i => "{\"object\":\"embedding\",\"index\":" + i + ",\"embedding\":[" + i + ".5,1]}")) +
                "],\"model\":" + CannedResponses.Quote(model) + ",\"usage\":{\"prompt_tokens\":4,\"total_tokens\":4}}");

        [Fact]
        public async Task PostsToEmbeddingsAndReturnsOneEmbeddingPerTextInOrder()
        {
            handler.Then(() => Answer(3));

            IReadOnlyList<Embedding> embeddings = await Send(Request("a", "b", "c"));

            RecordedRequest sent = Assert.Single(handler.Requests);
            Assert.Equal(HttpMethod.Post, sent.Method);
            Assert.Equal("https://api.cloudflare.com/client/v4/accounts/0123456789abcdef0123456789abcdef/ai/v1/embeddings", sent.Uri!.AbsoluteUri);
            Assert.Equal("Bearer " + TestEndpoints.Token, sent.Headers["Authorization"]);
            Assert.Equal("{\"model\":\"@cf/baai/bge-m3\",\"input\":[\"a\",\"b\",\"c\"]}", sent.Body);
            Assert.Equal(new[] { "a", "b", "c" }, embeddings.Select(e => e.Text));
            Assert.Equal(new[] { 10, 12, 14 }, embeddings.Select(e => e.Index));
            Assert.Equal(new[] { 0.5f, 1.5f, 2.5f }, embeddings.Select(e => e.Vector[0]));
            Assert.All(embeddings, e => Assert.Equal("cloudflare-workers-ai", e.Provider));
            Assert.All(embeddings, e => Assert.Equal(2, e.Dimensions));
            // The request's usage is on its first embedding only, so a sum over the output counts it once.
            Assert.Equal(4, embeddings[0].Usage!.TotalTokens);
            Assert.Null(embeddings[1].Usage);
            Assert.Null(embeddings[2].Usage);
        }

        [Fact]
        public async Task RetriesLikeAChatCallThroughTheSameLoop()
        {
            handler.Then(() => CannedResponses.Json(HttpStatusCode.ServiceUnavailable, "{\"errors\":[{\"code\":7009,\"message\":\"Upstream service unavailable\"}],\"success\":false}"))
                .Then(() => Answer(1));

            IReadOnlyList<Embedding> embeddings = await Send(Request("only"));

            Assert.Equal(2, handler.Requests.Count);
            Assert.Single(timer.Delays);
            Assert.Single(embeddings);
            Assert.Contains(observer.Verbose, line => line.StartsWith("Attempt 1 failed (HTTP 503", StringComparison.Ordinal));
        }

        [Fact]
        public async Task ErrorsAreClassifiedAndRedactedLikeChatErrors()
        {
            handler.Then(() => CannedResponses.Json(HttpStatusCode.Unauthorized,
                "{\"errors\":[{\"code\":10000,\"message\":\"Authentication error for " + TestEndpoints.Token + "\"}],\"success\":false}"));

            var e = await Assert.ThrowsAsync<ChatException>(() => Send(Request("x")));

            Assert.Equal(ErrorIds.ChatAuthenticationFailed, e.ErrorId);
            Assert.DoesNotContain(TestEndpoints.Token, e.Message);
            Assert.DoesNotContain(observer.Everything, line => line.Contains(TestEndpoints.Token));
        }

        [Fact]
        public async Task AnAnswerWithTooFewVectorsIsChatResponseInvalid()
        {
            handler.Then(() => Answer(1));

            var e = await Assert.ThrowsAsync<ChatException>(() => Send(Request("a", "b")));

            Assert.Equal(ErrorIds.ChatResponseInvalid, e.ErrorId);
            Assert.Contains("1 embedding(s) for 2 input(s)", e.Message);
            Assert.Single(handler.Requests);
        }

        [Fact]
        public async Task AModelNameTheServerEchoesIsRedacted()
        {
            handler.Then(() => Answer(1, model: "echo " + TestEndpoints.Token));

            IReadOnlyList<Embedding> embeddings = await Send(Request("a"));

            Assert.DoesNotContain(TestEndpoints.Token, embeddings[0].Model);
        }
    }
}
