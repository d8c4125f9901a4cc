using System.Collections.Generic;

namespace CloudflareAI.Tests.Templates
{
    /// <summary>Builds an injected environment from "NAME=value" pairs (the value may be empty or contain '=').</summary>
    internal static class TestEnvironment
    {
        public static DictionaryEnvironmentReader Of(params string[] assignments)
        {
            var values = new List<KeyValuePair<string, string>>();
            foreach (var assignment in assignments)
            {
                int equals = assignment.IndexOf('=');
                values.Add(new KeyValuePair<string, string>(assignment.Substring(0, equals), assignment.Substring(equals + 1)));
            }
            return new DictionaryEnvironmentReader(values);
        }

        public static DictionaryEnvironmentReader Of(IDictionary<string, string> values) => new DictionaryEnvironmentReader(values);

        /// <summary>Builds an injected environment from (name, value) pairs; none gives an empty environment.</summary>
        public static DictionaryEnvironmentReader With(params (string Name, string Value)[] values)
        {
            var pairs = new List<KeyValuePair<string, string>>();
            foreach (var (name, value) in values) pairs.Add(new KeyValuePair<string, string>(name, value));
            return new DictionaryEnvironmentReader(pairs);
        }
    }
}
