using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace CloudflareAI.Chat.Retry
{
    /// <summary>
    /// The one attempt loop, for chat calls and Cloudflare API reads alike: run an attempt; on failure, wait as its
    /// <see cref="RetryDecision"/> says on the injected clock and say so in -Verbose, or stop.
    /// </summary>
    internal static class AttemptLoop
    {
        /// <summary>Runs attempts until one succeeds or the decision is to stop.</summary>
        /// <param name="attempt">Runs attempt number n (1-based).</param>
        /// <param name="clock">Where the waits between attempts happen.</param>
        /// <param name="verbose">Gets "Attempt n failed (why); retrying in s s" before each wait; null for none.</param>
        /// <param name="cancellationToken">Stops the loop between attempts and during a wait.</param>
        /// <returns>The last attempt's outcome (succeeded, or failed for good) and how many attempts ran.</returns>
        public static async Task<(AttemptOutcome<T> Last, int Attempts)> RunAsync<T>(Func<int, Task<AttemptOutcome<T>>> attempt, IChatClock clock,
            Action<string>? verbose, CancellationToken cancellationToken) where T : class
        {
            for (int n = 1; ; n++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                AttemptOutcome<T> outcome = await attempt(n).ConfigureAwait(false);
                if (outcome.Result != null || !outcome.Decision!.Retry) return (outcome, n);
                verbose?.Invoke($"Attempt {n} failed ({outcome.Why}); retrying in {Seconds(outcome.Decision.Delay)} s");
                await clock.Delay(outcome.Decision.Delay, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Seconds as -Verbose shows them: up to three decimals, invariant culture.</summary>
        public static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

        /// <summary>
        /// Starts (or restarts) an attempt's timeout on the clock; zero or negative means no limit, as with
        /// Invoke-RestMethod -TimeoutSec 0, and CancelAfter cannot take more than int.MaxValue ms.
        /// </summary>
        public static void RestartTimeout(IChatClock clock, CancellationTokenSource source, TimeSpan timeout)
        {
            if (timeout <= TimeSpan.Zero || timeout.TotalMilliseconds > int.MaxValue) return;
            try
            {
                clock.CancelAfter(source, timeout);
            }
            catch (ObjectDisposedException)
            {
                // The attempt is over.
            }
        }
    }
}
