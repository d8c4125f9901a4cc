using System;
using System.Collections.Generic;
using System.Globalization;

namespace CloudflareAI
{
    /// <summary>One model of a host's live catalog (Get-AIModel).</summary>
    public sealed class ModelInfo
    {
        /// <summary>The callable name, what -Model takes (Workers AI: the catalog's <c>name</c>, not its uuid <c>id</c>).</summary>
        public string Name { get; set; } = string.Empty;

        /// <summary>The alias it was listed through.</summary>
        public string Provider { get; set; } = string.Empty;

        /// <summary>The catalog's task name ("Text Generation"); null where the host does not say.</summary>
        public string? Task { get; set; }

        /// <summary>The catalog's description, or null.</summary>
        public string? Description { get; set; }

        /// <summary>Tokens, when the catalog gives them.</summary>
        public int? ContextWindow { get; set; }

        /// <summary>FunctionCalling, Reasoning, Vision, Lora, AsyncQueue, Beta: what the catalog marks as true.</summary>
        public string[] Capabilities { get; set; } = new string[0];

        /// <summary>Cloudflare's require_workers_paid: calls on Workers Free fail with 5035.</summary>
        public bool RequiresPaidPlan { get; set; }

        /// <summary>The catalog's planned_deprecation_date (UTC); null when none is planned.</summary>
        public DateTime? PlannedDeprecation { get; set; }

        /// <summary>The planned deprecation date has passed (by the module's clock when the catalog was read).</summary>
        public bool IsDeprecated { get; set; }

        /// <summary>Per-million-token prices, when the catalog gives them.</summary>
        public ModelPrice? Price { get; set; }

        /// <summary>When the model was added (UTC).</summary>
        public DateTime? Created { get; set; }

        /// <summary>The OpenAI-style list's owned_by; null for Workers AI.</summary>
        public string? OwnedBy { get; set; }

        /// <inheritdoc/>
        public override string ToString() => Name;
    }

    /// <summary>A model's token prices, per million tokens.</summary>
    public sealed class ModelPrice
    {
        /// <summary>Price of a million input tokens.</summary>
        public double? InputPerMillion { get; set; }

        /// <summary>Price of a million output tokens.</summary>
        public double? OutputPerMillion { get; set; }

        /// <summary>The currency of both prices.</summary>
        public string? Currency { get; set; }

        /// <inheritdoc/>
        public override string ToString()
        {
            var parts = new List<string>();
            string unit = string.IsNullOrEmpty(Currency) || Currency == "USD" ? "$" : Currency + " ";
            if (InputPerMillion.HasValue) parts.Add(unit + InputPerMillion.Value.ToString("0.####", CultureInfo.InvariantCulture) + "/M in");
            if (OutputPerMillion.HasValue) parts.Add(unit + OutputPerMillion.Value.ToString("0.####", CultureInfo.InvariantCulture) + "/M out");
            return string.Join(", ", parts);
        }
    }
}
