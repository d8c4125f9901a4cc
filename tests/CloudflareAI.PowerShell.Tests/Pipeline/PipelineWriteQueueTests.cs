using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace CloudflareAI.PowerShell.Tests.Pipeline
{
    public class PipelineWriteQueueTests
    {
        private readonly List<string> _written = new List<string>();
        private readonly ManualTextPacer _pacer = new ManualTextPacer();

        private PipelineWriteQueue NewQueue() => new PipelineWriteQueue(text => _written.Add("text:" + text), _pacer);

        [Fact]
        public void WritesPostedFromWorkersRunOnTheWaitingThreadInTheOrderPosted()
        {
            using var queue = NewQueue();
            int pipelineThread = System.Environment.CurrentManagedThreadId;
            var threads = new List<int>();
            var worker = queue.Start(() => Task.Run(() =>
            {
                for (int i = 0; i < 200; i++)
                {
                    int n = i;
                    queue.Post(() =>
                    {
                        threads.Add(System.Environment.CurrentManagedThreadId);
                        _written.Add(n.ToString());
                    });
                }
                return 0;
            }), onWorker: true);

            Assert.True(queue.Await(worker, CancellationToken.None));

            Assert.Equal(200, _written.Count);
            for (int i = 0; i < 200; i++) Assert.Equal(i.ToString(), _written[i]);
            Assert.All(threads, id => Assert.Equal(pipelineThread, id));
        }

        [Fact]
        public void FirstTextIsWrittenAtOnceAndTextWithinTheIntervalJoinsOneLaterWrite()
        {
            using var queue = NewQueue();
            queue.PostText("a");
            _pacer.Advance(TimeSpan.FromMilliseconds(3));
            queue.RunUntil(() => _written.Count == 1, CancellationToken.None);
            Assert.Equal(new[] { "text:a" }, _written);

            _pacer.Advance(TimeSpan.FromMilliseconds(4));
            queue.PostText("b");
            queue.PostText("c");
            // Written 4 ms ago: the batch waits for the rest of the 10 ms.
            Assert.Equal(PipelineWriteQueue.TextInterval - TimeSpan.FromMilliseconds(4), _pacer.Scheduled);
            DrainWithoutClosing(queue);
            Assert.Equal(new[] { "text:a" }, _written);

            _pacer.Fire();
            queue.RunUntil(() => _written.Count == 2, CancellationToken.None);
            Assert.Equal(new[] { "text:a", "text:bc" }, _written);
        }

        [Fact]
        public void TextAfterTheIntervalIsWrittenAtOnce()
        {
            using var queue = NewQueue();
            queue.PostText("a");
            queue.RunUntil(() => _written.Count == 1, CancellationToken.None);
            _pacer.Advance(PipelineWriteQueue.TextInterval);
            queue.PostText("b");
            Assert.Null(_pacer.Scheduled);
            queue.RunUntil(() => _written.Count == 2, CancellationToken.None);
            Assert.Equal(new[] { "text:a", "text:b" }, _written);
        }

        [Fact]
        public void AnotherWriteEndsTheTextBatchSoTextNeverMovesPastIt()
        {
            using var queue = NewQueue();
            queue.PostText("a");
            queue.RunUntil(() => _written.Count == 1, CancellationToken.None);
            queue.PostText("b");
            queue.Post(() => _written.Add("warning"));
            queue.PostText("c");
            _pacer.Advance(PipelineWriteQueue.TextInterval);
            _pacer.Fire();
            queue.RunPending();
            Assert.Equal(new[] { "text:a", "text:b", "warning", "text:c" }, _written);
        }

        [Fact]
        public void RunPendingWritesTextStillWaitingForItsInterval()
        {
            using var queue = NewQueue();
            queue.PostText("a");
            queue.RunPending();
            queue.PostText("b");
            Assert.NotNull(_pacer.Scheduled);
            queue.RunPending();
            Assert.Equal(new[] { "text:a", "text:b" }, _written);
        }

        [Fact]
        public void TheTimerFiringAfterTheBatchWasWrittenWritesNothingTwice()
        {
            using var queue = NewQueue();
            queue.PostText("a");
            queue.RunPending();
            queue.PostText("b");
            queue.RunPending();
            _pacer.Fire();
            queue.RunPending();
            Assert.Equal(new[] { "text:a", "text:b" }, _written);
        }

        [Fact]
        public async Task AStopEndsTheWaitAtOnceWithFalse()
        {
            using var queue = NewQueue();
            using var stop = new CancellationTokenSource();
            var waiting = Task.Run(() => queue.RunUntil(() => false, stop.Token));
            stop.Cancel();
            Assert.False(await waiting);

            var neverDone = new TaskCompletionSource<int>();
            Assert.False(queue.Await(neverDone.Task, stop.Token));
        }

        [Fact]
        public async Task WakeMakesTheWaitCheckItsConditionAgain()
        {
            using var queue = NewQueue();
            int done = 0;
            var worker = Task.Run(() =>
            {
                Volatile.Write(ref done, 1);
                queue.Wake();
            });
            Assert.True(queue.RunUntil(() => Volatile.Read(ref done) == 1, CancellationToken.None));
            await worker;
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task WorkStartedThroughTheQueueWakesTheWaitWhenItEnds(bool onWorker)
        {
            using var queue = NewQueue();
            var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            int startedOn = 0;
            var task = queue.Start(() =>
            {
                startedOn = System.Environment.CurrentManagedThreadId;
                return release.Task;
            }, onWorker);
            var releaser = Task.Run(() => release.SetResult(42));

            int pipelineThread = System.Environment.CurrentManagedThreadId;
            Assert.True(queue.Await(task, CancellationToken.None));
            Assert.Equal(onWorker, startedOn != pipelineThread);
            Assert.Equal(42, await task);
            await releaser;
        }

        [Fact]
        public async Task WorkersPostingWhileTheQueueIsDisposedNeitherThrowNorWrite()
        {
            var queue = NewQueue();
            using var posting = new ManualResetEventSlim(false);
            var workers = new Task[2];
            for (int w = 0; w < workers.Length; w++)
            {
                workers[w] = Task.Run(() =>
                {
                    for (int i = 0; i < 5000; i++)
                    {
                        if (i == 10) posting.Set();
                        queue.PostText("t");
                        queue.Post(() => _written.Add("late"));
                        queue.Wake();
                    }
                });
            }
            posting.Wait();
            queue.Dispose();
            await Task.WhenAll(workers);

            queue.PostText("after");
            queue.Post(() => _written.Add("after"));
            queue.Wake();
            Assert.Empty(_written);
            Assert.True(_pacer.Disposed);
        }

        [Fact]
        public void TextIsWrittenOnlyWhenThePipelineThreadRunsTheQueue()
        {
            using var queue = NewQueue();
            queue.PostText("x");
            Assert.Empty(_written);
            queue.RunPending();
            Assert.Equal(new[] { "text:x" }, _written);
        }

        /// <summary>Runs the writes already queued without closing the open text batch, as a wait does.</summary>
        private static void DrainWithoutClosing(PipelineWriteQueue queue)
        {
            queue.Wake();
            bool woken = false;
            queue.RunUntil(() =>
            {
                bool done = woken;
                woken = true;
                return done;
            }, CancellationToken.None);
        }
    }
}
