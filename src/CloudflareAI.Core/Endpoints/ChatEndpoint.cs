using System;
using System.Collections.Generic;

namespace CloudflareAI.Endpoints
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

        /// <summary>The one redactor over <see cref="Secrets"/>: -WhatIf, -Verbose, errors and the answer all mask through it.</summary>
        public SecretRedactor Redactor => redactor ??= new SecretRedactor(Secrets);

        private SecretRedactor? redactor;

        /// <summary>True when adjacent system (and user) messages are merged before sending.</summary>
        public bool CoalescesSystemMessages { get; }

        /// <summary>Cloudflare aliases drop empty system messages (an empty system prompt breaks some models).</summary>
        public bool OmitEmptySystemMessages { get; }

        /// <summary>Cloudflare error codes get Cloudflare hints.</summary>
        public bool IsCloudflare { get; }

        /// <summary>-MaxTokens goes out as max_completion_tokens instead of max_tokens (openai and azure on their own hosts).</summary>
        public bool UsesMaxCompletionTokens { get; }
    }
}
