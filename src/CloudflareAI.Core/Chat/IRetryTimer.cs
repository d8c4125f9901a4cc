using System;
using System.Threading;
using System.Threading.Tasks;

namespace CloudflareAI.Chat
{
    /// <summary>The clock and the waits between attempts, behind an interface so retry tests never sleep.</summary>
    public interface IRetryTimer
    {
        DateTimeOffset UtcNow { get; }

        /// <summary>Waits <paramref name="delay"/>; ends early with OperationCanceledException when the token is cancelled.</summary>
        Task Delay(TimeSpan delay, CancellationToken ct);
    }

    /// <summary>The real clock.</summary>
    public sealed class SystemRetryTimer : IRetryTimer
    {
        public static SystemRetryTimer Instance { get; } = new SystemRetryTimer();

        public DateTimeOffset UtcNow => DateTimeOffset.UtcNow;

        public Task Delay(TimeSpan delay, CancellationToken ct)
        {
            if (delay <= TimeSpan.Zero)
            {
                ct.ThrowIfCancellationRequested();
                return Task.CompletedTask;
            }
            return Task.Delay(delay, ct);
        }
    }
}
