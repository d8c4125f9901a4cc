using System;
using System.Collections.Generic;
using System.Linq;
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
        private readonly bool reportVerbose;
        private readonly Func<IReadOnlyList<KeyValuePair<string, object?>>, object>? dataObjectFactory;
        private bool textDelivered;

        public ChatCall(HttpClient http, IChatClock timer, Func<double> random, ChatEndpoint endpoint, ChatRequest request,
            ChatCallOptions options, IChatObserver observer, CancellationToken cancellationToken)
        {
            this.endpoint = endpoint;
            this.request = request;
            dataObjectFactory = options.DataObjectFactory;
            reportVerbose = options.ReportVerbose;
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
                if (request.ExtraBody != null) body = MergeExtraBody(body, request.ExtraBody);
            }
            catch (NotSupportedException ex)
            {
                throw classifier.InvalidRequest(ex.Message, ex);
            }

            AttemptResult<ParsedCompletion> result = await loop.RunAsync(body, (response, restartTimeout, token) =>
                ChatResponseReader.ReadAsync(response, request.Stream, OnText, restartTimeout, token, maxResponseBytes, redactor,
                    observer.ShowsReasoning ? OnReasoning : (Action<string>?)null)).ConfigureAwait(false);
            return BuildResponse(result, history);
        }

        private void OnText(string text)
        {
            textDelivered = true;
            observer.OnText(text);
        }

        private void OnReasoning(string text)
        {
            // Shown reasoning counts as shown text: a retry would show it twice.
            textDelivered = true;
            observer.OnReasoning(text);
        }

        private byte[] MergeExtraBody(byte[] body, ExtraBody extra)
        {
            byte[] merged = extra.MergeInto(body, out IReadOnlyList<string> replaced);
            if (reportVerbose && replaced.Count > 0) observer.OnVerbose($"-ExtraBody replaced what the module had set for: {string.Join(", ", replaced)}.");
            return merged;
        }

        /// <summary>A JSON answer as data; not JSON is ChatResponseInvalid with the whole (masked) answer as its target.</summary>
        private object? ReadData(string content, int attempts)
        {
            if (StructuredContent.TryParse(content, out System.Text.Json.JsonElement value, out string? problem))
            {
                return StructuredContent.ToData(value, dataObjectFactory);
            }
            ChatException error = classifier.Invalid($"it is not valid JSON ({problem?.TrimEnd('.')}). It begins: {StructuredContent.Preview(content)}", null, attempts, null,
                RecommendedActions.NotJson);
            error.AnswerContent = content;
            throw error;
        }

        private ChatResponse BuildResponse(AttemptResult<ParsedCompletion> outcome, IReadOnlyList<ChatMessage> history)
        {
            ParsedCompletion reply = outcome.Value;
            string content = redactor.Redact(reply.Content);
            if (string.Equals(reply.FinishReason, "length", StringComparison.OrdinalIgnoreCase)) observer.OnWarning(LengthWarning);

            string? reasoning = reply.Reasoning == null ? null : redactor.Redact(reply.Reasoning);
            IReadOnlyList<ToolCall> toolCalls = reply.ToolCalls == null ? Array.Empty<ToolCall>()
                : reply.ToolCalls.Select(c => new ToolCall(redactor.Redact(c.Id), redactor.Redact(c.Name), redactor.Redact(c.ArgumentsJson))).ToArray();
            object? data = request.ResponseFormat != null ? ReadData(content, outcome.Attempts) : null;
            var messages = new List<ChatMessage>(history.Count + 1);
            messages.AddRange(history);
            messages.Add(new ChatMessage("assistant", content) { Reasoning = reasoning, ToolCalls = toolCalls.Count > 0 ? toolCalls : null });
            return new ChatResponse
            {
                Content = content,
                Data = data,
                Reasoning = reasoning,
                Role = "assistant",
                ToolCalls = toolCalls,
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
