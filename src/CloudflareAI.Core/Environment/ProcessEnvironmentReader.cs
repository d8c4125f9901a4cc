using System;
using System.Collections.Generic;

namespace CloudflareAI.Environment
{
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
}
