using System;
using System.Collections.Generic;

namespace CloudflareAI.Environment
{
    /// <summary>Reads environment variables. The core never touches the process environment directly,
    /// so tests inject their own table.</summary>
    public interface IEnvironmentReader
    {
        /// <summary>The value, or null when the variable is not set.</summary>
        string? Get(string name);
    }

    /// <summary>The real process environment, read at the moment of the call.</summary>
    public sealed class ProcessEnvironmentReader : IEnvironmentReader, IEnvironmentListing
    {
        /// <summary>The one instance.</summary>
        public static readonly ProcessEnvironmentReader Instance = new ProcessEnvironmentReader();

        private ProcessEnvironmentReader() { }

        /// <inheritdoc/>
        public string? Get(string name) => System.Environment.GetEnvironmentVariable(name);

        /// <inheritdoc/>
        public IEnumerable<KeyValuePair<string, string>> List()
        {
            foreach (System.Collections.DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
            {
                if (entry.Key is string name && entry.Value is string value) yield return new KeyValuePair<string, string>(name, value);
            }
        }
    }

    /// <summary>A fixed table, for tests and for callers that assemble their own environment.</summary>
    public sealed class DictionaryEnvironmentReader : IEnvironmentReader, IEnvironmentListing
    {
        private readonly Dictionary<string, string> _values;

        /// <summary>An environment holding these values (none when null).</summary>
        public DictionaryEnvironmentReader(IEnumerable<KeyValuePair<string, string>>? values = null)
        {
            // Variable names are case-sensitive on Linux and macOS; keep them exact here too.
            _values = new Dictionary<string, string>(StringComparer.Ordinal);
            if (values != null)
            {
                foreach (var pair in values) _values[pair.Key] = pair.Value;
            }
        }

        /// <inheritdoc/>
        public string? Get(string name) => _values.TryGetValue(name, out var value) ? value : null;

        /// <inheritdoc/>
        public IEnumerable<KeyValuePair<string, string>> List() => _values;
    }

    /// <summary>Which variable names hold secrets: their values are never echoed.</summary>
    public static class SecretNames
    {
        private static readonly string[] Markers = { "TOKEN", "KEY", "SECRET", "PASSWORD" };

        /// <summary>True when the name contains TOKEN, KEY, SECRET or PASSWORD (any case).</summary>
        public static bool IsSecretVariable(string name)
        {
            foreach (var marker in Markers)
            {
                if (name.IndexOf(marker, StringComparison.OrdinalIgnoreCase) >= 0) return true;
            }
            return false;
        }

        private static readonly string[] HeaderMarkers = { "auth", "token", "key", "secret", "password", "cookie" };

        /// <summary>
        /// The one rule for header names whose values are secret: any name containing auth, token, key, secret,
        /// password or cookie (any case), so Authorization, cf-aig-authorization, api-key and Cookie. Such a value is
        /// masked by the redactor wherever it could come back (an error body, an answer), and shown as *** in the
        /// -Debug header dump, -Verbose and -WhatIf.
        /// </summary>
        public static bool IsSecretHeader(string? name)
        {
            if (string.IsNullOrEmpty(name)) return false;
            foreach (var marker in HeaderMarkers)
            {
                if (name!.IndexOf(marker, StringComparison.OrdinalIgnoreCase) >= 0) return true;
            }
            return false;
        }
    }
}
