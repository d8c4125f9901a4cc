using System;
using System.Collections.Generic;

namespace CloudflareAI
{
    /// <summary>One message of a conversation. Content is a string, or a list of content parts
    /// (each a dictionary such as { type = 'text'; text = '...' }) as the OpenAI protocol allows.</summary>
    public sealed class ChatMessage
    {
        /// <summary>Creates a message with a role and a string or a list of content parts.</summary>
        public ChatMessage(string role, object? content)
        {
            Role = role;
            Content = content;
        }

        /// <summary>The role: system, user, assistant or tool.</summary>
        public string Role { get; }

        /// <summary>string, or IReadOnlyList&lt;object?&gt; of parts (IDictionary&lt;string, object?&gt; each), or null.</summary>
        public object? Content { get; }

        /// <summary>An assistant turn's reasoning; it goes back in its own field, never joined into the content.</summary>
        public string? Reasoning { get; set; }

        /// <summary>The tools an assistant turn called; null when it called none.</summary>
        public IReadOnlyList<ToolCall>? ToolCalls { get; set; }

        /// <summary>On a tool message: the ID of the call it answers, exactly as the model sent it.</summary>
        public string? ToolCallId { get; set; }

        /// <summary>The text of the message: the string content, or the text parts joined with newlines.</summary>
        public override string ToString()
        {
            if (Content is string s) return s;
            if (Content is IEnumerable<object?> parts)
            {
                var texts = new List<string>();
                foreach (var part in parts)
                {
                    if (part is IDictionary<string, object?> d && d.TryGetValue("text", out var t) && t is string text) texts.Add(text);
                }
                return string.Join("\n", texts);
            }
            return string.Empty;
        }
    }

    /// <summary>Token counts the server reported.</summary>
    public sealed class ChatUsage
    {
        /// <summary>Tokens in the prompt.</summary>
        public int PromptTokens { get; set; }

        /// <summary>Tokens in the answer.</summary>
        public int CompletionTokens { get; set; }

        /// <summary>Prompt and answer tokens together.</summary>
        public int TotalTokens { get; set; }

        /// <inheritdoc/>
        public override string ToString() => $"{PromptTokens} prompt + {CompletionTokens} completion = {TotalTokens} tokens";
    }

    /// <summary>The answer to one Invoke-AIChat request.</summary>
    public sealed class ChatResponse
    {
        /// <summary>The answer's text.</summary>
        public string Content { get; set; } = string.Empty;

        /// <summary>The model's reasoning, when it sends one (reasoning_content or reasoning).</summary>
        public string? Reasoning { get; set; }

        /// <summary>The answer's role, normally assistant.</summary>
        public string Role { get; set; } = "assistant";

        /// <summary>The model the server says answered (may differ from the one asked for, e.g. an -external suffix).</summary>
        public string? Model { get; set; }

        /// <summary>The alias that was used.</summary>
        public string Provider { get; set; } = string.Empty;

        /// <summary>Why the model stopped (stop, length, ...), when the server says.</summary>
        public string? FinishReason { get; set; }

        /// <summary>Token counts, when the server reports them.</summary>
        public ChatUsage? Usage { get; set; }

        /// <summary>The tools the model asked to call in this answer (FinishReason tool_calls); empty when it called none.</summary>
        public IReadOnlyList<ToolCall> ToolCalls { get; set; } = new ToolCall[0];

        /// <summary>The whole conversation including this reply, ready for -Message.</summary>
        public IReadOnlyList<ChatMessage> Messages { get; set; } = new ChatMessage[0];

        /// <summary>The server's completion ID, when it sends one.</summary>
        public string? Id { get; set; }

        /// <summary>From sending the request to the end of the answer, retries included.</summary>
        public TimeSpan Duration { get; set; }

        /// <summary>How many HTTP attempts it took (1 when nothing was retried).</summary>
        public int Attempts { get; set; }

        /// <summary>AI Gateway's cf-aig-log-id response header.</summary>
        public string? GatewayLogId { get; set; }

        /// <summary>AI Gateway's cf-aig-cache-status response header (HIT or MISS).</summary>
        public string? CacheStatus { get; set; }

        /// <summary>Every cf-aig-* response header of AI Gateway; null when the answer did not come through a gateway.</summary>
        public GatewayInfo? Gateway { get; set; }

        /// <summary>True when -Stream wrote the text to the console as it arrived: the default view then shows a one-line
        /// summary instead of printing the answer a second time. The object is the same either way.</summary>
        public bool StreamedToHost { get; set; }

        /// <inheritdoc/>
        public override string ToString() => Content;
    }
}

namespace CloudflareAI.Chat
{
    /// <summary>
    /// Where and how to send a chat request: produced by <see cref="EndpointResolver"/> from an alias, the environment and
    /// the user's overrides. Headers hold final values (secrets included); <see cref="Secrets"/> lists every secret value so
    /// that no text the module writes can contain one.
    /// </summary>
    public sealed class ChatEndpoint
    {
        /// <summary>Creates an endpoint; <see cref="EndpointResolver"/> is the usual way.</summary>
        public ChatEndpoint(string provider, Uri baseUrl, IReadOnlyList<KeyValuePair<string, string>> headers, IReadOnlyCollection<string> secrets,
            bool coalescesSystemMessages, bool omitEmptySystemMessages, bool isCloudflare, bool usesMaxCompletionTokens = false)
        {
            Provider = provider;
            BaseUrl = baseUrl;
            Headers = headers;
            Secrets = secrets;
            CoalescesSystemMessages = coalescesSystemMessages;
            OmitEmptySystemMessages = omitEmptySystemMessages;
            IsCloudflare = isCloudflare;
            UsesMaxCompletionTokens = usesMaxCompletionTokens;
            string text = baseUrl.AbsoluteUri.TrimEnd('/');
            ChatCompletionsUrl = new Uri(text + "/chat/completions");
        }

        /// <summary>The alias name.</summary>
        public string Provider { get; }

        /// <summary>The base URL, every template filled in.</summary>
        public Uri BaseUrl { get; }

        /// <summary>POST target: {base}/chat/completions.</summary>
        public Uri ChatCompletionsUrl { get; }

        /// <summary>Every header to send (auth, alias defaults, -Header), final values.</summary>
        public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

        /// <summary>Secret values (tokens) to replace with *** in anything written or thrown.</summary>
        public IReadOnlyCollection<string> Secrets { get; }

        /// <summary>True when adjacent system (and user) messages are merged before sending.</summary>
        public bool CoalescesSystemMessages { get; }

        /// <summary>Cloudflare aliases drop empty system messages (an empty system prompt breaks some models).</summary>
        public bool OmitEmptySystemMessages { get; }

        /// <summary>Cloudflare error codes get Cloudflare hints.</summary>
        public bool IsCloudflare { get; }

        /// <summary>-MaxTokens goes out as max_completion_tokens instead of max_tokens (openai and azure on their own hosts).</summary>
        public bool UsesMaxCompletionTokens { get; }
    }

    /// <summary>What to ask: the model, the history, and only the options the user set.</summary>
    public sealed class ChatRequest
    {
        /// <summary>The model name, sent verbatim.</summary>
        public string Model { get; set; } = string.Empty;

        /// <summary>The conversation, oldest first.</summary>
        public IReadOnlyList<ChatMessage> Messages { get; set; } = new ChatMessage[0];

        /// <summary>The sampling temperature; not sent when null.</summary>
        public double? Temperature { get; set; }

        /// <summary>Nucleus sampling (top_p); not sent when null.</summary>
        public double? TopP { get; set; }

        /// <summary>The answer's length cap in tokens; not sent when null.</summary>
        public int? MaxTokens { get; set; }

        /// <summary>Stop sequences; not sent when null.</summary>
        public IReadOnlyList<string>? Stop { get; set; }

        /// <summary>The sampling seed; not sent when null.</summary>
        public int? Seed { get; set; }

        /// <summary>True to stream the answer as it is generated.</summary>
        public bool Stream { get; set; }

        /// <summary>The tools the model may call; not sent when null or empty.</summary>
        public IReadOnlyList<Tools.ToolDefinition>? Tools { get; set; }

        /// <summary>tool_choice: auto, none, required, or a tool's name; not sent when null.</summary>
        public string? ToolChoice { get; set; }
    }

    /// <summary>Per-call limits.</summary>
    public sealed class ChatCallOptions
    {
        /// <summary>Bounds each attempt; while streaming, the wait for headers and between chunks.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(300);

        /// <summary>Retries after the first attempt (default 3: at most 4 attempts).</summary>
        public int MaxRetries { get; set; } = 3;

        /// <summary>The most bytes of one answer read, after decompression (-MaxResponseMB); a larger answer is ChatResponseInvalid.</summary>
        public long MaxResponseBytes { get; set; } = CloudflareAI.Http.ResponseText.DefaultMaxBodyBytes;

        /// <summary>
        /// Whether the caller shows progress lines (<see cref="IChatObserver.OnVerbose"/>). When false the client does not
        /// build them at all: no string work per request for lines nobody reads.
        /// </summary>
        public bool ReportVerbose { get; set; } = true;

        /// <summary>Whether the caller shows internal lines (<see cref="IChatObserver.OnDebug"/>): request headers and body.</summary>
        public bool ReportDebug { get; set; } = true;

        /// <summary>
        /// The batch this call belongs to (<see cref="BatchScheduler"/>): each attempt waits for its place and pace. Null for a
        /// call on its own, which then waits for nothing.
        /// </summary>
        public IAttemptScheduler? Scheduler { get; set; }
    }

    /// <summary>
    /// What the client reports while it works. Called from worker threads: the cmdlet queues each call back to the
    /// pipeline thread. Every string passed here is already free of secrets.
    /// </summary>
    public interface IChatObserver
    {
        /// <summary>A piece of streamed answer text, as it arrives.</summary>
        void OnText(string text);

        /// <summary>A user-level progress line (-Verbose): URL, status, retry, elapsed.</summary>
        void OnVerbose(string message);

        /// <summary>An internal line (-Debug): request body and headers with secrets as ***.</summary>
        void OnDebug(string message);

        /// <summary>A warning, e.g. finish_reason 'length'.</summary>
        void OnWarning(string message);
    }

    /// <summary>A failed request: its ErrorId plus what the server said, with every secret removed.</summary>
    public sealed class ChatException : CloudflareAIException
    {
        /// <summary>Creates the exception; the message and action must already be free of secrets.</summary>
        public ChatException(string errorId, ErrorKind kind, string message, string recommendedAction, Exception? inner = null)
            : base(errorId, kind, message, recommendedAction, inner)
        {
        }

        /// <summary>HTTP status, when a response arrived.</summary>
        public int? StatusCode { get; set; }

        /// <summary>The provider's error code (Cloudflare's numeric code, or OpenAI's string code).</summary>
        public string? ProviderCode { get; set; }

        /// <summary>A request id taken from the error text's trailing (uuid), when present.</summary>
        public string? RequestId { get; set; }

        /// <summary>Attempts made before giving up.</summary>
        public int Attempts { get; set; }

        /// <summary>The wait the server demanded (Retry-After), when there was one.</summary>
        public TimeSpan? RetryAfter { get; set; }
    }
}
