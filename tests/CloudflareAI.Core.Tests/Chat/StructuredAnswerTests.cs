using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace CloudflareAI.Tests.Chat
{
    /// <summary>The chat call with a JSON answer, -ExtraBody and streamed reasoning, over a fake handler.</summary>
    public class StructuredAnswerTests
    {
        private readonly FakeHandler handler = new FakeHandler();
        private readonly FakeTimer timer = new FakeTimer();

        private Task<ChatResponse> Send(ChatRequest request, IChatObserver observer, ChatCallOptions? options = null) =>
            new ChatClient(handler, timer, () => 0.5).SendAsync(Endpoints.Cloudflare(), request, options ?? new ChatCallOptions(), observer, CancellationToken.None);

        private static ChatRequest JsonRequest(bool stream = false)
        {
            ChatRequest request = Endpoints.Request(stream);
            request.ResponseFormat = ResponseFormat.JsonObject;
            return request;
        }

        private static string StreamOf(IEnumerable<string> events) =>
            string.Concat(events.Select(CannedResponses.Event)) + "data: [DONE]\n\n";

        private static string ReasoningChunk(string text) =>
            "{\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":" + JsonSerializer.Serialize(text) + "},\"finish_reason\":null}]}";

        [Fact]
        public async Task AJsonAnswerBecomesDataThroughTheCallersFactoryAndTheContentStaysAsSent()
        {
            handler.Then(() => CannedResponses.Completion("```json\n{\"colours\":[\"red\",\"green\",\"blue\"]}\n```"));
            var options = new ChatCallOptions { DataObjectFactory = properties => properties.ToDictionary(p => p.Key.ToUpperInvariant(), p => p.Value) };

            ChatResponse response = await Send(JsonRequest(), new RecordingObserver(), options);

            var data = Assert.IsType<Dictionary<string, object?>>(response.Data);
            Assert.Equal(new object?[] { "red", "green", "blue" }, (object?[])data["COLOURS"]!);
            Assert.StartsWith("```json", response.Content);
            Assert.Contains("\"response_format\":{\"type\":\"json_object\"}", handler.Requests[0].Body);
        }

        [Fact]
        public async Task WithoutAFormatThereIsNoData()
        {
            handler.Then(() => CannedResponses.Completion("{\"a\":1}"));

            ChatResponse response = await Send(Endpoints.Request(), new RecordingObserver());

            Assert.Null(response.Data);
        }

        [Fact]
        public async Task AnAnswerThatIsNotJsonIsResponseInvalidWithTheMaskedAnswerAndNoRetry()
        {
            string answer = "Sure! Red, green and blue. Your key is " + Endpoints.Token + ". " + new string('z', 300);
            handler.Then(() => CannedResponses.Completion(answer));

            ChatException e = await Assert.ThrowsAsync<ChatException>(() => Send(JsonRequest(), new RecordingObserver()));

            Assert.Equal(ErrorIds.ChatResponseInvalid, e.ErrorId);
            Assert.Single(handler.Requests);
            Assert.DoesNotContain(Endpoints.Token, e.Message);
            Assert.Contains("Sure! Red, green and blue. Your key is ***.", e.Message);
            Assert.DoesNotContain(new string('z', 250), e.Message);
            Assert.Equal(answer.Replace(Endpoints.Token, "***"), e.AnswerContent);
            Assert.Contains("TargetObject", e.RecommendedAction);
        }

        [Fact]
        public async Task ExtraBodyIsMergedLastAndVerboseNamesWhatItReplaced()
        {
            handler.Then(() => CannedResponses.Completion("ok"));
            ChatRequest request = Endpoints.Request();
            request.Temperature = 0.5;
            request.ExtraBody = ExtraBody.From(new[]
            {
                new KeyValuePair<string, object?>("temperature", 0.1),
                new KeyValuePair<string, object?>("options", new Dictionary<string, object?> { ["rejectIfBusy"] = true }),
            });
            var observer = new RecordingObserver();

            await Send(request, observer);

            using JsonDocument sent = JsonDocument.Parse(handler.Requests[0].Body);
            Assert.Equal(0.1, sent.RootElement.GetProperty("temperature").GetDouble());
            Assert.True(sent.RootElement.GetProperty("options").GetProperty("rejectIfBusy").GetBoolean());
            Assert.Contains(observer.Verbose, line => line.Contains("-ExtraBody replaced") && line.Contains("temperature") && !line.Contains("options"));
            Assert.Contains(observer.Debug, line => line.StartsWith("Request body: ") && line.Contains("rejectIfBusy"));
        }

        [Fact]
        public async Task StreamedReasoningReachesTheObserverApartFromTheTextAndMasked()
        {
            string half = Endpoints.Token.Substring(0, 10);
            string rest = Endpoints.Token.Substring(10);
            handler.Then(() => CannedResponses.EventStream(new MemoryStream(Encoding.UTF8.GetBytes(StreamOf(new[]
            {
                ReasoningChunk("Thinking about "), ReasoningChunk(half), ReasoningChunk(rest + " \u001b[2J done."),
                CannedResponses.Chunk("The answer."), CannedResponses.Chunk(null, "stop"),
            })))));
            var observer = new ReasoningRecorder(shows: true);

            ChatResponse response = await Send(Endpoints.Request(stream: true), observer);

            Assert.Equal("The answer.", string.Concat(observer.Texts));
            string shown = string.Concat(observer.Reasoning);
            Assert.Equal("Thinking about *** ␛[2J done.", shown);
            Assert.Equal("Thinking about *** \u001b[2J done.", response.Reasoning);
            Assert.Equal("The answer.", response.Content);
        }

        [Fact]
        public async Task HiddenReasoningIsNotPassedOnButStaysInTheResponse()
        {
            handler.Then(() => CannedResponses.EventStream(new MemoryStream(Encoding.UTF8.GetBytes(StreamOf(new[]
            {
                ReasoningChunk("Hmm."), CannedResponses.Chunk("Yes."), CannedResponses.Chunk(null, "stop"),
            })))));
            var observer = new ReasoningRecorder(shows: false);

            ChatResponse response = await Send(Endpoints.Request(stream: true), observer);

            Assert.Empty(observer.Reasoning);
            Assert.Equal("Hmm.", response.Reasoning);
        }

        [Fact]
        public async Task ReasoningOfAnAnswerNotStreamedIsNotShown()
        {
            handler.Then(() => CannedResponses.Json(System.Net.HttpStatusCode.OK,
                "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Yes.\",\"reasoning_content\":\"Hmm.\"},\"finish_reason\":\"stop\"}]}"));
            var observer = new ReasoningRecorder(shows: true);

            ChatResponse response = await Send(Endpoints.Request(), observer);

            Assert.Empty(observer.Reasoning);
            Assert.Equal("Hmm.", response.Reasoning);
        }

        private sealed class ReasoningRecorder : IChatObserver, IReasoningObserver
        {
            public ReasoningRecorder(bool shows) => ShowsReasoning = shows;

            public bool ShowsReasoning { get; }

            public ConcurrentQueue<string> Texts { get; } = new ConcurrentQueue<string>();

            public ConcurrentQueue<string> Reasoning { get; } = new ConcurrentQueue<string>();

            public void OnText(string text) => Texts.Enqueue(text);

            public void OnReasoning(string text) => Reasoning.Enqueue(text);

            public void OnVerbose(string message)
            {
            }

            public void OnDebug(string message)
            {
            }

            public void OnWarning(string message)
            {
            }
        }
    }
}
