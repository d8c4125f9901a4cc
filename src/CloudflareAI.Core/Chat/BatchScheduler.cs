using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace CloudflareAI.Chat
{
    /// <summary>
    /// The pace of one batch (one Invoke-AIChat call): at most ThrottleLimit attempts in flight, an optional token bucket
    /// of N requests per minute (retries take tokens too), and, without a bucket, a concurrency that halves on a 429 that
    /// is not a quota error and grows by one per success back up to ThrottleLimit. The caller keeps answers in input order
    /// and asks <see cref="CanAdmit"/> before starting another one, which bounds what it holds. Thread-safe.
    /// </summary>
    internal sealed class BatchScheduler : IAttemptScheduler
    {
        /// <summary>Finished answers that may wait behind an unfinished earlier one, per place in flight.</summary>
        public const int HoldPerPlace = 4;

        /// <summary>Prompts started but not yet written, per place: requests waiting for a retry delay hold no place, and
        /// without this bound a server that refuses everything would have every piped prompt started and waiting.</summary>
        public const int StartedPerPlace = 8;

        private readonly object gate = new object();
        private readonly LinkedList<Waiter> waiters = new LinkedList<Waiter>();
        private readonly TokenBucket? bucket;
        private readonly Action<string>? report;
        private int limit;
        private int active;

        // Places given to waiting attempts whose continuations have not run yet. New calls wait for them: on a busy machine
        // the caller's thread would otherwise start a new prompt before the thread pool gets round to a retry that was
        // granted first, and at a server's rate limit the one that arrives first is the one that is accepted.
        private int granting;

        // A 429 from an attempt that began before the latest decrease comes from the same crowd that caused it: halving
        // again for each of those would drop a batch of 32 to 1 on one burst of refusals.
        private long epoch;

        private long joined;

        // Waiters whose last attempt was refused with a 429 that did not say when (see EnterAsync); no new call starts while
        // one waits.
        private int waitingForAnswer;

        // Answers that came back whose places nobody has taken since: each is room under the server's limit (the request it
        // answered left the server's window), and each attempt that starts takes one if there is one.
        private int answered;

        /// <param name="throttleLimit">The most attempts in flight at once.</param>
        /// <param name="requestsPerMinute">A pace for every attempt, retries included; null for none (adaptive instead).</param>
        /// <param name="timer">The clock the pace runs on.</param>
        /// <param name="report">Where changes of concurrency are told (-Verbose); null to build no lines.</param>
        public BatchScheduler(int throttleLimit, int? requestsPerMinute, IChatClock? timer = null, Action<string>? report = null)
        {
            if (throttleLimit < 1) throw new ArgumentOutOfRangeException(nameof(throttleLimit), "At least 1.");
            ThrottleLimit = throttleLimit;
            limit = throttleLimit;
            this.report = report;
            if (requestsPerMinute.HasValue) bucket = new TokenBucket(requestsPerMinute.Value, timer ?? SystemChatClock.Instance);
        }

        /// <summary>Raised (on any thread) when a place frees up or a call starts waiting for a retry, so a caller
        /// waiting on <see cref="CanAdmit"/> can look again.</summary>
        public event Action? Changed;

        /// <summary>The most attempts in flight at once (-ThrottleLimit).</summary>
        public int ThrottleLimit { get; }

        /// <summary>How many attempts may be in flight now: ThrottleLimit, or less after 429s.</summary>
        public int CurrentLimit
        {
            get
            {
                lock (gate) return limit;
            }
        }

        /// <summary>Attempts in flight now.</summary>
        public int InFlight
        {
            get
            {
                lock (gate) return active;
            }
        }

        /// <summary>The bucket's size (requests that may go at once), or 0 without -RequestsPerMinute.</summary>
        public int Burst => bucket?.Burst ?? 0;

        /// <summary>What the pace is, in words, for -Verbose.</summary>
        public string Description => bucket == null
            ? $"Up to {ThrottleLimit} request(s) in flight; a 429 that is not a quota error halves that for the rest of the batch, each success adds one back."
            : $"Up to {ThrottleLimit} request(s) in flight, paced to {bucket.RequestsPerMinute} per minute (bursts of {bucket.Burst}), retries included.";

        /// <summary>
        /// Whether the caller may start another call: a place would be free for it, fewer than 4 × ThrottleLimit finished
        /// answers are held behind an unfinished earlier one, and fewer than 8 × ThrottleLimit calls are started but not yet
        /// written. Calls waiting for their retry delay hold no place, so they do not count against the first.
        /// </summary>
        /// <param name="held">Finished answers not yet written, waiting for an earlier one.</param>
        /// <param name="unwritten">Calls started and not yet written, finished or not.</param>
        public bool CanAdmit(int held, int unwritten)
        {
            if (held >= HoldPerPlace * ThrottleLimit || unwritten >= StartedPerPlace * ThrottleLimit) return false;
            lock (gate) return granting == 0 && waitingForAnswer == 0 && active + waiters.Count < limit;
        }

        /// <inheritdoc/>
        public long Join() => Interlocked.Increment(ref joined);

        /// <summary>The first attempt of a call of its own (a new <see cref="Join"/> number): it waits behind every call
        /// that joined before it.</summary>
        public Task<IAttemptLease> EnterAsync(CancellationToken cancellationToken) => EnterAsync(Join(), 1, false, cancellationToken);

        /// <inheritdoc/>
        /// <remarks>
        /// At a limit per minute that answers 429 at once and says nothing of when to come back, the place that opens when an
        /// answer comes back is the one the server will accept; a place opened by a raise of the concurrency (one per
        /// success) is, at that limit, one the server refuses. A refused attempt that took such places could be refused four
        /// times and fail, so it waits for an answer (or for nothing to be in flight), and new calls, which may be refused
        /// without failing, take the raised places once no refused attempt waits. With a pace (-RequestsPerMinute) the bucket
        /// spaces every attempt and none of this applies.
        /// </remarks>
        public Task<IAttemptLease> EnterAsync(long call, int attempt, bool afterUntoldRefusal, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            bool forAnswer = afterUntoldRefusal && bucket == null;
            Waiter waiter;
            lock (gate)
            {
                bool now = forAnswer
                    ? active == 0 || (active < limit && answered > 0 && waitingForAnswer == 0)
                    : active < limit && waiters.Count == waitingForAnswer;
                if (now)
                {
                    active++;
                    if (answered > 0) answered--;
                    return Paced(new Lease(this, epoch), cancellationToken);
                }
                waiter = new Waiter(call, attempt, forAnswer);
                if (forAnswer) waitingForAnswer++;
                // Most attempts first, then the earliest call: at a server's limit, places given at the same moment do not all
                // get through, and a call refused for the fourth time fails for good while a first attempt can try again.
                // Walking from the end is short, since most newcomers are first attempts of the latest calls.
                LinkedListNode<Waiter>? before = waiters.Last;
                while (before != null && waiter.GoesBefore(before.Value)) before = before.Previous;
                waiter.Node = before == null ? waiters.AddFirst(waiter) : waiters.AddAfter(before, waiter);
            }
            if (cancellationToken.CanBeCanceled)
            {
                waiter.Registration = cancellationToken.Register(() => Abandon(waiter, cancellationToken));
            }
            return WaitThenPaceAsync(waiter, cancellationToken);
        }

        private async Task<IAttemptLease> WaitThenPaceAsync(Waiter waiter, CancellationToken cancellationToken)
        {
            Lease lease = await waiter.Task.ConfigureAwait(false);
            waiter.Registration.Dispose();
            lock (gate) granting--;
            OnChanged();
            return await Paced(lease, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>The token is taken with the place already held, right before the attempt, so a burst is what the server sees.</summary>
        private Task<IAttemptLease> Paced(Lease lease, CancellationToken cancellationToken)
        {
            if (bucket == null) return Task.FromResult<IAttemptLease>(lease);
            Task wait = bucket.TakeAsync(cancellationToken);
            if (wait.Status == TaskStatus.RanToCompletion) return Task.FromResult<IAttemptLease>(lease);
            return AfterAsync(wait, lease);
        }

        private static async Task<IAttemptLease> AfterAsync(Task wait, Lease lease)
        {
            try
            {
                await wait.ConfigureAwait(false);
            }
            catch
            {
                lease.End(AttemptSignal.Failed);
                throw;
            }
            return lease;
        }

        private void Abandon(Waiter waiter, CancellationToken cancellationToken)
        {
            lock (gate)
            {
                if (waiter.Node?.List == null) return;
                waiters.Remove(waiter.Node);
                if (waiter.ForAnswer) waitingForAnswer--;
            }
            waiter.TrySetCanceled(cancellationToken);
            OnChanged();
        }

        private void Exit(long startedIn, AttemptSignal signal)
        {
            string? line = null;
            var granted = new List<KeyValuePair<Waiter, Lease>>();
            lock (gate)
            {
                active--;
                if (bucket == null)
                {
                    if (signal == AttemptSignal.Throttled && startedIn == epoch && limit > 1)
                    {
                        limit = Math.Max(1, limit / 2);
                        epoch++;
                        if (report != null) line = string.Format(CultureInfo.InvariantCulture,
                            "HTTP 429: lowered the batch's concurrency to {0} of {1}.", limit, ThrottleLimit);
                    }
                    else if (signal == AttemptSignal.Succeeded && limit < ThrottleLimit)
                    {
                        limit++;
                        if (report != null) line = string.Format(CultureInfo.InvariantCulture,
                            "Raised the batch's concurrency to {0} of {1}.", limit, ThrottleLimit);
                    }
                }
                // An answer that came back frees one place the server will accept: the first attempt waiting for one takes
                // it, unless an earlier waiter did; other waiters take any free place.
                if (signal == AttemptSignal.Succeeded && answered < ThrottleLimit) answered++;
                LinkedListNode<Waiter>? node = waiters.First;
                while (node != null && active < limit)
                {
                    LinkedListNode<Waiter>? after = node.Next;
                    Waiter next = node.Value;
                    if (next.ForAnswer)
                    {
                        if (answered == 0 && active > 0)
                        {
                            node = after;
                            continue;
                        }
                        waitingForAnswer--;
                    }
                    waiters.Remove(node);
                    active++;
                    if (answered > 0) answered--;
                    granting++;
                    granted.Add(new KeyValuePair<Waiter, Lease>(next, new Lease(this, epoch)));
                    node = after;
                }
            }
            if (line != null) report!(line);
            // Completed outside the lock: a waiter's continuation may run at once and enter again.
            foreach (KeyValuePair<Waiter, Lease> pair in granted)
            {
                if (pair.Key.TrySetResult(pair.Value)) continue;
                lock (gate) granting--;
                pair.Value.End(AttemptSignal.Failed);
            }
            OnChanged();
        }

        private void OnChanged()
        {
            try
            {
                Changed?.Invoke();
            }
            catch (ObjectDisposedException)
            {
                // The listener is gone (the cmdlet finished); nobody is waiting for the news.
            }
        }

        private sealed class Waiter : TaskCompletionSource<Lease>
        {
            private readonly long call;
            private readonly int attempt;

            public Waiter(long call, int attempt, bool forAnswer)
                : base(TaskCreationOptions.RunContinuationsAsynchronously)
            {
                this.call = call;
                this.attempt = attempt;
                ForAnswer = forAnswer;
            }

            /// <summary>Goes only when an answer comes back, or when nothing is in flight.</summary>
            public bool ForAnswer { get; }

            public bool GoesBefore(Waiter other) => attempt != other.attempt ? attempt > other.attempt : call < other.call;

            public LinkedListNode<Waiter>? Node { get; set; }

            public CancellationTokenRegistration Registration { get; set; }
        }

        private sealed class Lease : IAttemptLease
        {
            private readonly BatchScheduler owner;
            private readonly long startedIn;
            private int ended;

            public Lease(BatchScheduler owner, long startedIn)
            {
                this.owner = owner;
                this.startedIn = startedIn;
            }

            public void End(AttemptSignal signal)
            {
                if (Interlocked.Exchange(ref ended, 1) == 0) owner.Exit(startedIn, signal);
            }
        }
    }
}
