using System;
using System.Diagnostics;
using System.Threading;

namespace CloudflareAI.PowerShell
{
    /// <summary>The real <see cref="ITextPacer"/>: a Stopwatch and one System.Threading.Timer, created on first use.</summary>
    internal sealed class TimerTextPacer : ITextPacer
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private readonly object _lock = new object();
        private Timer? _timer;
        private Action? _due;
        private bool _disposed;

        public TimeSpan Now => _watch.Elapsed;

        public void Schedule(TimeSpan wait, Action due)
        {
            lock (_lock)
            {
                if (_disposed) return;
                _due = due;
                _timer ??= new Timer(_ => Fire(), null, Timeout.Infinite, Timeout.Infinite);
                _timer.Change((long)Math.Max(1, Math.Ceiling(wait.TotalMilliseconds)), Timeout.Infinite);
            }
        }

        public void Dispose()
        {
            lock (_lock)
            {
                _disposed = true;
                _timer?.Dispose();
            }
        }

        private void Fire()
        {
            Action? due;
            lock (_lock)
            {
                due = _disposed ? null : _due;
            }
            due?.Invoke();
        }
    }
}
