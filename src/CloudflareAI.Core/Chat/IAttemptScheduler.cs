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
        /// <summary>A number for one call, given in the order the calls join the batch (input order).</summary>
        long Join();

        /// <summary>Waits for a place for attempt <paramref name="attempt"/> (1 for the first) of the call numbered
        /// <paramref name="call"/> (<see cref="Join"/>); ends early with OperationCanceledException when the token is
        /// cancelled. Among attempts waiting for a place, the one with the most attempts behind it goes first (it is the
        /// nearest to failing for good), then the earliest call's (the answer the ordered output waits for).
        /// <paramref name="afterUntoldRefusal"/> says the call's last attempt was refused with a 429 that did not say when to
        /// come back: without a pace, such an attempt waits for an answer in flight to come back (the place that answer had
        /// under the server's limit is free then) rather than take a place opened by a raise, and no new call starts while
        /// it waits.</summary>
        Task<IAttemptLease> EnterAsync(long call, int attempt, bool afterUntoldRefusal, CancellationToken cancellationToken);
    }

    /// <summary>The place of one attempt; <see cref="End"/> gives it back (once; later calls do nothing).</summary>
    internal interface IAttemptLease
    {
        /// <summary>Gives the place back, saying how the attempt went.</summary>
        void End(AttemptSignal signal);
    }
}
