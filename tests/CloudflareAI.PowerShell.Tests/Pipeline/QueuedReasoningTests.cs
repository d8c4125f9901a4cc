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

            // Text pieces may be written as one batch or two; reasoning never joins them, and the order holds.
            Assert.Equal(new[] { "reasoning:Thinking ", "reasoning:hard.", "text:The answer.", "reasoning:Late thought." }, JoinAdjacentText(pipelineSide.Calls));
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

        private static List<string> JoinAdjacentText(List<string> calls)
        {
            var joined = new List<string>();
            foreach (string call in calls)
            {
                if (call.StartsWith("text:") && joined.Count > 0 && joined[joined.Count - 1].StartsWith("text:")) joined[joined.Count - 1] += call.Substring(5);
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
