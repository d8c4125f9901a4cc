using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace CloudflareAI.Cloudflare
{
    /// <summary>How one GET is made.</summary>
    public sealed class ApiGetOptions
    {
        /// <summary>Bounds each attempt (headers and body); zero or less means no limit.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>Retries after a connection failure or a retryable status, as for chat (default 3).</summary>
        public int MaxRetries { get; set; } = 3;

        /// <summary>False: retry only connection failures, never a status (an online check wants the first answer).</summary>
        public bool RetryStatuses { get; set; } = true;

        /// <summary>Gets each line a user would want in -Verbose (URL, status, retries), secrets already masked. Called on a worker thread.</summary>
        public Action<string>? Verbose { get; set; }
    }

    /// <summary>A 2xx JSON answer. Dispose it to release the document.</summary>
    public sealed class ApiJsonResponse : IDisposable
    {
        internal ApiJsonResponse(int statusCode, JsonDocument document, int attempts, TimeSpan elapsed)
        {
            StatusCode = statusCode;
            Document = document;
            Attempts = attempts;
            Elapsed = elapsed;
        }

        /// <summary>The HTTP status.</summary>
        public int StatusCode { get; }

        /// <summary>The parsed body.</summary>
        public JsonDocument Document { get; }

        /// <summary>The body's root element.</summary>
        public JsonElement Root => Document.RootElement;

        /// <summary>How many attempts it took.</summary>
        public int Attempts { get; }

        /// <summary>How long it took, retries included.</summary>
        public TimeSpan Elapsed { get; }

        /// <summary>Releases the parsed body.</summary>
        public void Dispose() => Document.Dispose();
    }

    /// <summary>
    /// GETs JSON from Cloudflare's v4 API (or an OpenAI-style <c>/models</c>) on the shared chat HttpClient: per-attempt
    /// timeout, the chat retry rules and error classifier (a non-2xx status, or a v4 envelope with <c>success: false</c>,
    /// becomes a <see cref="ChatException"/> with the chat ErrorIds and hints; <see cref="ChatException.StatusCode"/> and
    /// <see cref="ChatException.ProviderCode"/> say what the server answered), and every secret masked. Thread-safe.
    /// </summary>
    public sealed class CloudflareApiClient
    {
        /// <summary>A catalog of a few thousand models is a few MB; anything far beyond is not an API answer.</summary>
        internal const int BodyLimit = 64 * 1024 * 1024;

        private static readonly Lazy<CloudflareApiClient> SharedClient =
            new Lazy<CloudflareApiClient>(() => new CloudflareApiClient(ChatClient.Shared), LazyThreadSafetyMode.ExecutionAndPublication);

        private readonly HttpClient http;
        private readonly IChatClock timer;
        private readonly Func<double> random;

        /// <param name="chat">Whose HttpClient, clock and jitter to share (tests pass one built on a fake handler and clock).</param>
        public CloudflareApiClient(ChatClient chat)
        {
            if (chat == null) throw new ArgumentNullException(nameof(chat));
            http = chat.Http;
            timer = chat.Timer;
            random = chat.Random;
        }

        /// <summary>The one client the cmdlets share.</summary>
        public static CloudflareApiClient Shared => SharedClient.Value;

        /// <summary>The clock the client's retries and timeouts use (and the catalog's cache and deprecation dates).</summary>
        public IChatClock Clock => timer;

        /// <summary>GET a Cloudflare v4 API URL with the API token.</summary>
        public Task<ApiJsonResponse> GetJsonAsync(CloudflareApiEndpoint endpoint, Uri url, ApiGetOptions options, CancellationToken cancellationToken)
        {
            if (endpoint == null) throw new ArgumentNullException(nameof(endpoint));
            return GetJsonAsync(endpoint.Provider, true, endpoint.Headers, endpoint.Redactor, url, options, cancellationToken);
        }

        /// <summary>GET a URL with a chat endpoint's own headers (a host's <c>/models</c>).</summary>
        public Task<ApiJsonResponse> GetJsonAsync(ChatEndpoint endpoint, Uri url, ApiGetOptions options, CancellationToken cancellationToken)
        {
            if (endpoint == null) throw new ArgumentNullException(nameof(endpoint));
            return GetJsonAsync(endpoint.Provider, endpoint.IsCloudflare, endpoint.Headers, endpoint.Redactor, url, options, cancellationToken);
        }

        internal async Task<ApiJsonResponse> GetJsonAsync(string provider, bool isCloudflare, IReadOnlyList<KeyValuePair<string, string>> headers,
            SecretRedactor redactor, Uri url, ApiGetOptions options, CancellationToken cancellationToken)
        {
            if (url == null) throw new ArgumentNullException(nameof(url));
            options ??= new ApiGetOptions();
            var classifier = new ChatErrorClassifier(provider, isCloudflare, redactor);
            var policy = new RetryPolicy(options.MaxRetries, random);
            Action<string>? verbose = options.Verbose == null ? null : new Action<string>(line => options.Verbose(redactor.Redact(line)));
            var elapsed = Stopwatch.StartNew();
            string host = url.Authority;

            (AttemptOutcome<ApiJsonResponse> last, int _) =
                await AttemptLoop.RunAsync(Attempt, timer, verbose, cancellationToken).ConfigureAwait(false);
            return last.Result ?? throw last.Error!;

            async Task<AttemptOutcome<ApiJsonResponse>> Attempt(int attempt)
            {
                using (var attemptSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    AttemptLoop.RestartTimeout(timer, attemptSource, options.Timeout);
                    CancellationToken token = attemptSource.Token;
                    verbose?.Invoke($"GET {url.AbsoluteUri}");
                    var watch = Stopwatch.StartNew();
                    try
                    {
                        using (HttpRequestMessage message = BuildRequest(url, headers))
                        using (HttpResponseMessage response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false))
                        using (token.Register(Transport.DisposeQuietly, response))
                        {
                            int status = (int)response.StatusCode;
                            string statusLine = $"HTTP {status} {response.ReasonPhrase}".TrimEnd();
                            verbose?.Invoke($"{statusLine} after {watch.ElapsedMilliseconds} ms (attempt {attempt} of {policy.MaxAttempts})");
                            if (status >= 200 && status < 300)
                            {
                                return AttemptOutcome<ApiJsonResponse>.Succeeded(
                                    await ReadSuccessAsync(response, status, attempt, elapsed, classifier, redactor, token).ConfigureAwait(false));
                            }
                            string text = await ReadErrorTextAsync(response, token).ConfigureAwait(false);
                            ApiErrorBody body = ApiErrorBody.Parse(redactor.Redact(text));
                            TimeSpan? retryAfter = RetryAfterHeader.Read(response.Headers, timer.UtcNow);
                            // An online check wants the first answer: with status retries off, every status is final.
                            RetryDecision decision = options.RetryStatuses
                                ? policy.AfterStatus(attempt, status, classifier.IsQuota(body), retryAfter)
                                : RetryDecision.GiveUp();
                            Uri? location = response.Headers.Location;
                            string? locationHost = location == null ? null : (location.IsAbsoluteUri ? location : new Uri(url, location)).Host;
                            ChatException error = classifier.FromResponse(status, response.ReasonPhrase, body, locationHost, retryAfter, decision.RetryAfterTooLong, attempt);
                            return AttemptOutcome<ApiJsonResponse>.Failed(error, decision, statusLine);
                        }
                    }
                    catch (Exception ex) when (Transport.IsFailure(ex) || ex is ObjectDisposedException)
                    {
                        if (cancellationToken.IsCancellationRequested) throw new OperationCanceledException("The request was cancelled.", ex, cancellationToken);
                        if (attemptSource.IsCancellationRequested)
                        {
                            return AttemptOutcome<ApiJsonResponse>.Failed(classifier.TimedOut(options.Timeout, false, attempt, ex), RetryDecision.GiveUp(), "no answer in time");
                        }
                        return AttemptOutcome<ApiJsonResponse>.Failed(classifier.ConnectionFailed(ex, host, afterResponse: false, attempt),
                            policy.AfterConnectionFailure(attempt, responseStarted: false, textDelivered: false), ExceptionText.Cause(ex));
                    }
                    catch (ResponseFormatException ex)
                    {
                        if (cancellationToken.IsCancellationRequested) throw new OperationCanceledException("The request was cancelled.", ex, cancellationToken);
                        ChatException error = attemptSource.IsCancellationRequested ? classifier.TimedOut(options.Timeout, false, attempt, ex) : classifier.Invalid(ex.Message, null, attempt, ex);
                        return AttemptOutcome<ApiJsonResponse>.Failed(error, RetryDecision.GiveUp(), "unreadable answer");
                    }
                }
            }
        }

        private static async Task<ApiJsonResponse> ReadSuccessAsync(HttpResponseMessage response, int status, int attempt, Stopwatch elapsed,
            ChatErrorClassifier classifier, SecretRedactor redactor, CancellationToken token)
        {
            MemoryStream bytes;
            using (Stream stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
            {
                bytes = new MemoryStream();
                var buffer = new byte[81920];
                int read;
                while ((read = await stream.ReadAsync(buffer, 0, buffer.Length, token).ConfigureAwait(false)) > 0)
                {
                    if (bytes.Length + read > BodyLimit) throw new ResponseFormatException($"the answer is larger than {BodyLimit / (1024 * 1024)} MB");
                    bytes.Write(buffer, 0, read);
                }
            }
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(new ReadOnlyMemory<byte>(bytes.GetBuffer(), 0, (int)bytes.Length));
            }
            catch (JsonException ex)
            {
                string preview = Encoding.UTF8.GetString(bytes.GetBuffer(), 0, (int)Math.Min(bytes.Length, ApiErrorBody.PreviewLength));
                throw new ResponseFormatException("the answer is not JSON: " + redactor.Redact(preview).Trim(), ex);
            }
            JsonElement root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("success", out JsonElement success) && success.ValueKind == JsonValueKind.False)
            {
                // A v4 envelope can say it failed with a 200.
                string text = Encoding.UTF8.GetString(bytes.GetBuffer(), 0, (int)bytes.Length);
                document.Dispose();
                throw classifier.FromErrorInResponse(ApiErrorBody.Parse(redactor.Redact(text)), status, midStream: false, attempt);
            }
            return new ApiJsonResponse(status, document, attempt, elapsed.Elapsed);
        }

        private static async Task<string> ReadErrorTextAsync(HttpResponseMessage response, CancellationToken token)
        {
            try
            {
                return await ResponseBody.ReadLimitedAsync(response.Content, ResponseBody.ErrorBodyLimit, token).ConfigureAwait(false);
            }
            catch (Exception ex) when (Transport.IsFailure(ex) || ex is ObjectDisposedException)
            {
                // The status already says what failed.
                if (token.IsCancellationRequested) throw;
                return string.Empty;
            }
        }

        private static HttpRequestMessage BuildRequest(Uri url, IReadOnlyList<KeyValuePair<string, string>> headers)
        {
            var message = new HttpRequestMessage(HttpMethod.Get, url);
            bool userAgent = false, accept = false;
            foreach (KeyValuePair<string, string> header in headers)
            {
                if (string.IsNullOrEmpty(header.Key) || string.Equals(header.Key, "Content-Type", StringComparison.OrdinalIgnoreCase)) continue;
                userAgent |= string.Equals(header.Key, UserAgent.HeaderName, StringComparison.OrdinalIgnoreCase);
                accept |= string.Equals(header.Key, "Accept", StringComparison.OrdinalIgnoreCase);
                message.Headers.TryAddWithoutValidation(header.Key, header.Value ?? string.Empty);
            }
            if (!userAgent) message.Headers.TryAddWithoutValidation(UserAgent.HeaderName, UserAgent.Value);
            if (!accept) message.Headers.TryAddWithoutValidation("Accept", "application/json");
            return message;
        }
    }
}
