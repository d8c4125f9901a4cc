using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace CloudflareAI.Chat
{
    /// <summary>One <see cref="ChatClient.SendAsync"/> call: its attempts, retries, timeouts and reports.</summary>
    internal sealed class ChatCall
    {
        private const string JsonMediaType = "application/json";
        private const string EventStreamMediaType = "text/event-stream";
        private const string LengthWarning =
            "The answer was cut at the token limit (finish_reason 'length'). Raise -MaxTokens, for example -MaxTokens 2048; many Workers AI models stop at 256 tokens unless told otherwise.";

        private readonly HttpClient http;
        private readonly IChatClock timer;
        private readonly ChatEndpoint endpoint;
        private readonly ChatRequest request;
        private readonly TimeSpan timeout;
        private readonly long maxResponseBytes;
        private readonly RedactingObserver observer;
        private readonly SecretRedactor redactor;
        private readonly ChatErrorClassifier classifier;
        private readonly RetryPolicy policy;
        private readonly CancellationToken callerToken;
        private readonly IAttemptScheduler? scheduler;
        private readonly IReadOnlyList<KeyValuePair<string, string>> headers;
        private readonly Stopwatch elapsed = new Stopwatch();
        private readonly bool reportVerbose;
        private readonly bool reportDebug;
        private readonly string host;
        private readonly Func<IReadOnlyList<KeyValuePair<string, object?>>, object>? dataObjectFactory;
        private byte[] body = Array.Empty<byte>();
        private bool textDelivered;

        public ChatCall(HttpClient http, IChatClock timer, Func<double> random, ChatEndpoint endpoint, ChatRequest request,
            ChatCallOptions options, IChatObserver observer, CancellationToken cancellationToken)
        {
            this.http = http;
            this.timer = timer;
            this.endpoint = endpoint;
            this.request = request;
            timeout = options.Timeout;
            maxResponseBytes = options.MaxResponseBytes > 0 ? options.MaxResponseBytes : ResponseBody.DefaultMaxBodyBytes;
            reportVerbose = options.ReportVerbose;
            reportDebug = options.ReportDebug;
            callerToken = cancellationToken;
            scheduler = options.Scheduler;
            redactor = endpoint.Redactor;
            this.observer = new RedactingObserver(observer, redactor);
            classifier = new ChatErrorClassifier(endpoint.Provider, endpoint.IsCloudflare, redactor,
                EndpointRules.IsRestGateway(endpoint.Provider, endpoint.ChatCompletionsUrl, endpoint.Headers),
                Aliases.AliasCatalog.TryGet(endpoint.Provider, out Aliases.ProviderAliasDefinition alias) ? alias.DefaultModel : null);
            policy = new RetryPolicy(options.MaxRetries, random);
            headers = BuildHeaders(endpoint.Headers, request.Stream);
            host = endpoint.ChatCompletionsUrl.Authority;
            dataObjectFactory = options.DataObjectFactory;
        }

        public async Task<ChatResponse> RunAsync()
        {
            elapsed.Start();
            IReadOnlyList<ChatMessage> history = request.Messages ?? Array.Empty<ChatMessage>();
            IReadOnlyList<ChatMessage> sent = MessageCoalescer.Prepare(history, endpoint.CoalescesSystemMessages, endpoint.OmitEmptySystemMessages);
            try
            {
                body = ChatRequestBody.Write(request, sent, endpoint.UsesMaxCompletionTokens);
                if (request.ExtraBody != null) MergeExtraBody(request.ExtraBody);
            }
            catch (NotSupportedException ex)
            {
                throw classifier.InvalidRequest(ex.Message, ex);
            }
            if (reportDebug) ReportRequest();

            (AttemptOutcome<ChatAttempt> last, int attempts) = await AttemptLoop.RunAsync(ScheduledAttemptAsync, timer,
                reportVerbose ? observer.OnVerbose : (Action<string>?)null, callerToken).ConfigureAwait(false);
            observer.FlushText();
            if (last.Result != null)
            {
                if (reportVerbose) observer.OnVerbose($"Finished in {Seconds(elapsed.Elapsed)} s after {Attempts(attempts)}.");
                return BuildResponse(last.Result, history, attempts);
            }
            if (reportVerbose) observer.OnVerbose($"Failed after {Seconds(elapsed.Elapsed)} s and {Attempts(attempts)} ({last.Why}).");
            throw last.Error!;
        }

        /// <summary>One attempt in its batch's place: the place is given back before any retry delay.</summary>
        private async Task<AttemptOutcome<ChatAttempt>> ScheduledAttemptAsync(int attempt)
        {
            if (scheduler == null) return await AttemptAsync(attempt).ConfigureAwait(false);
            IAttemptLease lease = await scheduler.EnterAsync(callerToken).ConfigureAwait(false);
            AttemptSignal signal = AttemptSignal.Failed;
            try
            {
                AttemptOutcome<ChatAttempt> outcome = await AttemptAsync(attempt).ConfigureAwait(false);
                signal = outcome.Result != null ? AttemptSignal.Succeeded : outcome.Throttled ? AttemptSignal.Throttled : AttemptSignal.Failed;
                return outcome;
            }
            finally
            {
                lease.End(signal);
            }
        }

        private async Task<AttemptOutcome<ChatAttempt>> AttemptAsync(int attempt)
        {
            using (var attemptSource = CancellationTokenSource.CreateLinkedTokenSource(callerToken))
            {
                CancellationToken attemptToken = attemptSource.Token;
                RestartTimeout(attemptSource);
                if (reportVerbose) observer.OnVerbose($"POST {endpoint.ChatCompletionsUrl.AbsoluteUri}");
                var watch = Stopwatch.StartNew();

                HttpResponseMessage response;
                using (HttpRequestMessage message = BuildRequestMessage())
                {
                    try
                    {
                        response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, attemptToken).ConfigureAwait(false);
                    }
                    catch (HttpRequestException ex) when (ResponseLimits.IsHeadersTooLarge(ex))
                    {
                        // The server answered; its headers alone pass the client's limit, and asking again gets the same.
                        ThrowIfCallerCancelled(ex);
                        ChatException error = classifier.Invalid("the response headers are larger than the client accepts", null, attempt, ex, RecommendedActions.HeadersTooLarge);
                        return AttemptOutcome<ChatAttempt>.Failed(error, RetryDecision.GiveUp(), "response headers too large");
                    }
                    catch (Exception ex) when (Transport.IsFailure(ex))
                    {
                        ThrowIfCallerCancelled(ex);
                        if (attemptSource.IsCancellationRequested || ex is OperationCanceledException) return TimedOut(attempt, ex);
                        RetryDecision decision = policy.AfterConnectionFailure(attempt, responseStarted: false, textDelivered: false);
                        return AttemptOutcome<ChatAttempt>.Failed(classifier.ConnectionFailed(ex, host, afterResponse: false, attempt), decision, ExceptionText.Cause(ex));
                    }
                }

                using (response)
                // Where a read ignores the token (.NET Framework), disposing the response is what ends it.
                using (attemptToken.Register(Transport.DisposeQuietly, response))
                {
                    int status = (int)response.StatusCode;
                    if (reportVerbose) observer.OnVerbose($"{StatusLine(response)} after {watch.ElapsedMilliseconds} ms (attempt {attempt} of {policy.MaxAttempts})");
                    try
                    {
                        if (status < 200 || status >= 300) return await FailedStatusAsync(response, status, attempt, attemptToken).ConfigureAwait(false);

                        if (request.Stream) RestartTimeout(attemptSource);
                        ParsedCompletion reply = await ChatResponseReader.ReadAsync(response, request.Stream, OnText, () => RestartTimeout(attemptSource), attemptToken,
                            maxResponseBytes, redactor, observer.ShowsReasoning ? OnReasoning : (Action<string>?)null).ConfigureAwait(false);
                        GatewayInfo? gateway = GatewayInfo.FromHeaders(response.Headers, redactor.Redact);
                        if (gateway != null && reportVerbose)
                        {
                            observer.OnVerbose($"AI Gateway: cache status {gateway.CacheStatus ?? "(none)"}, log ID {gateway.LogId ?? "(none)"}.");
                        }
                        return AttemptOutcome<ChatAttempt>.Succeeded(new ChatAttempt(reply, gateway));
                    }
                    catch (Exception ex) when (Transport.IsFailure(ex) || ex is ObjectDisposedException)
                    {
                        ThrowIfCallerCancelled(ex);
                        if (attemptSource.IsCancellationRequested) return TimedOut(attempt, ex);
                        RetryDecision decision = policy.AfterConnectionFailure(attempt, responseStarted: true, textDelivered);
                        return AttemptOutcome<ChatAttempt>.Failed(classifier.ConnectionFailed(ex, host, afterResponse: true, attempt), decision, ExceptionText.Cause(ex));
                    }
                    catch (ResponseFormatException ex)
                    {
                        ThrowIfCallerCancelled(ex);
                        // A read cut short by disposing the response on timeout can look like the stream ending.
                        if (attemptSource.IsCancellationRequested) return TimedOut(attempt, ex);
                        ChatException error = ex.EndedEarly
                            ? classifier.StreamEndedEarly(status, attempt)
                            : classifier.Invalid(ex.Message, status, attempt, ex, ex.Hint);
                        return AttemptOutcome<ChatAttempt>.Failed(error, RetryDecision.GiveUp(), ex.EndedEarly ? "the stream ended early" : "unreadable answer");
                    }
                    catch (ErrorInResponseException ex)
                    {
                        ChatException error = classifier.FromErrorInResponse(ex.Body, status, midStream: request.Stream, attempt);
                        return AttemptOutcome<ChatAttempt>.Failed(error, RetryDecision.GiveUp(), "the server reported an error");
                    }
                }
            }
        }

        private async Task<AttemptOutcome<ChatAttempt>> FailedStatusAsync(HttpResponseMessage response, int status, int attempt, CancellationToken attemptToken)
        {
            string text;
            try
            {
                (text, bool cut) = await ResponseBody.ReadLimitedWithCutAsync(response.Content, ResponseBody.ErrorBodyLimit, attemptToken).ConfigureAwait(false);
                // A secret that straddles the cut would survive as its first characters: drop what could be such a start.
                if (cut && !redactor.IsEmpty) text = text.Substring(0, Math.Max(0, text.Length - redactor.LongestValueLength));
            }
            catch (Exception ex) when (Transport.IsFailure(ex) || ex is ObjectDisposedException || ex is InvalidDataException)
            {
                // The status already says what failed; a body that cannot be read only loses the details.
                ThrowIfCallerCancelled(ex);
                text = string.Empty;
            }

            // Redacted before parsing so that the 200-character preview can never hold part of a secret.
            ApiErrorBody errorBody = ApiErrorBody.Parse(redactor.Redact(text), redactor);
            TimeSpan? retryAfter = RetryAfterHeader.Read(response.Headers, timer.UtcNow);
            string? notRetried = classifier.WhyNotRetried(status, errorBody);
            RetryDecision decision = policy.AfterStatus(attempt, status, notRetried, retryAfter);
            ChatException error = classifier.FromResponse(status, response.ReasonPhrase, errorBody, LocationHost(response),
                retryAfter, decision.RetryAfterTooLong, attempt);
            var outcome = AttemptOutcome<ChatAttempt>.Failed(error, decision, StatusLine(response));
            outcome.Throttled = status == 429 && notRetried == null;
            return outcome;
        }

        /// <summary>The host a redirect points to; a relative Location stays on the endpoint's host.</summary>
        private string? LocationHost(HttpResponseMessage response)
        {
            Uri? location = response.Headers.Location;
            if (location == null) return null;
            return location.IsAbsoluteUri ? location.Host : new Uri(endpoint.ChatCompletionsUrl, location).Host;
        }

        /// <summary>A timeout is never retried: the server may have done the work.</summary>
        private AttemptOutcome<ChatAttempt> TimedOut(int attempt, Exception ex) =>
            AttemptOutcome<ChatAttempt>.Failed(classifier.TimedOut(timeout, request.Stream, attempt, ex),
                RetryDecision.GiveUp(), "no answer in time");

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

        private void MergeExtraBody(ExtraBody extra)
        {
            body = extra.MergeInto(body, out IReadOnlyList<string> replaced);
            if (reportVerbose && replaced.Count > 0) observer.OnVerbose($"-ExtraBody replaced what the module had set for: {string.Join(", ", replaced)}.");
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

        private ChatResponse BuildResponse(ChatAttempt outcome, IReadOnlyList<ChatMessage> history, int attempts)
        {
            ParsedCompletion reply = outcome.Reply;
            string content = redactor.Redact(reply.Content);
            if (string.Equals(reply.FinishReason, "length", StringComparison.OrdinalIgnoreCase)) observer.OnWarning(LengthWarning);

            string? reasoning = reply.Reasoning == null ? null : redactor.Redact(reply.Reasoning);
            IReadOnlyList<ToolCall> toolCalls = reply.ToolCalls == null ? Array.Empty<ToolCall>()
                : reply.ToolCalls.Select(c => new ToolCall(redactor.Redact(c.Id), redactor.Redact(c.Name), redactor.Redact(c.ArgumentsJson))).ToArray();
            object? data = request.ResponseFormat != null ? ReadData(content, attempts) : null;
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
                Duration = elapsed.Elapsed,
                Attempts = attempts,
                GatewayLogId = outcome.Gateway?.LogId,
                CacheStatus = outcome.Gateway?.CacheStatus,
                Gateway = outcome.Gateway,
            };
        }

        private string? RedactOrNull(string? text) => text == null ? null : redactor.Redact(text);

        private HttpRequestMessage BuildRequestMessage()
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue(JsonMediaType);
            var message = new HttpRequestMessage(HttpMethod.Post, endpoint.ChatCompletionsUrl) { Content = content };
            foreach (KeyValuePair<string, string> header in headers)
            {
                if (string.Equals(header.Key, "Content-Type", StringComparison.OrdinalIgnoreCase))
                {
                    content.Headers.Remove(header.Key);
                    content.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
                else if (!message.Headers.TryAddWithoutValidation(header.Key, header.Value))
                {
                    content.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
            }
            return message;
        }

        /// <summary>The endpoint's headers plus User-Agent and Accept unless the caller set them.</summary>
        private static IReadOnlyList<KeyValuePair<string, string>> BuildHeaders(IReadOnlyList<KeyValuePair<string, string>>? given, bool stream)
        {
            var list = new List<KeyValuePair<string, string>>();
            if (given != null)
            {
                list.AddRange(given.Where(h => !string.IsNullOrEmpty(h.Key)).Select(h => new KeyValuePair<string, string>(h.Key, h.Value ?? string.Empty)));
            }
            if (!list.Any(h => string.Equals(h.Key, UserAgent.HeaderName, StringComparison.OrdinalIgnoreCase)))
            {
                list.Add(new KeyValuePair<string, string>(UserAgent.HeaderName, UserAgent.Value));
            }
            if (!list.Any(h => string.Equals(h.Key, "Accept", StringComparison.OrdinalIgnoreCase)))
            {
                list.Add(new KeyValuePair<string, string>("Accept", stream ? EventStreamMediaType : JsonMediaType));
            }
            return list;
        }

        private void ReportRequest()
        {
            var text = new StringBuilder("Request headers:");
            foreach (KeyValuePair<string, string> header in headers)
            {
                text.Append('\n').Append("  ").Append(header.Key).Append(": ")
                    // A secret-named header is masked whatever it holds; the observer masks every known secret in the rest.
                    .Append(SecretNames.IsSecretHeader(header.Key) ? SecretRedactor.Mask : header.Value);
            }
            if (!headers.Any(h => string.Equals(h.Key, "Content-Type", StringComparison.OrdinalIgnoreCase)))
            {
                text.Append('\n').Append("  Content-Type: ").Append(JsonMediaType);
            }
            observer.OnDebug(text.ToString());
            observer.OnDebug("Request body: " + Encoding.UTF8.GetString(body));
        }

        private void RestartTimeout(CancellationTokenSource source) => AttemptLoop.RestartTimeout(timer, source, timeout);

        private void ThrowIfCallerCancelled(Exception ex)
        {
            if (callerToken.IsCancellationRequested) throw new OperationCanceledException("The chat request was cancelled.", ex, callerToken);
        }

        private static string StatusLine(HttpResponseMessage response) =>
            $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd();

        private static string Seconds(TimeSpan span) => AttemptLoop.Seconds(span);

        private static string Attempts(int count) => count == 1 ? "1 attempt" : $"{count} attempts";

        /// <summary>What a successful attempt read.</summary>
        private sealed class ChatAttempt
        {
            public ChatAttempt(ParsedCompletion reply, GatewayInfo? gateway)
            {
                Reply = reply;
                Gateway = gateway;
            }

            public ParsedCompletion Reply { get; }

            /// <summary>The cf-aig-* headers, already redacted.</summary>
            public GatewayInfo? Gateway { get; }
        }
    }
}
