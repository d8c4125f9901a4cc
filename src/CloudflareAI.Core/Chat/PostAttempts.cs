using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace CloudflareAI.Chat
{
    /// <summary>
    /// One JSON POST with everything a call needs around each attempt: a place in its batch, the per-attempt timeout,
    /// error classification, redaction and the -Verbose/-Debug lines; the retries are the one attempt loop's
    /// (<see cref="AttemptLoop"/>). The chat call and the embeddings call differ only in the body they send and in how
    /// they read a successful answer.
    /// </summary>
    internal sealed class PostAttempts
    {
        private const string JsonMediaType = "application/json";
        private const string EventStreamMediaType = "text/event-stream";

        private readonly HttpClient http;
        private readonly IChatClock timer;
        private readonly Uri url;
        private readonly bool stream;
        private readonly TimeSpan timeout;
        private readonly RedactingObserver observer;
        private readonly SecretRedactor redactor;
        private readonly ChatErrorClassifier classifier;
        private readonly RetryPolicy policy;
        private readonly CancellationToken callerToken;
        private readonly IAttemptScheduler? scheduler;
        private readonly long call;
        private readonly IReadOnlyList<KeyValuePair<string, string>> headers;
        private readonly Stopwatch elapsed = new Stopwatch();
        private readonly bool reportVerbose;
        private readonly bool reportDebug;
        private readonly string host;

        // The last attempt was refused with a 429 that did not say when to come back (a per-minute limit, as Workers AI's
        // 3021): the next one waits for an answer in flight to come back, see IAttemptScheduler.EnterAsync.
        private bool refusedUntold;

        /// <param name="http">The shared client.</param>
        /// <param name="timer">The clock and the waits between attempts.</param>
        /// <param name="url">The POST target.</param>
        /// <param name="givenHeaders">The endpoint's headers (auth, alias defaults, -Header); User-Agent and Accept are added unless set.</param>
        /// <param name="stream">The answer is an event stream: Accept, the timeout between pieces, and how errors read.</param>
        /// <param name="options">Timeout, retries, the batch and which lines are wanted.</param>
        /// <param name="classifier">Turns failures into ChatExceptions.</param>
        /// <param name="redactor">Masks every secret of the endpoint.</param>
        /// <param name="observer">Where progress lines go.</param>
        /// <param name="random">Jitter for the backoff.</param>
        /// <param name="cancellationToken">The caller's stop.</param>
        public PostAttempts(HttpClient http, IChatClock timer, Uri url, IReadOnlyList<KeyValuePair<string, string>>? givenHeaders, bool stream,
            ChatCallOptions options, ChatErrorClassifier classifier, SecretRedactor redactor, RedactingObserver observer, Func<double> random,
            CancellationToken cancellationToken)
        {
            this.http = http;
            this.timer = timer;
            this.url = url;
            this.stream = stream;
            this.classifier = classifier;
            this.redactor = redactor;
            this.observer = observer;
            timeout = options.Timeout;
            reportVerbose = options.ReportVerbose;
            reportDebug = options.ReportDebug;
            scheduler = options.Scheduler;
            call = scheduler?.Join() ?? 0;
            callerToken = cancellationToken;
            policy = new RetryPolicy(options.MaxRetries, random);
            headers = BuildHeaders(givenHeaders, stream);
            host = url.Authority;
        }

        /// <summary>From the start of the run until now.</summary>
        public TimeSpan Elapsed => elapsed.Elapsed;

        /// <summary>True once part of the answer reached the caller: a connection lost after that is not retried, since
        /// the caller would see the text twice.</summary>
        public Func<bool> ContentDelivered { get; set; } = () => false;

        /// <summary>Sends <paramref name="body"/> until an answer is read, or the error of the last attempt.</summary>
        /// <exception cref="ChatException">The last attempt's error.</exception>
        /// <exception cref="OperationCanceledException">The caller's token was cancelled.</exception>
        public Task<AttemptResult<T>> RunAsync<T>(byte[] body, AnswerReader<T> read) => RunAsync(body, read, answer => answer);

        /// <summary>
        /// As <see cref="RunAsync{T}(byte[], AnswerReader{T})"/>, with the answer read in two steps: <paramref name="read"/>
        /// takes the bytes off the connection in the request's place in its batch, and <paramref name="parse"/> makes sense
        /// of them after the place is given back, so the next request of the batch is already on its way while a large
        /// answer is parsed. A parse failure is the attempt's failure, as if the read had failed.
        /// </summary>
        public async Task<AttemptResult<T>> RunAsync<TBody, T>(byte[] body, AnswerReader<TBody> read, Func<TBody, T> parse)
        {
            elapsed.Start();
            if (reportDebug) ReportRequest(body);

            (AttemptOutcome<Answer<T>> last, int attempts) = await AttemptLoop.RunAsync(n => AttemptAndParseAsync(body, read, parse, n), timer,
                reportVerbose ? observer.OnVerbose : (Action<string>?)null, callerToken).ConfigureAwait(false);
            observer.FlushText();
            if (last.Result != null)
            {
                if (reportVerbose) observer.OnVerbose($"Finished in {Seconds(elapsed.Elapsed)} s after {Attempts(attempts)}.");
                return new AttemptResult<T>(last.Result.Value, last.Result.Gateway, attempts);
            }
            if (reportVerbose) observer.OnVerbose($"Failed after {Seconds(elapsed.Elapsed)} s and {Attempts(attempts)} ({last.Why}).");
            throw last.Error!;
        }

        /// <summary>One attempt in the shape of the one attempt loop: read in its place, then parsed after it.</summary>
        private async Task<AttemptOutcome<Answer<T>>> AttemptAndParseAsync<TBody, T>(byte[] body, AnswerReader<TBody> read, Func<TBody, T> parse, int attempt)
        {
            Outcome<TBody> outcome = await ScheduledAttemptAsync(body, read, attempt).ConfigureAwait(false);
            Outcome<T> parsed = outcome.Succeeded ? Parse(outcome, parse, attempt) : outcome.Cast<T>();
            if (parsed.Succeeded) return AttemptOutcome<Answer<T>>.Succeeded(new Answer<T>(parsed.Value!, parsed.Gateway));
            AttemptOutcome<Answer<T>> failed = AttemptOutcome<Answer<T>>.Failed(parsed.Error!, parsed.Decision!, parsed.Why);
            failed.Throttled = parsed.Throttled;
            return failed;
        }

        private Outcome<T> Parse<TBody, T>(Outcome<TBody> read, Func<TBody, T> parse, int attempt)
        {
            try
            {
                return Outcome<T>.Success(parse(read.Value!), read.Gateway, read.Status);
            }
            catch (ResponseFormatException ex)
            {
                ChatException error = classifier.Invalid(ex.Message, read.Status, attempt, ex, ex.Hint);
                return Outcome<T>.Failed(error, RetryDecision.GiveUp(), "unreadable answer");
            }
            catch (ErrorInResponseException ex)
            {
                ChatException error = classifier.FromErrorInResponse(ex.Body, read.Status, midStream: stream, attempt);
                return Outcome<T>.Failed(error, RetryDecision.GiveUp(), "the server reported an error");
            }
        }

        /// <summary>One attempt in its batch's place: the place is given back before any retry delay.</summary>
        private async Task<Outcome<T>> ScheduledAttemptAsync<T>(byte[] body, AnswerReader<T> read, int attempt)
        {
            if (scheduler == null) return await AttemptAsync(body, read, attempt).ConfigureAwait(false);
            IAttemptLease lease = await scheduler.EnterAsync(call, attempt, refusedUntold, callerToken).ConfigureAwait(false);
            AttemptSignal signal = AttemptSignal.Failed;
            refusedUntold = false;
            try
            {
                Outcome<T> outcome = await AttemptAsync(body, read, attempt).ConfigureAwait(false);
                signal = outcome.Succeeded ? AttemptSignal.Succeeded : outcome.Throttled ? AttemptSignal.Throttled : AttemptSignal.Failed;
                refusedUntold = outcome.Throttled && !outcome.RetryAfterGiven;
                return outcome;
            }
            finally
            {
                lease.End(signal);
            }
        }

        private async Task<Outcome<T>> AttemptAsync<T>(byte[] body, AnswerReader<T> read, int attempt)
        {
            using (var attemptSource = CancellationTokenSource.CreateLinkedTokenSource(callerToken))
            {
                CancellationToken attemptToken = attemptSource.Token;
                RestartTimeout(attemptSource);
                if (reportVerbose) observer.OnVerbose($"POST {url.AbsoluteUri}");
                var watch = Stopwatch.StartNew();

                HttpResponseMessage response;
                using (HttpRequestMessage message = BuildRequestMessage(body))
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
                        return Outcome<T>.Failed(error, RetryDecision.GiveUp(), "response headers too large");
                    }
                    catch (Exception ex) when (Transport.IsFailure(ex))
                    {
                        ThrowIfCallerCancelled(ex);
                        if (attemptSource.IsCancellationRequested || ex is OperationCanceledException) return TimedOut<T>(attempt, ex);
                        RetryDecision decision = policy.AfterConnectionFailure(attempt, responseStarted: false, textDelivered: false);
                        return Outcome<T>.Failed(classifier.ConnectionFailed(ex, host, afterResponse: false, attempt), decision, Describe(ex));
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
                        if (status < 200 || status >= 300) return await FailedStatusAsync<T>(response, status, attempt, attemptToken).ConfigureAwait(false);

                        if (stream) RestartTimeout(attemptSource);
                        T value = await read(response, () => RestartTimeout(attemptSource), attemptToken).ConfigureAwait(false);
                        GatewayInfo? gateway = GatewayInfo.FromHeaders(response.Headers, redactor.Redact);
                        if (gateway != null && reportVerbose)
                        {
                            observer.OnVerbose($"AI Gateway: cache status {gateway.CacheStatus ?? "(none)"}, log ID {gateway.LogId ?? "(none)"}.");
                        }
                        return Outcome<T>.Success(value, gateway, status);
                    }
                    catch (Exception ex) when (Transport.IsFailure(ex) || ex is ObjectDisposedException)
                    {
                        ThrowIfCallerCancelled(ex);
                        if (attemptSource.IsCancellationRequested) return TimedOut<T>(attempt, ex);
                        RetryDecision decision = policy.AfterConnectionFailure(attempt, responseStarted: true, ContentDelivered());
                        return Outcome<T>.Failed(classifier.ConnectionFailed(ex, host, afterResponse: true, attempt), decision, Describe(ex));
                    }
                    catch (ResponseFormatException ex)
                    {
                        ThrowIfCallerCancelled(ex);
                        // A read cut short by disposing the response on timeout can look like the stream ending.
                        if (attemptSource.IsCancellationRequested) return TimedOut<T>(attempt, ex);
                        ChatException error = ex.EndedEarly
                            ? classifier.StreamEndedEarly(status, attempt)
                            : classifier.Invalid(ex.Message, status, attempt, ex, ex.Hint);
                        return Outcome<T>.Failed(error, RetryDecision.GiveUp(), ex.EndedEarly ? "the stream ended early" : "unreadable answer");
                    }
                    catch (ErrorInResponseException ex)
                    {
                        ChatException error = classifier.FromErrorInResponse(ex.Body, status, midStream: stream, attempt);
                        return Outcome<T>.Failed(error, RetryDecision.GiveUp(), "the server reported an error");
                    }
                }
            }
        }

        private async Task<Outcome<T>> FailedStatusAsync<T>(HttpResponseMessage response, int status, int attempt, CancellationToken attemptToken)
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
            Outcome<T> outcome = Outcome<T>.Failed(error, decision, StatusLine(response));
            outcome.Throttled = status == 429 && notRetried == null;
            outcome.RetryAfterGiven = retryAfter != null;
            return outcome;
        }

        /// <summary>The host a redirect points to; a relative Location stays on the endpoint's host.</summary>
        private string? LocationHost(HttpResponseMessage response)
        {
            Uri? location = response.Headers.Location;
            if (location == null) return null;
            return location.IsAbsoluteUri ? location.Host : new Uri(url, location).Host;
        }

        private Outcome<T> TimedOut<T>(int attempt, Exception ex) =>
            Outcome<T>.Failed(classifier.TimedOut(timeout, stream, attempt, ex),
                RetryDecision.GiveUp(), "no answer in time");

        private HttpRequestMessage BuildRequestMessage(byte[] body)
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue(JsonMediaType);
            var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
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

        private void ReportRequest(byte[] body)
        {
            var text = new StringBuilder("Request headers:");
            foreach (KeyValuePair<string, string> header in headers)
            {
                text.Append('\n').Append("  ").Append(header.Key).Append(": ")
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
            if (callerToken.IsCancellationRequested) throw new OperationCanceledException("The request was cancelled.", ex, callerToken);
        }

        private static string Describe(Exception ex)
        {
            Exception inner = ex;
            while (inner.InnerException != null) inner = inner.InnerException;
            return inner.Message.Trim().TrimEnd('.');
        }

        private static string StatusLine(HttpResponseMessage response) =>
            $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd();

        private static string Seconds(TimeSpan span) => AttemptLoop.Seconds(span);

        private static string Attempts(int count) => count == 1 ? "1 attempt" : $"{count} attempts";

        /// <summary>What a successful attempt gives the loop: the parsed answer and the gateway's headers.</summary>
        private sealed class Answer<T>
        {
            public Answer(T value, GatewayInfo? gateway)
            {
                Value = value;
                Gateway = gateway;
            }

            public T Value { get; }

            public GatewayInfo? Gateway { get; }
        }

        /// <summary>How one attempt ended.</summary>
        private sealed class Outcome<T>
        {
            public bool Succeeded { get; private set; }

            public T? Value { get; private set; }

            public GatewayInfo? Gateway { get; private set; }

            public ChatException? Error { get; private set; }

            public RetryDecision? Decision { get; private set; }

            public string Why { get; private set; } = string.Empty;

            /// <summary>A 429 that is not a quota error: the batch should send less at once.</summary>
            public bool Throttled { get; set; }

            /// <summary>The answer said when to come back (Retry-After).</summary>
            public bool RetryAfterGiven { get; set; }

            /// <summary>The HTTP status of the answer (of a success: what a later parse failure reports).</summary>
            public int Status { get; private set; }

            public static Outcome<T> Success(T value, GatewayInfo? gateway, int status) =>
                new Outcome<T> { Succeeded = true, Value = value, Gateway = gateway, Status = status };

            /// <summary>A failure as the outcome of another answer type.</summary>
            public Outcome<TOther> Cast<TOther>() =>
                new Outcome<TOther> { Error = Error, Decision = Decision, Why = Why, Throttled = Throttled, RetryAfterGiven = RetryAfterGiven, Status = Status };

            public static Outcome<T> Failed(ChatException error, RetryDecision decision, string why) =>
                new Outcome<T> { Error = error, Decision = decision, Why = why };
        }
    }
}
