using System;
using System.Collections.Concurrent;
using System.Management.Automation;
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

        public void Post(Action<PSCmdlet> action) => TryAdd(action);

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
