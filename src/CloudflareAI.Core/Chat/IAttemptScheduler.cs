using System;
using System.Threading;
using System.Threading.Tasks;

namespace CloudflareAI.Chat
{
    /// <summary>How one attempt ended, as far as the pace of a batch is concerned.</summary>
    internal enum AttemptSignal
    {
        /// <summary>An answer came back.</summary>
        Succeeded,

        /// <summary>HTTP 429 that is not a quota error: the server wants fewer requests at once.</summary>
        Throttled,

        /// <summary>Anything else: another error status, a connection failure, a timeout, a cancellation.</summary>
        Failed,
    }

    /// <summary>
    /// Decides when each attempt of a call may start. A call asks before every attempt, not once per call, so a call that
    /// waits for its retry delay holds no place and the others go on.
    /// </summary>
    internal interface IAttemptScheduler
    {
        /// <summary>Waits for a place for one attempt; ends early with OperationCanceledException when the token is cancelled.</summary>
        Task<IAttemptLease> EnterAsync(CancellationToken cancellationToken);
    }

    /// <summary>The place of one attempt; <see cref="End"/> gives it back (once; later calls do nothing).</summary>
    internal interface IAttemptLease
    {
        /// <summary>Gives the place back, saying how the attempt went.</summary>
        void End(AttemptSignal signal);
    }
}
