using System;
using System.Threading;
using System.Threading.Tasks;

namespace CloudflareAI.Chat.Retry
{
    /// <summary>The real clock.</summary>
    public sealed class SystemChatClock : IChatClock
    {
        /// <summary>The one instance.</summary>
        public static SystemChatClock Instance { get; } = new SystemChatClock();

        /// <inheritdoc/>
        public DateTimeOffset UtcNow => DateTimeOffset.UtcNow;

        /// <inheritdoc/>
        public Task Delay(TimeSpan delay, CancellationToken ct)
        {
            if (delay <= TimeSpan.Zero)
            {
                ct.ThrowIfCancellationRequested();
                return Task.CompletedTask;
            }
            return Task.Delay(delay, ct);
        }

        /// <inheritdoc/>
        public void CancelAfter(CancellationTokenSource source, TimeSpan delay)
        {
            if (source == null) throw new ArgumentNullException(nameof(source));
            source.CancelAfter(delay);
        }
    }
}
