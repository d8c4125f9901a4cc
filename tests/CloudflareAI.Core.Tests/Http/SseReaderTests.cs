using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace CloudflareAI.Tests.Http
{
    public class SseReaderTests
    {
        private sealed class ReadResult
        {
            public List<string> Events { get; } = new List<string>();

            public bool ReachedDone { get; set; }

            public bool LastEventUnterminated { get; set; }
        }

        private static async Task<ReadResult> ReadAll(IEnumerable<byte[]> segments)
        {
            var reader = new SseReader(new ScriptedStream(segments), bufferSize: 64);
            var result = new ReadResult();
            string? data;
            while ((data = await reader.ReadEventAsync(CancellationToken.None)) != null) result.Events.Add(data);
            result.ReachedDone = reader.ReachedDone;
            result.LastEventUnterminated = reader.LastEventUnterminated;
            return result;
        }

        private static Task<ReadResult> ReadAll(string text) => ReadAll(new[] { Encoding.UTF8.GetBytes(text) });

        private static IEnumerable<byte[]> OneByteAtATime(string text) => Encoding.UTF8.GetBytes(text).Select(b => new[] { b });

        private static IEnumerable<byte[]> RandomSplits(string text, int seed)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            var random = new Random(seed);
            int i = 0;
            while (i < bytes.Length)
            {
                int n = Math.Min(bytes.Length - i, random.Next(1, 12));
                yield return bytes.Skip(i).Take(n).ToArray();
                i += n;
            }
        }

        private static string Reassemble(IEnumerable<string> events)
        {
            var accumulator = new StreamAccumulator(_ => { });
            foreach (string data in events) accumulator.Add(data);
            return accumulator.ToReply().Content;
        }

        [Theory]
        [InlineData("\n")]
        [InlineData("\r\n")]
        [InlineData("\r")]
        public async Task GreetingFedOneByteAtATimeIsReassembledExactly(string newline)
        {
            ReadResult result = await ReadAll(OneByteAtATime(CannedResponses.GreetingStream(newline)));

            Assert.True(result.ReachedDone);
            Assert.Equal(CannedResponses.Greeting, Reassemble(result.Events));
        }

        [Fact]
        public async Task GreetingInRandomSplitsIsReassembledExactly()
        {
            foreach (string newline in new[] { "\n", "\r\n" })
            {
                string stream = CannedResponses.GreetingStream(newline);
                for (int seed = 0; seed < 300; seed++)
                {
                    ReadResult result = await ReadAll(RandomSplits(stream, seed));
                    Assert.True(result.ReachedDone, $"seed {seed}");
                    Assert.Equal(CannedResponses.Greeting, Reassemble(result.Events));
                }
            }
        }

        [Fact]
        public async Task MultiByteCharacterSplitBetweenReadsSurvives()
        {
            byte[] wave = Encoding.UTF8.GetBytes("data: 👋你\n\n");
            // Cut inside the 4-byte emoji and inside the 3-byte CJK character.
            var segments = new[] { wave.Take(8).ToArray(), wave.Skip(8).Take(3).ToArray(), wave.Skip(11).ToArray() };

            ReadResult result = await ReadAll(segments);

            Assert.Equal(new[] { "👋你" }, result.Events);
        }

        [Fact]
        public async Task CarriageReturnSplitFromItsLineFeedIsOneLineEnd()
        {
            // Were the CR and LF two line ends, the blank line between them would end the event after "a".
            var segments = new[] { Encoding.UTF8.GetBytes("data: a\r"), Encoding.UTF8.GetBytes("\ndata: b\r\n\r\n") };

            ReadResult result = await ReadAll(segments);

            Assert.Equal(new[] { "a\nb" }, result.Events);
        }

        [Fact]
        public async Task CommentsAndOtherFieldsAreIgnored()
        {
            ReadResult result = await ReadAll(": keep-alive\n\nevent: message\nid: 7\nretry: 1000\ndata: x\n\n: another comment\ndata: y\n\n");

            Assert.Equal(new[] { "x", "y" }, result.Events);
        }

        [Fact]
        public async Task SeveralDataLinesAreJoinedWithLineFeeds()
        {
            ReadResult result = await ReadAll("data: {\"a\":\ndata: 1}\n\n");

            Assert.Equal(new[] { "{\"a\":\n1}" }, result.Events);
        }

        [Theory]
        [InlineData("data:x\n\n", "x")]
        [InlineData("data: x\n\n", "x")]
        [InlineData("data:  x\n\n", " x")]
        [InlineData("data\n\n", "")]
        [InlineData("data:\n\n", "")]
        public async Task OnlyOneSpaceAfterTheColonIsRemoved(string text, string expected)
        {
            ReadResult result = await ReadAll(text);

            Assert.Equal(new[] { expected }, result.Events);
        }

        [Fact]
        public async Task DoneEndsTheStream()
        {
            ReadResult result = await ReadAll("data: a\n\ndata: [DONE]\n\ndata: after\n\n");

            Assert.Equal(new[] { "a" }, result.Events);
            Assert.True(result.ReachedDone);
        }

        [Fact]
        public async Task MissingDoneIsReported()
        {
            ReadResult result = await ReadAll("data: a\n\n");

            Assert.Equal(new[] { "a" }, result.Events);
            Assert.False(result.ReachedDone);
            Assert.False(result.LastEventUnterminated);
        }

        [Fact]
        public async Task DoneWithoutTrailingNewlineStillEndsTheStream()
        {
            ReadResult result = await ReadAll("data: a\n\ndata: [DONE]");

            Assert.Equal(new[] { "a" }, result.Events);
            Assert.True(result.ReachedDone);
        }

        [Fact]
        public async Task EventCutByTheEndOfTheStreamIsFlagged()
        {
            ReadResult result = await ReadAll("data: a\n\ndata: {\"choi");

            Assert.Equal(new[] { "a", "{\"choi" }, result.Events);
            Assert.True(result.LastEventUnterminated);
            Assert.False(result.ReachedDone);
        }

        [Fact]
        public async Task BlankLinesWithoutDataDispatchNothing()
        {
            ReadResult result = await ReadAll("\n\n\r\n\ndata: a\n\n\n\n");

            Assert.Equal(new[] { "a" }, result.Events);
        }

        [Fact]
        public async Task AfterReadIsCalledForEveryRead()
        {
            int reads = 0;
            var reader = new SseReader(new ScriptedStream(OneByteAtATime("data: ab\n\n")), () => reads++);
            while (await reader.ReadEventAsync(CancellationToken.None) != null)
            {
            }

            Assert.Equal(10, reads);
        }
    }
}
