using System;
using System.Collections.Concurrent;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace CloudflareAI.PowerShell
{
    /// <summary>
    /// The one way back from the core's worker threads to the pipeline thread, where alone a cmdlet may write. Workers
    /// <see cref="Post"/> writes (and <see cref="PostText"/> streamed text); the pipeline thread runs them in order while it
    /// waits (<see cref="RunUntil"/>) and at the end (<see cref="RunPending"/>). Work started through <see cref="Start{T}"/>
    /// wakes the wait when it ends, so nothing polls. It knows nothing of PowerShell, so it is tested on its own.
    /// </summary>
    internal sealed class PipelineWriteQueue : IDisposable
    {
        /// <summary>
        /// Streamed text is written at most this often (after the first piece, which goes at once). Each write wakes the
        /// pipeline thread and makes an Information record; a fast stream (a local model, a cached answer) would otherwise
        /// pay that per token. 10 ms is faster than a console redraws, so the text still appears as it arrives.
        /// </summary>
        internal static readonly TimeSpan TextInterval = TimeSpan.FromMilliseconds(10);

        /// <summary>
        /// How long the worker that posts the first streamed text waits for the pipeline thread to take it. On a busy
        /// machine the worker parsing the stream and the server can hold every core while the pipeline thread waits to be
        /// scheduled; the first text is what the user waits for, so the worker gives way once.
        /// </summary>
        internal static readonly TimeSpan FirstTextHandOff = TimeSpan.FromMilliseconds(5);

        private readonly BlockingCollection<Action?> _actions = new BlockingCollection<Action?>();
        private readonly object _textLock = new object();
        private readonly Action<string> _writeText;
        private readonly ITextPacer _pacer;
        private StringBuilder? _openText;
        private bool _openTextQueued;
        private TimeSpan? _lastTextWrite;
        private ManualResetEventSlim? _firstTextTaken;
        private int _pipelineThread;
        private bool _disposed;

        /// <summary>Create it on the pipeline thread.</summary>
        /// <param name="writeText">Writes one batch of streamed text; runs on the pipeline thread.</param>
        /// <param name="pacer">The clock and timer for batching; the real one by default.</param>
        public PipelineWriteQueue(Action<string>? writeText = null, ITextPacer? pacer = null)
        {
            _writeText = writeText ?? (_ => { });
            _pacer = pacer ?? new TimerTextPacer();
            _pipelineThread = System.Environment.CurrentManagedThreadId;
        }

        /// <summary>
        /// Starts work whose reports come back through this queue and wakes the pipeline thread when it ends. On a worker,
        /// the work's synchronous part too: when a server is quick (loopback, a cache) every read of a stream can complete
        /// at once, and a stream read on the pipeline thread would write no text until its end.
        /// </summary>
        public Task<T> Start<T>(Func<Task<T>> work, bool onWorker)
        {
            Task<T> task = onWorker ? Task.Run(work) : work();
            task.ContinueWith(_ => Wake(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return task;
        }

        /// <summary>Any thread: queues a write. Text posted before it is written before it.</summary>
        public void Post(Action write)
        {
            lock (_textLock)
            {
                CloseOpenText();
                TryAdd(write);
            }
        }

        /// <summary>
        /// Any thread: streamed text. It joins the batch not yet written, if there is one; otherwise it is written at once,
        /// or, when text was written less than <see cref="TextInterval"/> ago, when the interval is up. The text and its
        /// order are unchanged; only the number of writes is.
        /// </summary>
        public void PostText(string text)
        {
            ManualResetEventSlim? handOff = null;
            lock (_textLock)
            {
                // Only a worker can give way to the pipeline thread, not the pipeline thread to itself.
                if (_firstTextTaken == null && !_disposed && System.Environment.CurrentManagedThreadId != _pipelineThread)
                {
                    handOff = _firstTextTaken = new ManualResetEventSlim(false);
                }
                if (_openText != null)
                {
                    _openText.Append(text);
                    return;
                }
                _openText = new StringBuilder(text);
                TimeSpan wait = _lastTextWrite == null ? TimeSpan.Zero : _lastTextWrite.Value + TextInterval - _pacer.Now;
                if (wait <= TimeSpan.Zero) QueueOpenText();
                else if (!_disposed) _pacer.Schedule(wait, OnTextDue);
            }
            if (handOff != null)
            {
                try
                {
                    handOff.Wait(FirstTextHandOff);
                }
                catch (ObjectDisposedException)
                {
                    // The cmdlet finished meanwhile.
                }
            }
        }

        /// <summary>Any thread: ends the current wait so the pipeline thread checks its condition again.</summary>
        public void Wake() => TryAdd(null);

        /// <summary>Pipeline thread: runs posted writes until <paramref name="done"/> holds. False when <paramref name="stop"/> ended the wait.</summary>
        public bool RunUntil(Func<bool> done, CancellationToken stop)
        {
            _pipelineThread = System.Environment.CurrentManagedThreadId;
            while (!done())
            {
                Action? action;
                try
                {
                    action = _actions.Take(stop);
                }
                catch (OperationCanceledException)
                {
                    return false;
                }
                action?.Invoke();
            }
            return true;
        }

        /// <summary>Pipeline thread: runs the writes already queued, text still waiting for its interval included.</summary>
        public void RunPending()
        {
            _pipelineThread = System.Environment.CurrentManagedThreadId;
            lock (_textLock)
            {
                CloseOpenText();
            }
            while (_actions.TryTake(out var action)) action?.Invoke();
        }

        /// <summary>Pipeline thread: waits for <paramref name="task"/>, running its writes, then the rest. False when stopped.</summary>
        public bool Await(Task task, CancellationToken stop)
        {
            if (!RunUntil(() => task.IsCompleted, stop)) return false;
            RunPending();
            return true;
        }

        /// <summary>Later posts are dropped: a worker still reporting after the cmdlet ended has nowhere to write.</summary>
        public void Dispose()
        {
            lock (_textLock)
            {
                _disposed = true;
                _pacer.Dispose();
                _firstTextTaken?.Set();
            }
            _actions.Dispose();
        }

        private void OnTextDue()
        {
            lock (_textLock)
            {
                if (_openText != null && !_openTextQueued) QueueOpenText();
            }
        }

        /// <summary>Queues the open batch's write if it is not queued yet, and takes no more text into it.</summary>
        private void CloseOpenText()
        {
            if (_openText == null) return;
            if (!_openTextQueued) QueueOpenText();
            _openText = null;
            _openTextQueued = false;
        }

        private void QueueOpenText()
        {
            StringBuilder batch = _openText!;
            _openTextQueued = true;
            TryAdd(() => _writeText(TakeText(batch)));
        }

        private string TakeText(StringBuilder batch)
        {
            lock (_textLock)
            {
                // Closed under the lock: later text goes to a new batch and a new write.
                if (ReferenceEquals(_openText, batch))
                {
                    _openText = null;
                    _openTextQueued = false;
                }
                _lastTextWrite = _pacer.Now;
                _firstTextTaken?.Set();
                return batch.ToString();
            }
        }

        private void TryAdd(Action? action)
        {
            try
            {
                _actions.Add(action);
            }
            catch (ObjectDisposedException)
            {
                // Disposed: the cmdlet is gone (pipeline stopped), so a late report has nowhere to go.
            }
            catch (InvalidOperationException)
            {
                // Marked complete for adding: the same case, reached during disposal.
            }
        }
    }
}
