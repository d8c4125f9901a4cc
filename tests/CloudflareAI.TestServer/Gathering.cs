using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace CloudflareAI.TestServer
{
    /// <summary>
    /// <c>X-Emulator-Gather: N</c>: each request of a run waits until N requests of that run have arrived, so a test proves
    /// that N requests were in flight together by the fact that they were answered at all, whatever the speed of the
    /// machine. A client that sends them one after another never gathers N; after <see cref="GuardSeconds"/> each waiting
    /// request is answered with the usual loud 400, so such a test fails instead of hanging.
    /// </summary>
    internal sealed class Gathering
    {
        public const string Header = "x-emulator-gather";

        /// <summary>Only a guard against a client that never sends the rest; no test waits for it when the client is right.</summary>
        public const int GuardSeconds = 120;

        private const int MaxCount = 1000;

        private readonly ConcurrentDictionary<string, Group> _groups = new(StringComparer.Ordinal);

        public void Clear() => _groups.Clear();

        /// <summary>Returns at once without the header; otherwise when the run's N-th request has arrived.</summary>
        public async Task WaitAsync(RequestRecord record, CancellationToken ct)
        {
            if (record.Header(Header) is not { } text) return;
            int count = Parse(text);
            string run = record.Header(EmulatorHeaders.Run)
                ?? throw new EmulatorUsageException("X-Emulator-Gather needs X-Emulator-Run, so that the requests it gathers are one run's.");
            Group group = _groups.GetOrAdd(run + "\n" + count.ToString(CultureInfo.InvariantCulture), _ => new Group());
            if (Interlocked.Increment(ref group.Arrived) >= count) group.All.TrySetResult(true);
            Task all = group.All.Task;
            Task first = await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(GuardSeconds), ct));
            ct.ThrowIfCancellationRequested();
            if (first != all)
            {
                throw new EmulatorUsageException(
                    $"X-Emulator-Gather: only {Volatile.Read(ref group.Arrived)} of {count} requests of run '{run}' arrived within {GuardSeconds} s; the client did not send them together.");
            }
        }

        public static void Validate(RequestRecord record)
        {
            if (record.Header(Header) is { } text) Parse(text);
        }

        private static int Parse(string text)
        {
            if (int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int count) && count >= 1 && count <= MaxCount) return count;
            throw new EmulatorUsageException($"X-Emulator-Gather must be a whole number of requests from 1 to {MaxCount}, not '{text}'.");
        }

        private sealed class Group
        {
            public readonly TaskCompletionSource<bool> All = new(TaskCreationOptions.RunContinuationsAsynchronously);
            public int Arrived;
        }
    }
}
