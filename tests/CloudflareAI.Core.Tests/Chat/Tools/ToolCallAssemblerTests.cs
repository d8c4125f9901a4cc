using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace CloudflareAI.Tests.Chat.Tools
{
    public class ToolCallAssemblerTests
    {
        private const string FirstArguments = "{\"city\":\"Z\u00fcrich \ud83d\ude00\",\"days\":3,\"quote\":\"say \\\"hi\\\"\"}";
        private const string SecondArguments = "{\"path\":\"C:\\\\temp\"}";
        private const string LongId = "call_0123456789abcdefghijklmnopqrstuv";

        private static string Chunk(string toolCalls, string? finish = null) =>
            "{\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":" + toolCalls + "},\"finish_reason\":"
            + (finish == null ? "null" : "\"" + finish + "\"") + "}]}";

        // By hand: a JSON writer would turn half of a surrogate pair into U+FFFD, and the test is that the halves meet again.
        private static string Escape(string text) =>
            "\"" + string.Concat(text.Select(c => c < 0x20 || c > 0x7e || c == '"' || c == '\\' ? "\\u" + ((int)c).ToString("x4") : c.ToString())) + "\"";

        /// <summary>Two calls, their deltas interleaved, each argument text cut into single characters (a surrogate pair too).</summary>
        private static List<string> Chunks()
        {
            var chunks = new List<string>
            {
                Chunk("[{\"index\":0,\"id\":\"" + LongId + "\",\"type\":\"function\",\"function\":{\"name\":\"Get-Weather\",\"arguments\":\"\"}}]"),
                Chunk("[{\"index\":1,\"id\":\"call_2\",\"type\":\"function\",\"function\":{\"name\":\"Get-Item\"}}]"),
            };
            int longest = Math.Max(FirstArguments.Length, SecondArguments.Length);
            for (int i = 0; i < longest; i++)
            {
                if (i < FirstArguments.Length) chunks.Add(Chunk("[{\"index\":0,\"function\":{\"arguments\":" + Escape(FirstArguments[i].ToString()) + "}}]"));
                if (i < SecondArguments.Length) chunks.Add(Chunk("[{\"index\":1,\"function\":{\"arguments\":" + Escape(SecondArguments[i].ToString()) + "}}]"));
            }
            chunks.Add("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}");
            return chunks;
        }

        private static void AssertCalls(IReadOnlyList<ToolCall>? calls)
        {
            Assert.NotNull(calls);
            Assert.Equal(2, calls!.Count);
            Assert.Equal(LongId, calls[0].Id);
            Assert.Equal("Get-Weather", calls[0].Name);
            Assert.Equal(FirstArguments, calls[0].ArgumentsJson);
            var first = Assert.IsAssignableFrom<IDictionary<string, object?>>(calls[0].Arguments);
            Assert.Equal("Z\u00fcrich \ud83d\ude00", first["City"]);
            Assert.Equal(3L, first["days"]);
            Assert.Equal("say \"hi\"", first["quote"]);
            Assert.Equal("call_2", calls[1].Id);
            Assert.Equal("Get-Item", calls[1].Name);
            Assert.Equal("C:\\temp", Assert.IsAssignableFrom<IDictionary<string, object?>>(calls[1].Arguments)["path"]);
        }

        [Fact]
        public async Task AStreamFedOneByteAtATimeAssemblesEveryCallByIndex()
        {
            string stream = string.Concat(Chunks().Select(c => "data: " + c + "\n\n")) + "data: [DONE]\n\n";
            var bytes = Encoding.UTF8.GetBytes(stream).Select(b => new[] { b });
            var reader = new SseReader(new ScriptedStream(bytes), () => { });
            var accumulator = new StreamAccumulator(_ => { });
            string? data;
            while ((data = await reader.ReadEventAsync(CancellationToken.None)) != null) accumulator.Add(data);
            accumulator.Finish();

            ParsedCompletion reply = accumulator.ToReply();
            Assert.Equal("tool_calls", reply.FinishReason);
            Assert.Equal(string.Empty, reply.Content);
            AssertCalls(reply.ToolCalls);
        }

        [Fact]
        public void TheOnePassReaderAndTheDocumentReaderAgree()
        {
            // Arguments sent as an object are declined by the one-pass reader, so this chunk takes the JsonDocument path.
            var accumulator = new StreamAccumulator(_ => { });
            accumulator.Add(Chunk("[{\"index\":0,\"id\":\"a\",\"function\":{\"name\":\"F\",\"arguments\":{\"x\":1}}}]"));
            accumulator.Add(Chunk("[{\"index\":1,\"id\":\"b\",\"function\":{\"name\":\"G\",\"arguments\":\"{\\\"y\\\":\"}}]"));
            accumulator.Add(Chunk("[{\"index\":1,\"function\":{\"arguments\":\"2}\"}}]"));

            List<ToolCall> calls = accumulator.ToReply().ToolCalls!.ToList();
            Assert.Equal(new[] { "a", "b" }, calls.Select(c => c.Id));
            Assert.Equal("{\"x\":1}", calls[0].ArgumentsJson);
            Assert.Equal("{\"y\":2}", calls[1].ArgumentsJson);
        }

        [Fact]
        public void CallsComeOutInIndexOrderAndANameCutInPiecesIsJoined()
        {
            var assembler = new ToolCallAssembler();
            assembler.Add(2, "id-2", "Third", "{}");
            assembler.Add(0, "id-0", "Get-", null);
            assembler.Add(0, null, "Date", "{");
            assembler.Add(null, null, null, "}");

            Assert.Equal(new[] { "Get-Date", "Third" }, assembler.ToList().Select(c => c.Name));
            Assert.Equal("{}", assembler.ToList()[0].ArgumentsJson);
        }

        [Fact]
        public void ANameRepeatedOnEveryDeltaIsKeptOnce()
        {
            var assembler = new ToolCallAssembler();
            assembler.Add(0, "x", "Get-Date", "{");
            assembler.Add(0, "x", "Get-Date", "}");

            ToolCall call = Assert.Single(assembler.ToList());
            Assert.Equal("Get-Date", call.Name);
            Assert.Equal("x", call.Id);
        }

        [Fact]
        public void ArgumentsThatAreNotJsonKeepTheirTextAndParseToNull()
        {
            var call = new ToolCall("id", "F", "{\"a\":");
            Assert.Null(call.Arguments);
            Assert.Equal("{\"a\":", call.ArgumentsJson);
            Assert.IsAssignableFrom<IDictionary<string, object?>>(new ToolCall("id", "F", "").Arguments);
        }

        [Fact]
        public void AWholeAnswerWithToolCallsIsRead()
        {
            string body = "{\"id\":\"x\",\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,\"reasoning\":\"think\","
                + "\"tool_calls\":[{\"id\":\"" + LongId + "\",\"type\":\"function\",\"function\":{\"name\":\"Get-Date\",\"arguments\":\"{\\\"Format\\\":\\\"o\\\"}\"}}]},"
                + "\"finish_reason\":\"tool_calls\"}]}";

            ParsedCompletion reply = CompletionParser.Parse(Encoding.UTF8.GetBytes(body));

            ToolCall call = Assert.Single(reply.ToolCalls!);
            Assert.Equal(LongId, call.Id);
            Assert.Equal("{\"Format\":\"o\"}", call.ArgumentsJson);
            Assert.Equal("think", reply.Reasoning);
            Assert.Equal(string.Empty, reply.Content);
        }
    }
}
