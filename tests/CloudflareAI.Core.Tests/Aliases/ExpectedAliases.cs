using System.Collections.Generic;
using Xunit;

namespace CloudflareAI.Tests.Aliases
{
    /// <summary>The alias table (docs/providers/overview.md), written out by hand: the catalog is checked against
    /// this, never against itself.</summary>
    public static class ExpectedAliases
    {
        public sealed class Row
        {
            public Row(string name, string? baseUrlTemplate, string? tokenVariable, bool coalesces)
            {
                Name = name;
                BaseUrlTemplate = baseUrlTemplate;
                TokenVariable = tokenVariable;
                Coalesces = coalesces;
            }

            public string Name { get; }

            public string? BaseUrlTemplate { get; }

            public string? TokenVariable { get; }

            public bool Coalesces { get; }

            public override string ToString() => Name;
        }

        public static readonly Row[] Table =
        {
            new Row("cloudflare-workers-ai", "https://api.cloudflare.com/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1", "CLOUDFLARE_API_TOKEN", true),
            new Row("cloudflare-ai-gateway", "https://gateway.ai.cloudflare.com/v1/${CLOUDFLARE_ACCOUNT_ID}/${CLOUDFLARE_GATEWAY_ID}/compat", "CLOUDFLARE_API_TOKEN", true),
            new Row("cloudflare-ai-gateway-rest", "https://api.cloudflare.com/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1", "CLOUDFLARE_API_TOKEN", true),
            new Row("openai", "https://api.openai.com/v1", "OPENAI_API_KEY", false),
            new Row("requesty", "https://router.requesty.ai/v1", "REQUESTY_API_KEY", false),
            new Row("azure", null, "AZURE_API_KEY", false),
            new Row("xai", "https://api.x.ai/v1", "XAI_API_KEY", false),
            new Row("nebius", "https://api.studio.nebius.com/v1", "NEBIUS_API_KEY", true),
            new Row("nvidia", "https://integrate.api.nvidia.com/v1", "NVIDIA_API_KEY", true),
            new Row("openrouter", "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY", true),
            new Row("atlascloud", "https://api.atlascloud.ai/v1", "ATLASCLOUD_API_KEY", false),
            new Row("mistral", "https://api.mistral.ai/v1", "MISTRAL_API_KEY", false),
            new Row("ollama", "http://localhost:11434/v1", null, false),
            new Row("minimax", "https://api.minimax.io/v1", "MINIMAX_API_KEY", false),
            new Row("baseten", "https://inference.baseten.co/v1", "BASETEN_API_KEY", true),
            new Row("ovhcloud", "https://oai.endpoints.kepler.ai.cloud.ovh.net/v1", "OVH_AI_ENDPOINTS_ACCESS_TOKEN", true),
            new Row("groq", "https://api.groq.com/openai/v1", "GROQ_API_KEY", false),
            new Row("fireworks", "https://api.fireworks.ai/inference/v1", "FIREWORKS_API_KEY", true),
            new Row("deepseek", "https://api.deepseek.com/v1", "DEEPSEEK_API_KEY", false),
            new Row("cerebras", "https://api.cerebras.ai/v1", "CEREBRAS_API_KEY", true),
            new Row("together", "https://api.together.xyz/v1", "TOGETHER_API_KEY", true),
            new Row("huggingface", "https://router.huggingface.co/v1", "HF_TOKEN", true),
            new Row("moonshot", "https://api.moonshot.ai/v1", "MOONSHOT_API_KEY", false),
            new Row("vercel", "https://ai-gateway.vercel.sh/v1", "AI_GATEWAY_API_KEY", true),
            new Row("github-copilot", "https://api.githubcopilot.com", "GITHUB_TOKEN", false),
            new Row("opencode-go", "https://opencode.ai/zen/go/v1", "OPENCODE_API_KEY", false),
            new Row("opencode-zen", "https://opencode.ai/zen/v1", "OPENCODE_API_KEY", false),
        };

        /// <summary>The order Invoke-AIChat tries the aliases in without -Provider.</summary>
        public static readonly string[] AutoSelectionOrder =
        {
            "cloudflare-workers-ai", "cloudflare-ai-gateway", "cloudflare-ai-gateway-rest", "openai", "mistral", "openrouter", "groq", "deepseek",
            "together", "fireworks", "cerebras", "huggingface", "nebius", "baseten", "ovhcloud", "moonshot", "vercel",
            "xai", "nvidia",
        };

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
