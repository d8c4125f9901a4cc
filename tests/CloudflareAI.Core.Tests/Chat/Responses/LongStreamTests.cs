using System;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace CloudflareAI.Tests.Chat.Responses
{
    /// <summary>Alone in its collection so that the allocation count is not mixed with other tests' work.</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public class SerialCollection
    {
        public const string Name = "Serial (measures allocations)";
    }

    [Collection(SerialCollection.Name)]
    public class LongStreamTests
    {
        private const int ChunkCount = 100_000;

        private readonly ITestOutputHelper output;

        public LongStreamTests(ITestOutputHelper output) => this.output = output;

        [Fact]
        public async Task HundredThousandChunksAreFastAndAllocationLight()
        {
            var handler = new FakeHandler().Then(() => CannedResponses.EventStream(new GeneratedStream(ChunkCount)));
            var client = new ChatClient(handler, new FakeTimer(), () => 0);
            var observer = new CountingObserver();

            long before = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            ChatResponse response = await client.SendAsync(Endpoints.Cloudflare(), Endpoints.Request(stream: true), new ChatCallOptions(), observer, CancellationToken.None);
            watch.Stop();
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            output.WriteLine($"{ChunkCount} chunks in {watch.ElapsedMilliseconds} ms, {allocated / ChunkCount} bytes allocated per chunk");

            Assert.Equal(ChunkCount, observer.Texts);
            Assert.Equal(ChunkCount * 4, response.Content.Length);
            Assert.Equal(ChunkCount, response.Usage!.CompletionTokens);
            // Each chunk is about 230 bytes of JSON; a few kilobytes per chunk means nothing grows with the stream but the answer.
            Assert.True(allocated / ChunkCount < 8 * 1024, $"{allocated / ChunkCount} bytes allocated per chunk");
        }

        private sealed class CountingObserver : IChatObserver
        {
            public int Texts { get; private set; }

            public void OnText(string text) => Texts++;

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

        /// <summary>Makes the stream as it is read, so the test itself holds no more than one chunk.</summary>
        private sealed class GeneratedStream : ReadOnlyTestStream
        {
            private readonly int count;
            private int produced;
            private byte[] current = Array.Empty<byte>();
            private int offset;

            public GeneratedStream(int count) => this.count = count;

            public override int Read(byte[] buffer, int offset, int count)
            {
                int written = 0;
                while (written < count)
                {
                    if (this.offset >= current.Length)
                    {
                        if (!Next()) break;
                    }
                    int n = Math.Min(count - written, current.Length - this.offset);
                    Array.Copy(current, this.offset, buffer, offset + written, n);
                    this.offset += n;
                    written += n;
                }
                return written;
            }

            public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
                Task.FromResult(Read(buffer, offset, count));

            private bool Next()
            {
                offset = 0;
                if (produced > count) return false;
                string text = produced == count
                    ? "data: [DONE]\n\n"
                    : "data: {\"id\":\"c\",\"model\":\"@cf/x\",\"p\":\"abcdefgh\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"wörd\"},\"finish_reason\":null}],"
                      + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":" + (produced + 1) + ",\"total_tokens\":" + (produced + 4) + "}}\n\n";
                current = Encoding.UTF8.GetBytes(text);
                produced++;
                return true;
            }
        }
    }
}
