using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace CloudflareAI.Tests.Aliases
{
    /// <summary>The alias table as tests/data/aliases.json writes it out by hand (the Pester tests read the same file):
    /// the catalog is checked against this, never against itself.</summary>
    public static class ExpectedAliases
    {
        public sealed class Row
        {
            public Row(string name, string? baseUrlTemplate, string? tokenVariable, bool coalesces, string? defaultModel,
                IReadOnlyDictionary<string, string> headers, string? tokenHeader)
            {
                Name = name;
                BaseUrlTemplate = baseUrlTemplate;
                TokenVariable = tokenVariable;
                Coalesces = coalesces;
                DefaultModel = defaultModel;
                Headers = headers;
                TokenHeader = tokenHeader;
            }

            public string Name { get; }

            public string? BaseUrlTemplate { get; }

            public string? TokenVariable { get; }

            public bool Coalesces { get; }

            public string? DefaultModel { get; }

            /// <summary>The alias's default headers, values as templates.</summary>
            public IReadOnlyDictionary<string, string> Headers { get; }

            /// <summary>The header the key goes in when it is not Authorization: Bearer (azure's api-key).</summary>
            public string? TokenHeader { get; }

            public override string ToString() => Name;
        }

        public static readonly Row[] Table;

        /// <summary>The order Invoke-AIChat tries the aliases in without -Provider.</summary>
        public static readonly string[] AutoSelectionOrder;

        static ExpectedAliases()
        {
            using Stream stream = typeof(ExpectedAliases).Assembly.GetManifestResourceStream("aliases.json")
                ?? throw new InvalidOperationException("tests/data/aliases.json is not embedded in the test assembly.");
            using JsonDocument document = JsonDocument.Parse(stream);
            JsonElement root = document.RootElement;
            AutoSelectionOrder = root.GetProperty("autoSelectionOrder").EnumerateArray().Select(e => e.GetString()!).ToArray();
            Table = root.GetProperty("aliases").EnumerateArray().Select(e => new Row(
                e.GetProperty("name").GetString()!,
                Text(e, "baseUrl"),
                Text(e, "token"),
                e.GetProperty("coalesces").GetBoolean(),
                Text(e, "defaultModel"),
                e.TryGetProperty("headers", out JsonElement headers)
                    ? headers.EnumerateObject().ToDictionary(h => h.Name, h => h.Value.GetString()!)
                    : new Dictionary<string, string>(),
                Text(e, "tokenHeader"))).ToArray();
        }

        private static string? Text(JsonElement row, string name) =>
            row.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        public static TheoryData<string> Names()
        {
            var data = new TheoryData<string>();
            foreach (var row in Table) data.Add(row.Name);
            return data;
        }

        /// <summary>Aliases with a static URL and a token: the token alone makes them available.</summary>
        public static TheoryData<string, string> StaticTokenAliases()
        {
            var data = new TheoryData<string, string>();
            foreach (var row in Table)
            {
                if (row.BaseUrlTemplate != null && row.TokenVariable != null && row.BaseUrlTemplate.IndexOf('$') < 0)
                {
                    data.Add(row.Name, row.TokenVariable);
                }
            }
            return data;
        }

        public static Row Get(string name)
        {
            foreach (var row in Table)
            {
                if (row.Name == name) return row;
            }
            throw new KeyNotFoundException(name);
        }

        public static IEnumerable<string> TokenVariables()
        {
            foreach (var row in Table)
            {
                if (row.TokenVariable != null) yield return row.TokenVariable;
            }
        }
    }
}
