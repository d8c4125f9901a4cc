using System;

namespace CloudflareAI.PowerShell
{
    /// <summary>
    /// The clock and the one-shot timer that pace streamed text in <see cref="PipelineWriteQueue"/>; tests pass a manual one
    /// so that no assertion depends on the wall clock.
    /// </summary>
    internal interface ITextPacer : IDisposable
    {
        /// <summary>Time since some fixed start; only differences are used.</summary>
        TimeSpan Now { get; }

        /// <summary>Calls <paramref name="due"/> once, on any thread, after <paramref name="wait"/>; a later call replaces an earlier one.</summary>
        void Schedule(TimeSpan wait, Action due);
    }
}
