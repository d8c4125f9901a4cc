using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using CloudflareAI.Chat;
using Xunit;

namespace CloudflareAI.PowerShell.Tests.Pipeline
{
    public class QueuedChatObserverTests
    {
        [Fact]
        public void ReportsFromAWorkerReachThePipelineSideOnThePipelineThreadInOrder()
        {
            var pipelineSide = new RecordingSide();
            using var queue = new PipelineWriteQueue(text => ((IChatObserver)pipelineSide).OnText(text), new ManualTextPacer());
            IChatObserver observer = new QueuedChatObserver(queue, pipelineSide);

            var work = queue.Start(() =>
            {
                observer.OnVerbose("POST");
                observer.OnText("Hel");
                observer.OnText("lo");
                observer.OnWarning("length");
                observer.OnDebug("body");
                return Task.FromResult(0);
            }, onWorker: true);
            Assert.True(queue.Await(work, CancellationToken.None));

            // "lo" came within the text interval of "Hel" and is written with the warning's arrival, before it.
            Assert.Equal(new[] { "verbose:POST", "text:Hel", "text:lo", "warning:length", "debug:body" }, pipelineSide.Calls);
            Assert.All(pipelineSide.Threads, id => Assert.Equal(System.Environment.CurrentManagedThreadId, id));
        }

        [Fact]
        public async Task NothingReachesThePipelineSideUntilThePipelineThreadRunsTheQueue()
        {
            var pipelineSide = new RecordingSide();
            using var queue = new PipelineWriteQueue(text => ((IChatObserver)pipelineSide).OnText(text), new ManualTextPacer());
            IChatObserver observer = new QueuedChatObserver(queue, pipelineSide);
            await Task.Run(() => observer.OnVerbose("from a worker"));
            Assert.Empty(pipelineSide.Calls);
            queue.RunPending();
            Assert.Equal(new[] { "verbose:from a worker" }, pipelineSide.Calls);
        }

        private sealed class RecordingSide : IChatObserver
        {
            public List<string> Calls { get; } = new List<string>();

            public List<int> Threads { get; } = new List<int>();

            void IChatObserver.OnText(string text) => Record("text:" + text);

            void IChatObserver.OnVerbose(string message) => Record("verbose:" + message);

            void IChatObserver.OnDebug(string message) => Record("debug:" + message);

            void IChatObserver.OnWarning(string message) => Record("warning:" + message);

            private void Record(string call)
            {
                Calls.Add(call);
                Threads.Add(System.Environment.CurrentManagedThreadId);
            }
        }
    }
}
