using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;

namespace CloudflareAI.Endpoints
{
    /// <summary>What the user asked for, before anything is resolved.</summary>
    public sealed class EndpointOverrides
    {
        /// <summary>-Provider; null to auto-select.</summary>
        public string? Provider { get; set; }

        /// <summary>-Model; null for the alias's default.</summary>
        public string? Model { get; set; }

        /// <summary>-BaseUrl, a template.</summary>
        public string? BaseUrl { get; set; }

        /// <summary>-Header: name to value template, added after the alias's own headers (same name replaces).</summary>
        public IReadOnlyList<KeyValuePair<string, string>> Headers { get; set; } = new KeyValuePair<string, string>[0];

        /// <summary>-ApiKey in plain text; replaces the alias's token variable.</summary>
        public string? ApiKey { get; set; }

        /// <summary>False for calls that name no model (a model list, an online check): no ModelNotSpecified, and
        /// <see cref="ResolvedEndpoint.Model"/> is empty when neither -Model nor a default gives one.</summary>
        public bool RequireModel { get; set; } = true;

        /// <summary>An embeddings call: the alias's default embedding model stands in for -Model, not its chat model.</summary>
        public bool ForEmbeddings { get; set; }

        /// <summary>The -Gateway* controls; null or empty when none was given. Only gateway aliases take them.</summary>
        public GatewayOptions? Gateway { get; set; }
    }
}
