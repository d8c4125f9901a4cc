using System;
using System.Collections.Generic;

namespace CloudflareAI.Aliases
{
    /// <summary>How the token is presented to the host.</summary>
    public enum TokenStyle
    {
        /// <summary>Authorization: Bearer &lt;token&gt;</summary>
        Bearer,

        /// <summary>api-key: &lt;token&gt; (Azure OpenAI)</summary>
        ApiKeyHeader,
    }

    /// <summary>
    /// The authentication rules of an authenticated Cloudflare AI Gateway, as data: the gateway's own
    /// token travels in its own header, and Authorization carries the provider key.
    /// </summary>
    public sealed class GatewayAuthentication
    {
        /// <summary>Creates the rules for one gateway alias.</summary>
        public GatewayAuthentication(string header, IReadOnlyList<string> gatewayTokenVariables, IReadOnlyList<string> providerKeyModelPrefixes)
        {
            Header = header;
            GatewayTokenVariables = gatewayTokenVariables;
            ProviderKeyModelPrefixes = providerKeyModelPrefixes;
        }

        /// <summary>The header that carries the gateway token: cf-aig-authorization.</summary>
        public string Header { get; }

        /// <summary>Where the gateway token comes from, first set one wins.</summary>
        public IReadOnlyList<string> GatewayTokenVariables { get; }

        /// <summary>Model prefixes for which the alias's token variable is also the provider key (workers-ai/).
        /// For other models Authorization is sent only when the user passes -ApiKey.</summary>
        public IReadOnlyList<string> ProviderKeyModelPrefixes { get; }

        /// <summary>True when the model's name starts with one of <see cref="ProviderKeyModelPrefixes"/>.</summary>
        public bool ModelUsesTokenAsProviderKey(string model)
        {
            foreach (var prefix in ProviderKeyModelPrefixes)
            {
                if (model.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return true;
            }
            return false;
        }
    }

    /// <summary>One named provider alias as the catalog defines it (not evaluated against any environment).</summary>
    public sealed class ProviderAliasDefinition
    {
        private static readonly IReadOnlyDictionary<string, string> NoHeaders =
            new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Defines one alias; <see cref="AliasCatalog"/> holds the built-in ones.</summary>
        public ProviderAliasDefinition(
            string name,
            string? baseUrlTemplate,
            string? tokenVariable,
            bool coalescesSystemMessages,
            string description,
            string documentationUrl,
            string? defaultModel = null,
            IReadOnlyDictionary<string, string>? headers = null,
            TokenStyle tokenStyle = TokenStyle.Bearer,
            GatewayAuthentication? gateway = null,
            bool isCloudflare = false,
            bool isGateway = false,
            string? tokenHeader = null,
            string? defaultEmbeddingModel = null,
            string source = AliasSources.Builtin)
        {
            Name = name;
            BaseUrlTemplate = baseUrlTemplate;
            TokenVariable = tokenVariable;
            CoalescesSystemMessages = coalescesSystemMessages;
            Description = description;
            DocumentationUrl = documentationUrl;
            DefaultModel = defaultModel;
            Headers = headers ?? NoHeaders;
            // The token goes in Authorization with Bearer, or as it is in any other named header (azure's api-key).
            TokenHeader = tokenHeader ?? (tokenStyle == TokenStyle.ApiKeyHeader ? "api-key" : "Authorization");
            TokenStyle = string.Equals(TokenHeader, "Authorization", StringComparison.OrdinalIgnoreCase) ? TokenStyle.Bearer : TokenStyle.ApiKeyHeader;
            DefaultEmbeddingModel = defaultEmbeddingModel;
            Source = source;
            Gateway = gateway;
            IsCloudflare = isCloudflare;
            IsGateway = isGateway || gateway != null;
        }

        /// <summary>The alias name, as -Provider takes it.</summary>
        public string Name { get; }

        /// <summary>Null for azure, which is used only with -BaseUrl.</summary>
        public string? BaseUrlTemplate { get; }

        /// <summary>Null for ollama, which needs no token.</summary>
        public string? TokenVariable { get; }

        /// <summary>True when adjacent system (and user) messages are merged before sending.</summary>
        public bool CoalescesSystemMessages { get; }

        /// <summary>A one-line description of the provider.</summary>
        public string Description { get; }

        /// <summary>The provider's API documentation.</summary>
        public string DocumentationUrl { get; }

        /// <summary>The model used when -Model is not given, or null.</summary>
        public string? DefaultModel { get; }

        /// <summary>Default headers; values are templates.</summary>
        public IReadOnlyDictionary<string, string> Headers { get; }

        /// <summary>How the token is sent.</summary>
        public TokenStyle TokenStyle { get; }

        /// <summary>The header that carries the token: Authorization (as "Bearer &lt;token&gt;"), or another name that
        /// takes the token as it is (api-key).</summary>
        public string TokenHeader { get; }

        /// <summary>The embedding model used when Invoke-AIEmbedding gets no -Model, or null.</summary>
        public string? DefaultEmbeddingModel { get; }

        /// <summary>Where the alias comes from: <see cref="AliasSources.Builtin"/>, <see cref="AliasSources.User"/>
        /// (the user's providers file) or <see cref="AliasSources.BuiltinUser"/> (a built-in with fields the file overrides).</summary>
        public string Source { get; }

        /// <summary>Set for cloudflare-ai-gateway only.</summary>
        public GatewayAuthentication? Gateway { get; }

        /// <summary>
        /// An AI Gateway endpoint: the -Gateway* controls (cache, metadata, event id) apply. True for every alias with
        /// <see cref="Gateway"/> authentication, and for a gateway reached with the normal Authorization header (the
        /// REST API's cf-aig-gateway-id).
        /// </summary>
        public bool IsGateway { get; }

        /// <summary>Cloudflare aliases get the Cloudflare value warnings and error hints.</summary>
        public bool IsCloudflare { get; }

        /// <inheritdoc/>
        public override string ToString() => Name;
    }
}
