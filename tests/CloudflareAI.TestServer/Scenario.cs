using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace CloudflareAI.TestServer
{
    /// <summary>A fault chosen by <c>X-Emulator-Scenario: name[; key=value ...]</c>.</summary>
    internal sealed class Scenario
    {
        private static readonly string[] RetryAfterParams = { "retryAfter", "retryAfterDate" };

        /// <summary>Each known scenario and the parameters it takes besides <c>times</c>.</summary>
        public static readonly IReadOnlyDictionary<string, string[]> Known = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
        {
            ["rate-limit"] = RetryAfterParams.Append("code").ToArray(),
            ["quota"] = RetryAfterParams.Append("code").ToArray(),
            ["unavailable"] = RetryAfterParams,
            ["server-error"] = RetryAfterParams,
            ["unauthorized"] = Array.Empty<string>(),
            ["forbidden"] = Array.Empty<string>(),
            ["gateway-unauthorized"] = Array.Empty<string>(),
            ["not-found"] = Array.Empty<string>(),
            ["model-3042"] = Array.Empty<string>(),
            ["model-5007"] = Array.Empty<string>(),
            ["bad-account"] = Array.Empty<string>(),
            ["errors-object"] = Array.Empty<string>(),
            ["openai-error"] = Array.Empty<string>(),
            ["html-502"] = RetryAfterParams,
            ["truncated"] = new[] { "end" },
            ["slow"] = new[] { "delayMs" },
            ["slow-stream"] = new[] { "delayMs" },
            ["echo-token"] = new[] { "form" },
            ["echo-token-success"] = Array.Empty<string>(),
            ["redirect"] = new[] { "location", "status" },
            ["reset"] = Array.Empty<string>(),
            ["plan-required"] = Array.Empty<string>(),
            ["schema-stream"] = Array.Empty<string>(),
            ["invalid-input"] = Array.Empty<string>(),
            ["provider-credentials"] = Array.Empty<string>(),
            ["unified-billing-credential"] = Array.Empty<string>(),
            ["insufficient-quota"] = Array.Empty<string>(),
            ["stream-error"] = new[] { "code" },
        };

        private readonly Dictionary<string, string> _params;

        private Scenario(string name, Dictionary<string, string> parameters)
        {
            Name = name;
            _params = parameters;
        }

        /// <summary>The canonical (lower-case) scenario name.</summary>
        public string Name { get; }

        /// <summary>Fail only the first N requests of this (scenario, X-Emulator-Run) pair; null = always.</summary>
        public int? Times { get; private set; }

        public string? Param(string name) => _params.TryGetValue(name, out var v) ? v : null;

        public int IntParam(string name, int fallback, int min, int max)
        {
            if (Param(name) is not { } text) return fallback;
            if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
                throw new EmulatorUsageException($"Scenario '{Name}': {name} must be a whole number from {min} to {max}, not '{text}'.");
            return value;
        }

        public string ChoiceParam(string name, params string[] choices)
        {
            if (Param(name) is not { } text) return choices[0];
            foreach (var c in choices)
            {
                if (c.Equals(text, StringComparison.OrdinalIgnoreCase)) return c;
            }
            throw new EmulatorUsageException($"Scenario '{Name}': {name} must be one of {string.Join(", ", choices)}, not '{text}'.");
        }

        /// <summary>Parses the header. A typo anywhere (name, parameter, value) is an
        /// <see cref="EmulatorUsageException"/>: a test that asked for a fault must not silently get a success.</summary>
        public static Scenario Parse(string header)
        {
            string[] parts = header.Split(';');
            string name = parts[0].Trim();
            if (!Known.TryGetValue(name, out var allowed))
            {
                throw new EmulatorUsageException(
                    $"Unknown X-Emulator-Scenario '{name}'. Known scenarios: {string.Join(", ", Known.Keys)}. " +
                    "Parameters follow the name: 'rate-limit; times=1; retryAfter=2'.");
            }

            var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (int i = 1; i < parts.Length; i++)
            {
                string part = parts[i].Trim();
                if (part.Length == 0) continue;
                int eq = part.IndexOf('=');
                if (eq <= 0) throw new EmulatorUsageException($"Scenario '{name}': parameter '{part}' is not key=value.");
                string key = part.Substring(0, eq).Trim();
                string value = part.Substring(eq + 1).Trim();
                string? canonical = key.Equals("times", StringComparison.OrdinalIgnoreCase)
                    ? "times"
                    : allowed.FirstOrDefault(a => a.Equals(key, StringComparison.OrdinalIgnoreCase));
                if (canonical is null)
                {
                    throw new EmulatorUsageException(
                        $"Scenario '{name}' takes no parameter '{key}'. It takes: {string.Join(", ", allowed.Prepend("times"))}.");
                }
                parameters[canonical] = value;
            }

            var scenario = new Scenario(name.ToLowerInvariant(), parameters);
            if (scenario.Param("times") is not null) scenario.Times = scenario.IntParam("times", 0, 0, int.MaxValue);
            return scenario;
        }
    }
}
