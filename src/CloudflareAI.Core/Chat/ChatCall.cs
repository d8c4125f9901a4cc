using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace CloudflareAI.Chat
{
    /// <summary>One <see cref="ChatClient.SendAsync"/> call: its body, how its answer is read, and the response it makes;
    /// the attempts, retries, timeouts and reports are the <see cref="PostAttempts"/>'s.</summary>
    internal sealed class ChatCall
    {
        private const string LengthWarning =
            "The answer was cut at the token limit (finish_reason 'length'). Raise -MaxTokens, for example -MaxTokens 2048; many Workers AI models stop at 256 tokens unless told otherwise.";

        private readonly ChatEndpoint endpoint;
        private readonly ChatRequest request;
        private readonly long maxResponseBytes;
        private readonly RedactingObserver observer;
        private readonly SecretRedactor redactor;
        private readonly ChatErrorClassifier classifier;
        private readonly PostAttempts loop;
        private bool textDelivered;

        public ChatCall(HttpClient http, IChatClock timer, Func<double> random, ChatEndpoint endpoint, ChatRequest request,
            ChatCallOptions options, IChatObserver observer, CancellationToken cancellationToken)
        {
            this.endpoint = endpoint;
            this.request = request;
            maxResponseBytes = options.MaxResponseBytes > 0 ? options.MaxResponseBytes : ResponseBody.DefaultMaxBodyBytes;
            redactor = endpoint.Redactor;
            this.observer = new RedactingObserver(observer, redactor);
            classifier = ForEndpoint(endpoint, redactor, AliasCatalog.TryGet(endpoint.Provider, out ProviderAliasDefinition alias) ? alias.DefaultModel : null);
            loop = new PostAttempts(http, timer, endpoint.ChatCompletionsUrl, endpoint.Headers, request.Stream, options, classifier, redactor, this.observer,
                random, cancellationToken)
            {
                ContentDelivered = () => textDelivered,
            };
        }

        /// <summary>The classifier for calls to <paramref name="endpoint"/>; <paramref name="defaultModel"/> is named when a model was retired.</summary>
        internal static ChatErrorClassifier ForEndpoint(ChatEndpoint endpoint, SecretRedactor redactor, string? defaultModel) =>
            new ChatErrorClassifier(endpoint.Provider, endpoint.IsCloudflare, redactor,
                EndpointRules.IsRestGateway(endpoint.Provider, endpoint.ChatCompletionsUrl, endpoint.Headers), defaultModel);

        public async Task<ChatResponse> RunAsync()
        {
            IReadOnlyList<ChatMessage> history = request.Messages ?? Array.Empty<ChatMessage>();
            IReadOnlyList<ChatMessage> sent = MessageCoalescer.Prepare(history, endpoint.CoalescesSystemMessages, endpoint.OmitEmptySystemMessages);
            byte[] body;
            try
            {
                body = ChatRequestBody.Write(request, sent, endpoint.UsesMaxCompletionTokens);
            }
            catch (NotSupportedException ex)
            {
                throw classifier.InvalidRequest(ex.Message, ex);
            }

            AttemptResult<ParsedCompletion> result = await loop.RunAsync(body, (response, restartTimeout, token) =>
                ChatResponseReader.ReadAsync(response, request.Stream, OnText, restartTimeout, token, maxResponseBytes, redactor)).ConfigureAwait(false);
            return BuildResponse(result, history);
        }

        private void OnText(string text)
        {
            textDelivered = true;
            observer.OnText(text);
        }

        private ChatResponse BuildResponse(AttemptResult<ParsedCompletion> outcome, IReadOnlyList<ChatMessage> history)
        {
            ParsedCompletion reply = outcome.Value;
            string content = redactor.Redact(reply.Content);
            if (string.Equals(reply.FinishReason, "length", StringComparison.OrdinalIgnoreCase)) observer.OnWarning(LengthWarning);

            var messages = new List<ChatMessage>(history.Count + 1);
            messages.AddRange(history);
            messages.Add(new ChatMessage("assistant", content));
            return new ChatResponse
            {
                Content = content,
                Reasoning = reply.Reasoning == null ? null : redactor.Redact(reply.Reasoning),
                Role = "assistant",
                // Every text the server chose goes through the redactor, not only the answer: a server may echo the key
                // anywhere (model, id, finish reason, gateway headers).
                Model = RedactOrNull(reply.Model) ?? request.Model,
                Provider = endpoint.Provider,
                FinishReason = RedactOrNull(reply.FinishReason),
                Usage = reply.Usage,
                Messages = messages,
                Id = RedactOrNull(reply.Id),
                Duration = loop.Elapsed,
                Attempts = outcome.Attempts,
                GatewayLogId = outcome.Gateway?.LogId,
                CacheStatus = outcome.Gateway?.CacheStatus,
                Gateway = outcome.Gateway,
            };
        }

        private string? RedactOrNull(string? text) => text == null ? null : redactor.Redact(text);
    }
}
