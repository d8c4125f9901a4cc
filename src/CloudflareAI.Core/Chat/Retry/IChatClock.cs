using System;
using System.Threading;
using System.Threading.Tasks;

namespace CloudflareAI.Chat.Retry
{
    /// <summary>
    /// The clock behind the waits between attempts and behind every timeout, so that tests drive time themselves and
    /// never depend on how fast a busy machine runs.
    /// </summary>
    public interface IChatClock
    {
        /// <summary>The current time.</summary>
        DateTimeOffset UtcNow { get; }

        /// <summary>Waits <paramref name="delay"/>; ends early with OperationCanceledException when the token is cancelled.</summary>
        Task Delay(TimeSpan delay, CancellationToken ct);

        /// <summary>
        /// Cancels <paramref name="source"/> once <paramref name="delay"/> has passed on this clock. A later call for the
        /// same source starts its countdown again (the idle timeout of a stream restarts after every read).
        /// </summary>
        /// <exception cref="ObjectDisposedException"><paramref name="source"/> is disposed.</exception>
        void CancelAfter(CancellationTokenSource source, TimeSpan delay);
    }

}
