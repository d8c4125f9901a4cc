using System;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace CloudflareAI.TestServer
{
    /// <summary>Polls the process that started the emulator (the test run) once a second, so a killed
    /// test run leaves no emulator behind. Compares start times so a recycled PID does not count as alive.</summary>
    internal sealed class ParentWatch
    {
        private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

        private readonly int _pid;
        private readonly DateTime? _startTime;

        private ParentWatch(int pid, DateTime? startTime)
        {
            _pid = pid;
            _startTime = startTime;
        }

        /// <summary>A watch on a running process, or null when no such process runs now.</summary>
        public static ParentWatch? TryStart(int pid)
        {
            try
            {
                using var p = Process.GetProcessById(pid);
                if (p.HasExited || IsZombie(pid)) return null;
                return new ParentWatch(pid, StartTimeOf(p));
            }
            catch (Exception e) when (e is ArgumentException || e is InvalidOperationException)
            {
                return null;
            }
        }

        public void WhenGone(Action onGone)
        {
            _ = Task.Run(async () =>
            {
                using var timer = new PeriodicTimer(Interval);
                while (await timer.WaitForNextTickAsync())
                {
                    if (IsAlive()) continue;
                    onGone();
                    // Graceful stop is bounded by HostOptions.ShutdownTimeout; this is the backstop.
                    await Task.Delay(TimeSpan.FromSeconds(10));
                    Environment.Exit(4);
                }
            });
        }

        private bool IsAlive()
        {
            try
            {
                using var p = Process.GetProcessById(_pid);
                if (p.HasExited || IsZombie(_pid)) return false;
                return _startTime is not { } expected || StartTimeOf(p) is not { } actual || actual == expected;
            }
            catch (Exception e) when (e is ArgumentException || e is InvalidOperationException)
            {
                return false;
            }
        }

        private static DateTime? StartTimeOf(Process p)
        {
            try
            {
                return p.StartTime;
            }
            catch (Exception e) when (e is Win32Exception || e is InvalidOperationException || e is NotSupportedException)
            {
                return null;
            }
        }

        /// <summary>On Linux a killed parent stays a zombie until its own parent reaps it; it still has a
        /// PID and /proc entry, but it is gone for our purposes.</summary>
        private static bool IsZombie(int pid)
        {
            if (!OperatingSystem.IsLinux()) return false;
            try
            {
                string stat = File.ReadAllText("/proc/" + pid + "/stat");
                int close = stat.LastIndexOf(')');
                return close >= 0 && close + 2 < stat.Length && (stat[close + 2] == 'Z' || stat[close + 2] == 'X');
            }
            catch (IOException)
            {
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return false;
            }
        }
    }
}
