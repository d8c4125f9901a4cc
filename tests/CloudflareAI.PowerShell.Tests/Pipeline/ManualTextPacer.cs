using System;

namespace CloudflareAI.PowerShell.Tests.Pipeline
{
    /// <summary>A pacer whose clock moves only when the test says so; the scheduled call runs only when the test fires it.</summary>
    internal sealed class ManualTextPacer : ITextPacer
    {
        private readonly object _lock = new object();
        private TimeSpan _now = TimeSpan.FromSeconds(100);
        private Action? _due;

        public TimeSpan Now
        {
            get
            {
                lock (_lock) return _now;
            }
        }

        /// <summary>The wait of the last Schedule call, or null when none is pending.</summary>
        public TimeSpan? Scheduled { get; private set; }

        public bool Disposed { get; private set; }

        public void Advance(TimeSpan by)
        {
            lock (_lock) _now += by;
        }

        public void Schedule(TimeSpan wait, Action due)
        {
            lock (_lock)
            {
                Scheduled = wait;
                _due = due;
            }
        }

        /// <summary>Runs the scheduled call, as the timer would when its time is up.</summary>
        public void Fire()
        {
            Action? due;
            lock (_lock)
            {
                due = _due;
                _due = null;
                Scheduled = null;
            }
            due?.Invoke();
        }

        public void Dispose() => Disposed = true;
    }
}
