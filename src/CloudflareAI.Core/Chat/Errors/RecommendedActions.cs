namespace CloudflareAI.Chat.Errors
{
    /// <summary>What to do next, per failure (ErrorDetails.RecommendedAction).</summary>
    internal static class RecommendedActions
    {
        public const string CloudflareToken =
            "Check CLOUDFLARE_API_TOKEN (or -ApiKey): it must be a valid Cloudflare API token with the Workers AI Read and Workers AI Edit permissions, as the dashboard's 'Workers AI' token template creates.";

        public const string Authentication =
            "Check the API key for this provider (its token variable, or -ApiKey) and that it has permission to use the model.";

        public const string ModelTerms =
            "Accept the model's licence terms once for your account (see the model's page in the Workers AI catalogue), then try again.";

        public const string GatewayToken =
            "Set CLOUDFLARE_AI_GATEWAY_TOKEN to the gateway's authentication token, or give CLOUDFLARE_API_TOKEN the AI Gateway Run permission.";

        public const string AccountId =
            "Check CLOUDFLARE_ACCOUNT_ID: it must be the 32 hexadecimal characters of your account ID from the Cloudflare dashboard (Workers AI > Use REST API). If you gave -BaseUrl, check its path too.";

        public const string CloudflareModel =
            "Check the model name: Workers AI models look like @cf/meta/llama-3.3-70b-instruct-fp8-fast; through AI Gateway use workers-ai/@cf/meta/llama-3.3-70b-instruct-fp8-fast.";

        public const string ProviderCredentials =
            "AI Gateway reached the provider, but the provider rejected the credentials (this is not about CLOUDFLARE_API_TOKEN): check the provider key stored in the gateway (AI Gateway > Provider Keys, bring your own key), or the provider key sent with -Header.";

        public const string UnifiedBillingCredential =
            "AI Gateway's Unified Billing credential for this provider was rejected, so retrying will not help: check the gateway's Unified Billing setup and credits in the Cloudflare dashboard, or store your own provider key in the gateway (bring your own key).";

        public const string ProviderQuota =
            "The provider account has no quota left (insufficient_quota), so retrying will not help: add credit or raise the spending limit in the provider's billing settings, or use another provider.";

        public const string NotJson =
            "The model did not answer with JSON. Say in the prompt or -SystemPrompt that the answer must be JSON, try another model, or drop -JsonSchema and -ResponseFormat to get the text; the whole answer is on the error's TargetObject.";

        public const string SchemaWithStream =
            "This model cannot follow a JSON schema while streaming: drop -Stream, or send the request without the JSON schema.";

        public const string Model =
            "Check the model name (-Model) and the base URL: the base URL is the part before /chat/completions.";

        public const string Quota =
            "The daily free allocation of Workers AI neurons is used up: wait until it resets at 00:00 UTC, or upgrade to Workers Paid.";

        public const string RateLimited =
            "Too many requests: lower -ThrottleLimit, or wait a minute and try again.";

        public const string ServerError = "The server had a problem: try again later.";

        public const string EmbeddingBadRequest =
            "Check the request: that -Model is an embedding model, the number of texts in one request (-BatchSize; Workers AI takes at most 100), the length of each text (bge models take up to 512 tokens), and -Dimensions if set.";

        public const string BadRequest =
            "Check the request: the options this model accepts (-Temperature, -TopP, -MaxTokens, -Stop, -Seed), the message format, and the length of the conversation.";

        public const string TooLarge = "Shorten the prompt or the -Message history.";

        public const string Timeout =
            "Raise -TimeoutSec (for example -TimeoutSec 600), or ask for a shorter answer with -MaxTokens.";

        public const string Connection =
            "Check the network, proxy and firewall, and the host in the base URL; for a local server such as ollama, check that it is running.";

        public const string ConnectionBroken = "Try again; if it keeps happening, try without -Stream.";

        public const string ResponseInvalid =
            "The server's answer could not be read: try again, or without -Stream. If -BaseUrl is set, check it points to an OpenAI-compatible chat endpoint.";

        /// <summary>For Cloudflare 5028: the model is gone for good, so name what to use instead.</summary>
        public static string ModelRetired(string provider, string? defaultModel)
        {
            string list = $"Run Get-AIModel -Provider {provider} to list the models that exist today";
            return defaultModel == null
                ? $"The model was retired by Cloudflare and no longer answers. {list}, and pass one with -Model."
                : $"The model was retired by Cloudflare and no longer answers. {list}, or leave out -Model to use this module's current default for {provider}, {defaultModel}.";
        }

        /// <summary>For Cloudflare 5035 (HTTP 403): the token is fine, the plan is not.</summary>
        public static string PlanRequired(string provider) =>
            "This model needs the Workers Paid plan; the token is not the problem. Upgrade the account to Workers Paid, or call the model through AI Gateway "
            + $"with Unified Billing credits (gateway setting 'Workers AI billing'), or pick another model (Get-AIModel -Provider {provider}).";

        /// <summary>For Cloudflare 8001: the server's own words say what was wrong.</summary>
        public static string InvalidInput(string serverText) =>
            $"The server refused the input as invalid ('{serverText}'): check the message content and the options this model accepts (-Temperature, -TopP, -MaxTokens, -Stop, -Seed).";

        public const string AnswerTooLarge =
            "Ask for a shorter answer (-MaxTokens), or raise -MaxResponseMB if an answer this large is expected. If -BaseUrl is set, check it points to a chat endpoint and not to a file.";

        public const string LineTooLarge =
            "The server sent one event-stream line larger than the module reads; try without -Stream, or check that -BaseUrl points to an OpenAI-compatible chat endpoint.";

        public const string Undecodable =
            "The server sent bytes that are not valid UTF-8 text (or a compressed body that does not decompress): try again; if it persists, the server or a proxy in between is at fault.";

        public const string HeadersTooLarge =
            "The server's response headers are larger than the client accepts; this is not retried. Check -BaseUrl, or whether a proxy in between adds the headers.";

        public const string InvalidContent = "Give message content as strings, or as lists of parts such as @{ type = 'text'; text = '...' }.";
    }
}
