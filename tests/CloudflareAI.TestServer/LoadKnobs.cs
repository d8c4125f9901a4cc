using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace CloudflareAI.TestServer
{
    /// <summary>
    /// The knobs a batch is measured with, each keyed by <c>X-Emulator-Run</c>: a per-window request limit answering 429
    /// code 3021 without Retry-After (what Workers AI sends past its per-minute limit), random faults at given rates, and a
    /// gauge of requests in flight over time.
    /// </summary>
    internal sealed class LoadKnobs
    {
        public const string FaultRateHeader = "x-emulator-fault-rate";
        public const string RateLimitHeader = "x-emulator-rate-limit";

        private const string PerMinuteBody =
            "{\"errors\":[{\"message\":\"AiError: AiError: rate limiting: inference request per min rate reached (8700d6e7)\",\"code\":3021}],\"success\":false,\"result\":{},\"messages\":[]}";
        private const string CapacityBody =
            "{\"errors\":[{\"message\":\"AiError: AiError: Capacity temporarily exceeded, please try again. (c0ffee01)\",\"code\":3040}],\"success\":false,\"result\":{},\"messages\":[]}";

        private static readonly double TicksPerSecond = Stopwatch.Frequency;

        private readonly ConcurrentDictionary<string, RunGauge> _gauges = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

        public void Clear()
        {
            _gauges.Clear();
            _windows.Clear();
        }

        public void Enter(RequestRecord record) => Gauge(record).Enter(record.Body);

        public void Exit(RequestRecord record) => Gauge(record).Exit();

        /// <summary>The gauge of one run as JSON, or null when the run sent nothing.</summary>
        public string? RunJson(string run) => _gauges.TryGetValue(run, out RunGauge? gauge) ? gauge.Json() : null;

        /// <summary>Both headers are read before anything is answered, so a typo fails loudly even on a request let through.</summary>
        public static void Validate(RequestRecord record)
        {
            if (record.Header(FaultRateHeader) is { } rates) FaultRates.Parse(rates);
            if (record.Header(RateLimitHeader) is { } limit) RateLimit.Parse(limit);
        }

        /// <summary>Past the run's limit: 429 code 3021 at once, no Retry-After. Refused requests do not count toward the limit.</summary>
        public async Task<bool> TryRefuseAsync(HttpContext ctx, RequestRecord record)
        {
            if (record.Header(RateLimitHeader) is not { } text) return false;
            RateLimit limit = RateLimit.Parse(text);
            string key = (record.Header(EmulatorHeaders.Run) ?? string.Empty) + "\n" + text;
            Window window = _windows.GetOrAdd(key, _ => new Window());
            if (window.TryAccept(limit)) return false;
            Gauge(record).Refused();
            await JsonAsync(ctx, 429, PerMinuteBody, retryAfter: null);
            return true;
        }

        /// <summary>A random fault at the rates asked for: 429 (code 3040), 500, 502 or 503, with an optional Retry-After drawn from a range.</summary>
        public async Task<bool> TryInjectAsync(HttpContext ctx, RequestRecord record)
        {
            if (record.Header(FaultRateHeader) is not { } text) return false;
            FaultRates rates = FaultRates.Parse(text);
            double draw = Random.Shared.NextDouble();
            foreach ((int status, double rate) in rates.Rates)
            {
                if (draw >= rate)
                {
                    draw -= rate;
                    continue;
                }
                string? retryAfter = rates.RetryAfterMax is { } max
                    ? Random.Shared.Next(rates.RetryAfterMin, max + 1).ToString(CultureInfo.InvariantCulture)
                    : null;
                Gauge(record).Faulted();
                string body = status switch
                {
                    429 => CapacityBody,
                    503 => FaultResponder.Envelope(7009, "Upstream service unavailable"),
                    502 => FaultResponder.Envelope(7009, "Bad gateway"),
                    _ => "{\"error\":{\"message\":\"internal error\",\"type\":\"server_error\"}}",
                };
                await JsonAsync(ctx, status, body, retryAfter);
                return true;
            }
            return false;
        }

        private RunGauge Gauge(RequestRecord record) => _gauges.GetOrAdd(record.Header(EmulatorHeaders.Run) ?? string.Empty, _ => new RunGauge());

        private static async Task JsonAsync(HttpContext ctx, int status, string body, string? retryAfter)
        {
            HttpResponse response = ctx.Response;
            response.StatusCode = status;
            response.ContentType = "application/json";
            if (retryAfter is not null) response.Headers.RetryAfter = retryAfter;
            byte[] bytes = Encoding.UTF8.GetBytes(body);
            response.ContentLength = bytes.Length;
            await response.Body.WriteAsync(bytes, ctx.RequestAborted);
        }

        /// <summary><c>N/S</c>: at most N accepted requests in any S seconds (a sliding window), e.g. <c>600/60</c> or <c>2/1</c>.</summary>
        private readonly record struct RateLimit(int Count, double Seconds)
        {
            public static RateLimit Parse(string text)
            {
                string[] parts = text.Split('/');
                if (parts.Length == 2
                    && int.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int count) && count >= 1
                    && double.TryParse(parts[1].Trim().TrimEnd('s'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double seconds)
                    && seconds > 0 && seconds <= 3600)
                {
                    return new RateLimit(count, seconds);
                }
                throw new EmulatorUsageException($"X-Emulator-Rate-Limit must be N/S (at most N requests in any S seconds, e.g. 600/60 or 2/1), not '{text}'.");
            }
        }

        /// <summary><c>429=0.1,503=0.1[; retryAfter=A-B]</c>: each status at its rate (together at most 1); Retry-After a whole
        /// number of seconds drawn from A to B.</summary>
        private sealed class FaultRates
        {
            private static readonly int[] Statuses = { 429, 500, 502, 503 };

            public List<(int Status, double Rate)> Rates { get; } = new();

            public int RetryAfterMin { get; private set; }

            public int? RetryAfterMax { get; private set; }

            public static FaultRates Parse(string text)
            {
                var result = new FaultRates();
                string[] parts = text.Split(';');
                double total = 0;
                foreach (string pair in parts[0].Split(','))
                {
                    string[] kv = pair.Split('=');
                    if (kv.Length != 2
                        || !int.TryParse(kv[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int status) || Array.IndexOf(Statuses, status) < 0
                        || !double.TryParse(kv[1].Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double rate) || rate > 1)
                    {
                        throw Usage(text);
                    }
                    result.Rates.Add((status, rate));
                    total += rate;
                }
                if (total > 1) throw Usage(text);
                for (int i = 1; i < parts.Length; i++)
                {
                    string part = parts[i].Trim();
                    if (part.Length == 0) continue;
                    string[] kv = part.Split('=');
                    string key = kv[0].Trim();
                    if (kv.Length != 2 || !(key.Equals("retryAfter", StringComparison.OrdinalIgnoreCase) || key.Equals("retry-after", StringComparison.OrdinalIgnoreCase)))
                    {
                        throw Usage(text);
                    }
                    string[] range = kv[1].Split('-');
                    if (range.Length > 2
                        || !int.TryParse(range[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int min)
                        || !int.TryParse(range[^1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int max) || max < min || max > 3600)
                    {
                        throw Usage(text);
                    }
                    result.RetryAfterMin = min;
                    result.RetryAfterMax = max;
                }
                return result;
            }

            private static EmulatorUsageException Usage(string text) => new(
                $"X-Emulator-Fault-Rate must be status=rate pairs from 429, 500, 502, 503 (rates together at most 1), then an optional '; retryAfter=A-B' in whole seconds, e.g. '429=0.1,503=0.1; retryAfter=0-1'; not '{text}'.");
        }

        /// <summary>The accepted requests' times of one (run, limit) pair.</summary>
        private sealed class Window
        {
            private readonly Queue<long> _accepted = new();

            public bool TryAccept(RateLimit limit)
            {
                long now = Stopwatch.GetTimestamp();
                long span = (long)(limit.Seconds * TicksPerSecond);
                lock (_accepted)
                {
                    while (_accepted.Count > 0 && now - _accepted.Peek() >= span) _accepted.Dequeue();
                    if (_accepted.Count >= limit.Count) return false;
                    _accepted.Enqueue(now);
                    return true;
                }
            }
        }

        /// <summary>Chat requests of one run being answered, integrated over time: the average while the run sent requests
        /// (first arrival to last arrival), while it still sent prompts for the first time (first arrival to the last
        /// arrival of a body not seen before: a retry sends the same body again), and over its whole life (first arrival
        /// to last answer).</summary>
        private sealed class RunGauge
        {
            private readonly object _gate = new();
            private long _current;
            private long _peak;
            private long _requests;
            private long _refused;
            private long _faulted;
            private long _first;
            private long _lastChange;
            private long _lastArrival;
            private double _area;
            private double _areaAtLastArrival;
            private long _lastFirstArrival;
            private double _areaAtLastFirstArrival;
            private readonly HashSet<string> _bodies = new(StringComparer.Ordinal);

            public void Enter(string body)
            {
                long now = Stopwatch.GetTimestamp();
                lock (_gate)
                {
                    if (_requests == 0) _first = _lastChange = now;
                    Advance(now);
                    _current++;
                    _requests++;
                    _peak = Math.Max(_peak, _current);
                    _lastArrival = now;
                    _areaAtLastArrival = _area;
                    if (_bodies.Add(body))
                    {
                        _lastFirstArrival = now;
                        _areaAtLastFirstArrival = _area;
                    }
                }
            }

            public void Exit()
            {
                long now = Stopwatch.GetTimestamp();
                lock (_gate)
                {
                    Advance(now);
                    _current--;
                }
            }

            public void Refused()
            {
                lock (_gate) _refused++;
            }

            public void Faulted()
            {
                lock (_gate) _faulted++;
            }

            public string Json()
            {
                lock (_gate)
                {
                    double sending = (_lastArrival - _first) / TicksPerSecond;
                    double total = (_lastChange - _first) / TicksPerSecond;
                    double firstSending = (_lastFirstArrival - _first) / TicksPerSecond;
                    return string.Format(CultureInfo.InvariantCulture,
                        "{{\"requests\":{0},\"inFlight\":{1},\"peakInFlight\":{2},\"refused\":{3},\"faulted\":{4},\"sendingSeconds\":{5:0.######},\"averageInFlightWhileSending\":{6:0.####},\"seconds\":{7:0.######},\"averageInFlight\":{8:0.####},\"prompts\":{9},\"promptSendingSeconds\":{10:0.######},\"averageInFlightWhilePromptsRemain\":{11:0.####}}}",
                        _requests, _current, _peak, _refused, _faulted, sending, sending > 0 ? _areaAtLastArrival / TicksPerSecond / sending : _current,
                        total, total > 0 ? _area / TicksPerSecond / total : _current,
                        _bodies.Count, firstSending, firstSending > 0 ? _areaAtLastFirstArrival / TicksPerSecond / firstSending : _current);
                }
            }

            private void Advance(long now)
            {
                _area += _current * (double)(now - _lastChange);
                _lastChange = now;
            }
        }
    }
}
