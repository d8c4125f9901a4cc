namespace CloudflareAI.Chat
{
    /// <summary>What to do next, per failure (ErrorDetails.RecommendedAction).</summary>
    internal static class ChatHints
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
            "Check the model name: Workers AI models look like @cf/meta/llama-3.1-8b-instruct; through AI Gateway use workers-ai/@cf/meta/llama-3.1-8b-instruct.";

        public const string Model =
            "Check the model name (-Model) and the base URL: the base URL is the part before /chat/completions.";

        public const string Quota =
            "The daily free allocation of Workers AI neurons is used up: wait until it resets at 00:00 UTC, or upgrade to Workers Paid.";

        public const string RateLimited =
            "Too many requests: lower -ThrottleLimit, or wait a minute and try again.";

        public const string ServerError = "The server had a problem: try again later.";

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
