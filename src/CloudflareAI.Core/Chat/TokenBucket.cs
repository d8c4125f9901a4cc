using System;
using System.Threading;
using System.Threading.Tasks;

namespace CloudflareAI.Chat
{
    /// <summary>
    /// Paces requests to N per minute: a bucket of ceil(N/60) tokens (at least 1), starting with one, that refills at N/60 per second on the
    /// injected clock. A caller that finds the bucket empty books the next token and waits for its time, so waiters are served
    /// in the order they came and each waits once, without polling.
    /// </summary>
    internal sealed class TokenBucket
    {
        /// <summary>
        /// The share of N that the bucket actually sends. A server counts at most N in any window by the arrival times it
        /// sees, and those carry the jitter of both machines' schedulers: paced exactly at N, request k and request k + N
        /// arrive one window apart give or take that jitter, so about every other request past the first window would be
        /// refused, and each refusal costs a token. 3% under N is 1.8 s of slack in a 60 s window (30 ms in a 1 s one).
        /// </summary>
        public const double PaceShare = 0.97;

        private readonly IChatClock timer;
        private readonly object gate = new object();
        private readonly double perSecond;
        private double tokens;
        private DateTimeOffset refilledAt;

        public TokenBucket(int requestsPerMinute, IChatClock timer)
        {
            if (requestsPerMinute < 1) throw new ArgumentOutOfRangeException(nameof(requestsPerMinute), "At least 1 request per minute.");
            this.timer = timer ?? throw new ArgumentNullException(nameof(timer));
            RequestsPerMinute = requestsPerMinute;
            perSecond = requestsPerMinute / 60.0 * PaceShare;
            Burst = Math.Max(1, (requestsPerMinute + 59) / 60);
            // A batch starts at the pace, not with a burst: the server's window may still hold what was sent just before,
            // and a full bucket plus its first second's refill would send twice the rate in that second. A burst needs a
            // quiet spell to build up, as after one it does.
            tokens = 1;
            refilledAt = timer.UtcNow;
        }

        public int RequestsPerMinute { get; }

        /// <summary>How many requests may go at once after a quiet spell.</summary>
        public int Burst { get; }

        /// <summary>Takes one token, waiting for it when the bucket is empty.</summary>
        public Task TakeAsync(CancellationToken cancellationToken)
        {
            TimeSpan wait;
            lock (gate)
            {
                DateTimeOffset now = timer.UtcNow;
                double elapsed = (now - refilledAt).TotalSeconds;
                // A clock that steps back adds nothing (and takes nothing away).
                if (elapsed > 0)
                {
                    tokens = Math.Min(Burst, tokens + elapsed * perSecond);
                    refilledAt = now;
                }
                // Booked tokens go below zero: the debt says how long the next caller waits.
                tokens -= 1;
                if (tokens >= 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    return Task.CompletedTask;
                }
                // Rounded up to whole milliseconds: the timer cuts below that, and early would break the pace.
                wait = TimeSpan.FromMilliseconds(Math.Ceiling(-tokens / perSecond * 1000));
            }
            return timer.Delay(wait, cancellationToken);
        }
    }
}
