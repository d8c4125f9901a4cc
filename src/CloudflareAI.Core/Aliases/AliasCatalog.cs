using System;
using System.Collections.Generic;
using System.Linq;

namespace CloudflareAI.Aliases
{
    /// <summary>The provider aliases and the order Invoke-AIChat tries them in without -Provider
    /// (docs/providers/overview.md): the built-in ones, merged here with the user's providers file, so every cmdlet,
    /// completer and availability check sees one list.</summary>
    public static class AliasCatalog
    {
        /// <summary>The variable that holds the Cloudflare account ID.</summary>
        public const string CloudflareAccountId = "CLOUDFLARE_ACCOUNT_ID";
        /// <summary>The variable that holds the AI Gateway ID.</summary>
        public const string CloudflareGatewayId = "CLOUDFLARE_GATEWAY_ID";
        /// <summary>The variable that holds the Cloudflare API token.</summary>
        public const string CloudflareApiToken = "CLOUDFLARE_API_TOKEN";
        /// <summary>The variable that holds an authenticated AI Gateway's own token.</summary>
        public const string CloudflareAiGatewayToken = "CLOUDFLARE_AI_GATEWAY_TOKEN";

        /// <summary>AI Gateway's REST API on api.cloudflare.com: the gateway is chosen by a header, not by the URL.</summary>
        public const string CloudflareAiGatewayRest = "cloudflare-ai-gateway-rest";

        private static readonly ProviderAliasDefinition[] Definitions =
        {
            new ProviderAliasDefinition("cloudflare-workers-ai",
                "https://api.cloudflare.com/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1", CloudflareApiToken, true,
                "Cloudflare Workers AI: open-weight models (@cf/...) on Cloudflare's network.",
                "https://developers.cloudflare.com/workers-ai/configuration/open-ai-compatibility/",
                defaultModel: "@cf/meta/llama-3.3-70b-instruct-fp8-fast", isCloudflare: true, defaultEmbeddingModel: "@cf/baai/bge-m3"),
            new ProviderAliasDefinition("cloudflare-ai-gateway",
                "https://gateway.ai.cloudflare.com/v1/${CLOUDFLARE_ACCOUNT_ID}/${CLOUDFLARE_GATEWAY_ID}/compat", CloudflareApiToken, true,
                "Cloudflare AI Gateway (OpenAI-compatible /compat endpoint): provider/model routing, caching, logs.",
                "https://developers.cloudflare.com/ai-gateway/usage/chat-completion/",
                defaultModel: "workers-ai/@cf/meta/llama-3.3-70b-instruct-fp8-fast",
                gateway: new GatewayAuthentication("cf-aig-authorization",
                    new[] { CloudflareAiGatewayToken, CloudflareApiToken }, new[] { "workers-ai/" }),
                isCloudflare: true, defaultEmbeddingModel: "workers-ai/@cf/baai/bge-m3"),
            // Same URL as Workers AI: only the cf-aig-gateway-id header sends the request through the gateway. The token
            // goes in Authorization (AI Gateway Run, plus Workers AI for @cf/ models); there is no cf-aig-authorization here.
            new ProviderAliasDefinition(CloudflareAiGatewayRest,
                "https://api.cloudflare.com/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1", CloudflareApiToken, true,
                "Cloudflare AI Gateway REST API (recommended for new work): @cf/ and provider/model routing, caching, logs.",
                "https://developers.cloudflare.com/ai-gateway/usage/rest-api/",
                defaultModel: "@cf/meta/llama-3.3-70b-instruct-fp8-fast",
                headers: new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["cf-aig-gateway-id"] = "${" + CloudflareGatewayId + "}" },
                isCloudflare: true, isGateway: true, defaultEmbeddingModel: "@cf/baai/bge-m3"),
            new ProviderAliasDefinition("openai", "https://api.openai.com/v1", "OPENAI_API_KEY", false,
                "OpenAI.", "https://platform.openai.com/docs/api-reference/chat"),
            new ProviderAliasDefinition("requesty", "https://router.requesty.ai/v1", "REQUESTY_API_KEY", false,
                "Requesty router.", "https://docs.requesty.ai/"),
            new ProviderAliasDefinition("azure", null, "AZURE_API_KEY", false,
                "Azure OpenAI: has no base URL of its own; pass -BaseUrl. The key is sent as 'api-key'.",
                "https://learn.microsoft.com/azure/ai-services/openai/reference", tokenStyle: TokenStyle.ApiKeyHeader),
            new ProviderAliasDefinition("xai", "https://api.x.ai/v1", "XAI_API_KEY", false,
                "xAI (Grok).", "https://docs.x.ai/docs/api-reference"),
            new ProviderAliasDefinition("nebius", "https://api.studio.nebius.com/v1", "NEBIUS_API_KEY", true,
                "Nebius AI Studio: open-weight models.", "https://docs.nebius.com/studio/inference/api"),
            new ProviderAliasDefinition("nvidia", "https://integrate.api.nvidia.com/v1", "NVIDIA_API_KEY", true,
                "NVIDIA NIM API catalog.", "https://docs.api.nvidia.com/nim/reference/"),
            new ProviderAliasDefinition("openrouter", "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY", true,
                "OpenRouter: one key, many providers.", "https://openrouter.ai/docs/api-reference/overview"),
            new ProviderAliasDefinition("atlascloud", "https://api.atlascloud.ai/v1", "ATLASCLOUD_API_KEY", false,
                "Atlas Cloud.", "https://www.atlascloud.ai/docs"),
            new ProviderAliasDefinition("mistral", "https://api.mistral.ai/v1", "MISTRAL_API_KEY", false,
                "Mistral AI.", "https://docs.mistral.ai/api/"),
            new ProviderAliasDefinition("ollama", "http://localhost:11434/v1", null, false,
                "Ollama on this machine (no token).", "https://github.com/ollama/ollama/blob/main/docs/openai.md"),
            new ProviderAliasDefinition("minimax", "https://api.minimax.io/v1", "MINIMAX_API_KEY", false,
                "MiniMax.", "https://www.minimax.io/platform/document"),
            new ProviderAliasDefinition("baseten", "https://inference.baseten.co/v1", "BASETEN_API_KEY", true,
                "Baseten model APIs: open-weight models.", "https://docs.baseten.co/"),
            new ProviderAliasDefinition("ovhcloud", "https://oai.endpoints.kepler.ai.cloud.ovh.net/v1", "OVH_AI_ENDPOINTS_ACCESS_TOKEN", true,
                "OVHcloud AI Endpoints: open-weight models.", "https://endpoints.ai.cloud.ovh.net/"),
            new ProviderAliasDefinition("groq", "https://api.groq.com/openai/v1", "GROQ_API_KEY", false,
                "Groq.", "https://console.groq.com/docs/openai"),
            new ProviderAliasDefinition("fireworks", "https://api.fireworks.ai/inference/v1", "FIREWORKS_API_KEY", true,
                "Fireworks AI: open-weight models.", "https://docs.fireworks.ai/api-reference/introduction"),
            new ProviderAliasDefinition("deepseek", "https://api.deepseek.com/v1", "DEEPSEEK_API_KEY", false,
                "DeepSeek.", "https://api-docs.deepseek.com/"),
            new ProviderAliasDefinition("cerebras", "https://api.cerebras.ai/v1", "CEREBRAS_API_KEY", true,
                "Cerebras inference: open-weight models.", "https://inference-docs.cerebras.ai/"),
            new ProviderAliasDefinition("together", "https://api.together.xyz/v1", "TOGETHER_API_KEY", true,
                "Together AI: open-weight models.", "https://docs.together.ai/docs/openai-api-compatibility"),
            new ProviderAliasDefinition("huggingface", "https://router.huggingface.co/v1", "HF_TOKEN", true,
                "Hugging Face inference providers router.", "https://huggingface.co/docs/inference-providers/"),
            new ProviderAliasDefinition("moonshot", "https://api.moonshot.ai/v1", "MOONSHOT_API_KEY", false,
                "Moonshot AI (Kimi).", "https://platform.moonshot.ai/docs/api/chat"),
            new ProviderAliasDefinition("vercel", "https://ai-gateway.vercel.sh/v1", "AI_GATEWAY_API_KEY", true,
                "Vercel AI Gateway.", "https://vercel.com/docs/ai-gateway"),
            new ProviderAliasDefinition("github-copilot", "https://api.githubcopilot.com", "GITHUB_TOKEN", false,
                "GitHub Copilot models.", "https://docs.github.com/copilot",
                headers: new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Copilot-Integration-Id"] = "copilot-developer-cli" }),
            new ProviderAliasDefinition("opencode-go", "https://opencode.ai/zen/go/v1", "OPENCODE_API_KEY", false,
                "OpenCode Go.", "https://opencode.ai/docs/zen/"),
            new ProviderAliasDefinition("opencode-zen", "https://opencode.ai/zen/v1", "OPENCODE_API_KEY", false,
                "OpenCode Zen.", "https://opencode.ai/docs/zen/"),
        };

        private static readonly Dictionary<string, ProviderAliasDefinition> ByName =
            Definitions.ToDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase);

        /// <summary>The built-in order in which Invoke-AIChat picks the first available alias when -Provider is omitted;
        /// the providers file's autoSelect may replace it (<see cref="CurrentAutoSelectionOrder"/>).</summary>
        public static readonly IReadOnlyList<string> AutoSelectionOrder = new[]
        {
            "cloudflare-workers-ai", "cloudflare-ai-gateway", CloudflareAiGatewayRest, "openai", "mistral", "openrouter", "groq", "deepseek",
            "together", "fireworks", "cerebras", "huggingface", "nebius", "baseten", "ovhcloud", "moonshot", "vercel",
            "xai", "nvidia",
        };

        /// <summary>The aliases the module ships, in catalog order, without the user's overrides.</summary>
        public static IReadOnlyList<ProviderAliasDefinition> Builtins => Definitions;

        /// <summary>Looks a shipped alias up by name, ignoring the user's providers file.</summary>
        public static bool TryGetBuiltin(string name, out ProviderAliasDefinition definition) =>
            ByName.TryGetValue(name ?? string.Empty, out definition!);

        /// <summary>The aliases now: the built-ins with the user's overrides, then the user's own (read lazily, again when the file changes).</summary>
        public static AliasSet Current => UserAliasStore.Process.Current;

        /// <summary>Every alias, in catalog order, then the user's aliases in file order.</summary>
        public static IReadOnlyList<ProviderAliasDefinition> All => Current.All;

        /// <summary>The order auto-selection tries now: the file's autoSelect, else <see cref="AutoSelectionOrder"/>.</summary>
        public static IReadOnlyList<string> CurrentAutoSelectionOrder => Current.AutoSelectionOrder;

        /// <summary>Looks an alias up by name, ignoring letter case as PowerShell users expect.</summary>
        public static bool TryGet(string name, out ProviderAliasDefinition definition) => Current.TryGet(name, out definition);

        /// <summary>The closest alias names to a mistyped one, for a did-you-mean hint.</summary>
        public static IReadOnlyList<string> Suggest(string name, int max = 3) => Suggest(name, All.Select(d => d.Name), max);

        /// <summary>The closest of <paramref name="candidates"/> to a mistyped name.</summary>
        public static IReadOnlyList<string> Suggest(string name, IEnumerable<string> candidates, int max)
        {
            string lowered = (name ?? string.Empty).ToLowerInvariant();
            return candidates
                .Select(n => new { Name = n, Distance = EditDistance(lowered, n), Contains = n.Contains(lowered) || (lowered.Length > 2 && lowered.Contains(n)) })
                .Where(x => x.Contains || x.Distance <= Math.Max(2, lowered.Length / 3))
                .OrderBy(x => x.Contains ? 0 : 1).ThenBy(x => x.Distance).ThenBy(x => x.Name, StringComparer.Ordinal)
                .Take(max)
                .Select(x => x.Name)
                .ToList();
        }

        internal static int EditDistance(string a, string b)
        {
            var previous = new int[b.Length + 1];
            var current = new int[b.Length + 1];
            for (int j = 0; j <= b.Length; j++) previous[j] = j;
            for (int i = 1; i <= a.Length; i++)
            {
                current[0] = i;
                for (int j = 1; j <= b.Length; j++)
                {
                    int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                    current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                }
                var swap = previous;
                previous = current;
                current = swap;
            }
            return previous[b.Length];
        }
    }
}
