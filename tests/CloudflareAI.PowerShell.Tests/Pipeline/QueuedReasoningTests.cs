using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using CloudflareAI.Chat;
using Xunit;

namespace CloudflareAI.PowerShell.Tests.Pipeline
{
    /// <summary>Streamed reasoning through the bridge: queued like any write, in order with the answer's text.</summary>
    public class QueuedReasoningTests
    {
        [Fact]
        public void ReasoningFromAWorkerReachesThePipelineSideBeforeTheTextThatFollowsIt()
        {
            var pipelineSide = new RecordingSide(shows: true);
            using var queue = new PipelineWriteQueue(text => ((IChatObserver)pipelineSide).OnText(text), new ManualTextPacer());
            var observer = new QueuedChatObserver(queue, pipelineSide);

            var work = queue.Start(() =>
            {
                observer.OnReasoning("Thinking ");
                observer.OnReasoning("hard.");
                observer.OnText("The ");
                observer.OnText("answer.");
                observer.OnReasoning("Late thought.");
                return Task.FromResult(0);
            }, onWorker: true);
            Assert.True(queue.Await(work, CancellationToken.None));

            // Pieces of one kind may be written as one batch or several; the two kinds never join, and the order holds.
            Assert.Equal(new[] { "reasoning:Thinking hard.", "text:The answer.", "reasoning:Late thought." }, JoinAdjacent(pipelineSide.Calls));
            Assert.All(pipelineSide.Threads, id => Assert.Equal(System.Environment.CurrentManagedThreadId, id));
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void ItShowsReasoningWhenThePipelineSideDoes(bool shows)
        {
            using var queue = new PipelineWriteQueue(_ => { }, new ManualTextPacer());

            Assert.Equal(shows, new QueuedChatObserver(queue, new RecordingSide(shows)).ShowsReasoning);
        }

        [Fact]
        public void APipelineSideWithoutReasoningShowsNone()
        {
            using var queue = new PipelineWriteQueue(_ => { }, new ManualTextPacer());

            Assert.False(new QueuedChatObserver(queue, new TextOnlySide()).ShowsReasoning);
        }

        [Fact]
        public void ReasoningThatArrivesBeforeThePipelineThreadRunsIsWrittenOnceAndAnyOtherReportEndsTheBatch()
        {
            var pipelineSide = new RecordingSide(shows: true);
            using var queue = new PipelineWriteQueue(text => ((IChatObserver)pipelineSide).OnText(text), new ManualTextPacer());
            var observer = new QueuedChatObserver(queue, pipelineSide);

            observer.OnReasoning("a");
            observer.OnReasoning("b");
            observer.OnVerbose("retry");
            observer.OnReasoning("c");
            observer.OnWarning("w");
            observer.OnReasoning("d");
            queue.RunPending();
            observer.OnReasoning("e");
            queue.RunPending();

            Assert.Equal(new[] { "reasoning:ab", "verbose:retry", "reasoning:c", "warning:w", "reasoning:d", "reasoning:e" }, pipelineSide.Calls);
        }

        private static List<string> JoinAdjacent(List<string> calls)
        {
            var joined = new List<string>();
            foreach (string call in calls)
            {
                string kind = call.Substring(0, call.IndexOf(':') + 1);
                if (joined.Count > 0 && joined[joined.Count - 1].StartsWith(kind)) joined[joined.Count - 1] += call.Substring(kind.Length);
                else joined.Add(call);
            }
            return joined;
        }

        private sealed class RecordingSide : IChatObserver, IReasoningObserver
        {
            public RecordingSide(bool shows) => ShowsReasoning = shows;

            public bool ShowsReasoning { get; }

            public List<string> Calls { get; } = new List<string>();

            public List<int> Threads { get; } = new List<int>();

            public void OnReasoning(string text) => Record("reasoning:" + text);

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

        private sealed class TextOnlySide : IChatObserver
        {
            public void OnText(string text)
            {
            }

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
