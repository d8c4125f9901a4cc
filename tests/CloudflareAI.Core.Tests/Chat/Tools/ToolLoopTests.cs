using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace CloudflareAI.Tests.Chat.Tools
{
    public class ToolLoopTests
    {
        private const string LongId = "call_Q2xvdWRmbGFyZUFJLXRvb2wtaWQtMDAwMDAx";

        private readonly FakeHandler handler = new FakeHandler();
        private readonly RecordingObserver observer = new RecordingObserver();
        private readonly RecordingHost host = new RecordingHost();

        private static HttpResponseMessage Calls(string reasoning, params (string Id, string Name, string Arguments)[] calls)
        {
            string list = string.Join(",", calls.Select(c => "{\"id\":\"" + c.Id + "\",\"type\":\"function\",\"function\":{\"name\":\"" + c.Name
                + "\",\"arguments\":" + JsonSerializer.Serialize(c.Arguments) + "}}"));
            return CannedResponses.Json(HttpStatusCode.OK, "{\"id\":\"x\",\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,"
                + "\"reasoning\":\"" + reasoning + "\",\"tool_calls\":[" + list + "]},\"finish_reason\":\"tool_calls\"}],"
                + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6}}");
        }

        private static ChatRequest Request(string? choice = null) => new ChatRequest
        {
            Model = "m",
            Messages = new[] { new ChatMessage("user", "What time is it?") },
            Tools = new[] { new ToolDefinition("Get-Date", "Gets the date.", ToolSchema.Build(Array.Empty<ToolParameter>()).Schema) },
            ToolChoice = choice,
        };

        private Task<ChatResponse> Run(ChatRequest request, int maxRounds = ToolLoop.DefaultMaxRounds) =>
            ToolLoop.RunAsync(new ChatClient(handler, new FakeTimer(), () => 0.5), Endpoints.OpenAi(), request, new ChatCallOptions(), observer, host, maxRounds,
                CancellationToken.None);

        private JsonElement Body(int request) => JsonDocument.Parse(handler.Requests[request].Body).RootElement;

        [Fact]
        public async Task RunsTheCallAndSendsTheResultBackWithTheSameIdAndTheReasoningApart()
        {
            handler.Then(() => Calls("I should look at the clock.", (LongId, "Get-Date", "{}")))
                .Then(() => CannedResponses.Completion("It is noon."));

            ChatResponse response = await Run(Request());

            Assert.Equal("It is noon.", response.Content);
            Assert.Empty(response.ToolCalls);
            Assert.Equal(new[] { "Get-Date" }, host.Ran.Select(c => c.Name));
            Assert.Equal(2, response.Attempts);
            Assert.Equal(new[] { "user", "assistant", "tool", "assistant" }, response.Messages.Select(m => m.Role));
            Assert.Equal(LongId, response.Messages[2].ToolCallId);

            JsonElement second = Body(1);
            JsonElement assistant = second.GetProperty("messages")[1];
            Assert.Equal("", assistant.GetProperty("content").GetString());
            Assert.Equal("I should look at the clock.", assistant.GetProperty("reasoning").GetString());
            Assert.Equal(LongId, assistant.GetProperty("tool_calls")[0].GetProperty("id").GetString());
            JsonElement tool = second.GetProperty("messages")[2];
            Assert.Equal("tool", tool.GetProperty("role").GetString());
            Assert.Equal(LongId, tool.GetProperty("tool_call_id").GetString());
            Assert.Equal("\"2026-01-01T12:00:00\"", tool.GetProperty("content").GetString());
            Assert.Equal("Get-Date", second.GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString());
        }

        [Fact]
        public async Task AnUndeclaredToolNeverRunsAndTheModelGetsAnError()
        {
            handler.Then(() => Calls("", ("call_1", "Remove-Item", "{\"Path\":\"/\"}")))
                .Then(() => CannedResponses.Completion("Sorry."));

            ChatResponse response = await Run(Request());

            Assert.Empty(host.Ran);
            string content = (string)response.Messages[2].Content!;
            Assert.StartsWith("{\"error\":\"There is no tool named 'Remove-Item'.", content);
            Assert.Contains(observer.Verbose, line => line.Contains("'Remove-Item', which is not one of the tools"));
        }

        [Fact]
        public async Task ArgumentsThatAreNotAnObjectNeverRun()
        {
            handler.Then(() => Calls("", ("call_1", "Get-Date", "[1,2]"), ("call_2", "Get-Date", "{oops")))
                .Then(() => CannedResponses.Completion("Sorry."));

            ChatResponse response = await Run(Request());

            Assert.Empty(host.Ran);
            Assert.All(response.Messages.Where(m => m.Role == "tool"), m => Assert.StartsWith("{\"error\":", (string)m.Content!));
            Assert.Equal(new[] { "call_1", "call_2" }, response.Messages.Where(m => m.Role == "tool").Select(m => m.ToolCallId));
        }

        [Fact]
        public async Task TooManyRoundsIsToolRoundLimitExceededWithTheConversationSoFar()
        {
            for (int i = 0; i < 3; i++)
            {
                string id = "call_" + i;
                handler.Then(() => Calls("", (id, "Get-Date", "{}")));
            }

            var error = await Assert.ThrowsAsync<CloudflareAIException>(() => Run(Request(), maxRounds: 2));

            Assert.Equal(ErrorIds.ToolRoundLimitExceeded, error.ErrorId);
            Assert.Equal(ErrorKind.LimitsExceeded, error.Kind);
            Assert.Contains("-MaxToolRounds", error.RecommendedAction);
            var messages = Assert.IsAssignableFrom<IReadOnlyList<ChatMessage>>(error.Target);
            Assert.Equal(new[] { "user", "assistant", "tool", "assistant", "tool", "assistant" }, messages.Select(m => m.Role));
            Assert.Equal(2, host.Ran.Count);
            Assert.Equal(3, handler.Requests.Count);
        }

        [Fact]
        public async Task AToolThatCannotRunHereEndsTheLoopWithTheCalls()
        {
            host.Runnable = false;
            handler.Then(() => Calls("", ("call_1", "Get-Date", "{}")));

            ChatResponse response = await Run(Request());

            Assert.Equal("tool_calls", response.FinishReason);
            Assert.Equal("call_1", Assert.Single(response.ToolCalls).Id);
            Assert.Single(handler.Requests);
        }

        [Fact]
        public void AResultLargerThan32KBIsCutWithAMarkerOnACharacterBoundary()
        {
            string big = new string('a', ToolResultText.MaxBytes - 10) + string.Concat(Enumerable.Repeat("\ud83d\ude00", 100));
            string cut = ToolResultText.Limit(big);

            Assert.EndsWith(ToolResultText.CutMarker, cut);
            Assert.True(System.Text.Encoding.UTF8.GetByteCount(cut) <= ToolResultText.MaxBytes);
            Assert.False(char.IsHighSurrogate(cut[cut.Length - ToolResultText.CutMarker.Length - 1]));
            Assert.Equal("small", ToolResultText.Limit("small"));
            Assert.Equal("{\"error\":\"say \\\"no\\\"\"}", ToolResultText.Error("say \"no\""));
        }

        [Theory]
        [InlineData("any", "\"required\"")]
        [InlineData("required", "\"required\"")]
        [InlineData("auto", "\"auto\"")]
        [InlineData("none", "\"none\"")]
        [InlineData("Get-Date", "{\"type\":\"function\",\"function\":{\"name\":\"Get-Date\"}}")]
        public async Task ToolChoiceIsSentAsRequiredNeverAny(string choice, string sent)
        {
            handler.Then(() => CannedResponses.Completion("ok"));

            await Run(Request(choice));

            Assert.Equal(sent, Body(0).GetProperty("tool_choice").GetRawText());
        }

        private sealed class RecordingHost : IToolHost
        {
            public List<ToolCall> Ran { get; } = new List<ToolCall>();

            public bool Runnable { get; set; } = true;

            public Task<string?> RunAsync(ToolCall call, CancellationToken cancellationToken)
            {
                if (!Runnable) return Task.FromResult<string?>(null);
                Ran.Add(call);
                return Task.FromResult<string?>("\"2026-01-01T12:00:00\"");
            }
        }
    }
}
