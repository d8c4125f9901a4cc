using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Management.Automation;
using System.Text;
using System.Threading;

namespace CloudflareAI.Commands
{
    /// <summary>
    /// Cmdlet writes may only happen on the pipeline thread. Worker threads post them here; the pipeline thread runs
    /// them while it waits for requests to finish. A finished request posts a wake-up so the wait ends without polling.
    /// </summary>
    internal sealed class PipelineEventQueue : IDisposable
    {
        /// <summary>
        /// Streamed text is written at most this often (after the first piece, which goes at once). Each write wakes the
        /// pipeline thread and makes an Information record; a fast stream (a local model, a cached answer) would otherwise
        /// pay that per token. 10 ms is faster than a console redraws, so the text still appears as it arrives.
        /// </summary>
        internal static readonly TimeSpan TextInterval = TimeSpan.FromMilliseconds(10);

        private static readonly long TextIntervalTicks = (long)(TextInterval.TotalSeconds * Stopwatch.Frequency);

        /// <summary>
        /// How long the worker that posts the first streamed text waits for the pipeline thread to take it. On a busy
        /// machine the reader (parsing on) and the server can hold every core while the pipeline thread waits to be
        /// scheduled; the first text is what the user waits for, so the reader gives way once.
        /// </summary>
        private static readonly TimeSpan FirstTextHandOff = TimeSpan.FromMilliseconds(5);

        private readonly BlockingCollection<Action<PSCmdlet>?> _actions = new BlockingCollection<Action<PSCmdlet>?>();
        private readonly object _textLock = new object();
        private StringBuilder? _openText;
        private bool _openTextQueued;
        private long _lastTextWrite = long.MinValue / 2;
        private Action<PSCmdlet, string>? _writeText;
        private Timer? _textTimer;
        private ManualResetEventSlim? _firstTextTaken;
        private int _pumpThread;
        private bool _disposed;

        public void Post(Action<PSCmdlet> action)
        {
            lock (_textLock)
            {
                // Text that came before this write goes out before it; text that comes after starts a new batch.
                CloseOpenText();
                TryAdd(action);
            }
        }

        /// <summary>
        /// Streamed text. It joins the batch not yet written, if there is one; otherwise it is written at once, or, when
        /// text was written less than <see cref="TextInterval"/> ago, when the interval is up. The text and its order are
        /// unchanged; only the number of writes is.
        /// </summary>
        public void PostText(string text, Action<PSCmdlet, string> write)
        {
            ManualResetEventSlim? handOff = null;
            lock (_textLock)
            {
                // Only a worker can give way to the pipeline thread, not the pipeline thread to itself.
                if (_firstTextTaken == null && !_disposed && System.Environment.CurrentManagedThreadId != _pumpThread)
                {
                    handOff = _firstTextTaken = new ManualResetEventSlim(false);
                }
                _writeText = write;
                if (_openText != null)
                {
                    _openText.Append(text);
                    return;
                }
                _openText = new StringBuilder(text);
                long wait = _lastTextWrite + TextIntervalTicks - Stopwatch.GetTimestamp();
                if (wait <= 0)
                {
                    QueueOpenText();
                }
                else if (!_disposed)
                {
                    long ms = Math.Max(1, wait * 1000 / Stopwatch.Frequency);
                    _textTimer ??= new Timer(_ => OnTextTimer(), null, Timeout.Infinite, Timeout.Infinite);
                    _textTimer.Change(ms, Timeout.Infinite);
                }
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

        /// <summary>Ends the current wait so the pipeline thread re-checks its condition.</summary>
        public void Wake() => TryAdd(null);

        /// <summary>Runs posted writes until <paramref name="done"/> holds; a stop request ends the wait at once.</summary>
        public void Pump(PSCmdlet cmdlet, CancellationToken stop, Func<bool> done)
        {
            _pumpThread = System.Environment.CurrentManagedThreadId;
            while (!done())
            {
                Action<PSCmdlet>? action;
                try
                {
                    action = _actions.Take(stop);
                }
                catch (OperationCanceledException)
                {
                    throw new PipelineStoppedException();
                }
                action?.Invoke(cmdlet);
            }
        }

        /// <summary>Runs whatever writes are already queued, text still waiting for its interval included.</summary>
        public void Drain(PSCmdlet cmdlet)
        {
            lock (_textLock)
            {
                CloseOpenText();
            }
            while (_actions.TryTake(out var action)) action?.Invoke(cmdlet);
        }

        public void Dispose()
        {
            lock (_textLock)
            {
                _disposed = true;
                _textTimer?.Dispose();
                _firstTextTaken?.Set();
            }
            _actions.Dispose();
        }

        private void OnTextTimer()
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
            Action<PSCmdlet, string> write = _writeText!;
            _openTextQueued = true;
            TryAdd(cmdlet => write(cmdlet, TakeText(batch)));
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
                _lastTextWrite = Stopwatch.GetTimestamp();
                _firstTextTaken?.Set();
                return batch.ToString();
            }
        }

        private void TryAdd(Action<PSCmdlet>? action)
        {
            try
            {
                _actions.Add(action);
            }
            catch (ObjectDisposedException)
            {
                // The cmdlet is gone (pipeline stopped); late reports from worker threads have nowhere to go.
            }
            catch (InvalidOperationException)
            {
            }
        }
    }
}
