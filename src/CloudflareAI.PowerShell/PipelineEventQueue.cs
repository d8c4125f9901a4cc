using System;
using System.Collections.Concurrent;
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
        private readonly BlockingCollection<Action<PSCmdlet>?> _actions = new BlockingCollection<Action<PSCmdlet>?>();
        private readonly object _textLock = new object();
        private StringBuilder? _openText;

        public void Post(Action<PSCmdlet> action)
        {
            lock (_textLock)
            {
                // Text that arrives after this write must come out after it, so it starts a new batch.
                _openText = null;
                TryAdd(action);
            }
        }

        /// <summary>
        /// Streamed text. While a text write is queued and not yet run, more text joins it instead of queueing a write of
        /// its own: a fast stream costs one pipeline write (and one thread wake-up) per batch, not per chunk, and the text
        /// and its order are unchanged. When the pipeline thread keeps up, each piece is still written as it arrives.
        /// </summary>
        public void PostText(string text, Action<PSCmdlet, string> write)
        {
            lock (_textLock)
            {
                if (_openText != null)
                {
                    _openText.Append(text);
                    return;
                }
                var batch = new StringBuilder(text);
                _openText = batch;
                TryAdd(cmdlet => write(cmdlet, TakeText(batch)));
            }
        }

        /// <summary>Ends the current wait so the pipeline thread re-checks its condition.</summary>
        public void Wake() => TryAdd(null);

        /// <summary>Runs posted writes until <paramref name="done"/> holds; a stop request ends the wait at once.</summary>
        public void Pump(PSCmdlet cmdlet, CancellationToken stop, Func<bool> done)
        {
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

        /// <summary>Runs whatever writes are already queued.</summary>
        public void Drain(PSCmdlet cmdlet)
        {
            while (_actions.TryTake(out var action)) action?.Invoke(cmdlet);
        }

        public void Dispose() => _actions.Dispose();

        private string TakeText(StringBuilder batch)
        {
            lock (_textLock)
            {
                // Closed under the lock: later text goes to a new batch and a new write.
                if (ReferenceEquals(_openText, batch)) _openText = null;
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
