using System;
using System.Globalization;
using System.Linq;

namespace CloudflareAI.Chat.Errors
{
    /// <summary>
    /// Turns what went wrong into a <see cref="ChatException"/> with an ErrorId and category the user can act on, a
    /// message that reads like "HTTP 401 from cloudflare-workers-ai: Authentication error (code 10000).", and a hint.
    /// Every message and hint passes through the redactor, because servers echo tokens back in their error text.
    /// </summary>
    internal sealed class ChatErrorClassifier
    {
        private static readonly string[] QuotaCodes = { "3036", "4006" };
        private const string QuotaText = "daily free allocation";
        private const int MessageLimit = 1200;

        private const string RetiredModelCode = "5028";
        private const string PlanRequiredCode = "5035";
        private const string SchemaWithStreamCode = "5023";
        private const string InvalidInputCode = "8001";
        private const string ProviderQuotaCode = "insufficient_quota";

        // The changelog that introduced the Unified Billing 503 documents only the status, not the body, so the body is
        // matched on any of these words rather than on one exact sentence.
        private static readonly string[] CredentialWords = { "credential", "unified billing", "authenticat", "unauthorized" };

        private readonly string provider;
        private readonly bool isCloudflare;
        private readonly SecretRedactor redactor;
        private readonly bool restGateway;
        private readonly string? defaultModel;

        /// <summary>The fix named for a 400-class refusal without a known code; what to check differs for embeddings.</summary>
        public string BadRequestAction { get; set; } = RecommendedActions.BadRequest;

        /// <param name="provider">The alias name, as messages show it.</param>
        /// <param name="isCloudflare">Cloudflare error codes get Cloudflare hints.</param>
        /// <param name="redactor">Masks every secret in messages and hints.</param>
        /// <param name="restGateway">AI Gateway's REST API, where 2009 and a credential 503 are about the provider's key.</param>
        /// <param name="defaultModel">The alias's current default model, named when a model was retired.</param>
        public ChatErrorClassifier(string provider, bool isCloudflare, SecretRedactor redactor, bool restGateway = false, string? defaultModel = null)
        {
            this.provider = provider;
            this.isCloudflare = isCloudflare;
            this.redactor = redactor;
            this.restGateway = restGateway;
            this.defaultModel = defaultModel;
        }

        /// <summary>Workers AI's daily neuron allocation is used up: waiting minutes will not help, so no retry.</summary>
        public bool IsQuota(ApiErrorBody body) => (isCloudflare && body.HasCode(QuotaCodes)) || body.MentionsText(QuotaText);

        /// <summary>
        /// Why an error status is not worth another attempt even when the status alone would be retried (a used-up
        /// quota, a retired model, a credential the provider rejected), or null when the status decides.
        /// </summary>
        public string? WhyNotRetried(int status, ApiErrorBody body)
        {
            if (IsQuota(body)) return "the daily quota is used up";
            if (body.HasCode(ProviderQuotaCode)) return "the account's quota is used up";
            if (isCloudflare && body.HasCode(RetiredModelCode)) return "the model was retired";
            if (isCloudflare && body.HasCode(PlanRequiredCode)) return "the model needs a paid plan";
            if (isCloudflare && body.HasCode(SchemaWithStreamCode, InvalidInputCode)) return "the server refused the input";
            if (IsUnifiedBillingCredentialRejected(status, body)) return "the provider rejected the Unified Billing credential";
            return null;
        }

        /// <summary>A 503 from the REST gateway saying the Cloudflare-managed (Unified Billing) credential was rejected.</summary>
        private bool IsUnifiedBillingCredentialRejected(int? status, ApiErrorBody body) =>
            restGateway && status == 503 && (body.HasCode("2009") || CredentialWords.Any(body.MentionsText));

        /// <summary>An HTTP status outside 2xx.</summary>
        public ChatException FromResponse(int status, string? reasonPhrase, ApiErrorBody body, string? locationHost,
            TimeSpan? retryAfter, bool retryAfterTooLong, int attempts)
        {
            string head = $"HTTP {status} from {provider}";
            string message;
            string errorId;
            ErrorKind kind;
            string hint;

            if (status >= 300 && status < 400)
            {
                string target = string.IsNullOrEmpty(locationHost) ? "another address" : locationHost!;
                message = $"{head}: the server redirects to {target}, and automatic redirects are off (a redirect would turn the POST into a GET and could carry the token to another host).";
                errorId = ErrorIds.ChatBadRequest;
                kind = ErrorKind.InvalidArgument;
                hint = string.IsNullOrEmpty(locationHost)
                    ? "Check the base URL: it should be the final address of the API, not one that redirects."
                    : $"Check the base URL: if {locationHost} is the right server, give its address with -BaseUrl.";
                return Build(errorId, kind, message, hint, status, body, attempts, retryAfter);
            }

            string detail = body.Describe();
            if (detail.Length == 0) message = $"{head}: {(string.IsNullOrEmpty(reasonPhrase) ? "no error details" : reasonPhrase)}";
            else if (body.IsJson) message = $"{head}: {detail}";
            else message = $"{head} (not JSON, perhaps from a proxy): {detail}";
            message = EndSentence(message);

            (errorId, kind, hint) = Classify(status, body);

            if (retryAfterTooLong && retryAfter.HasValue)
            {
                string wait = FormatWait(retryAfter.Value);
                message += $" The server asks to wait {wait} (Retry-After), longer than the {RetryPolicy.RetryAfterCap.TotalSeconds:0} s this module waits.";
                // A longer wait is the user's call, not ours: fail at once with ChatRateLimited carrying the wait,
                // whatever retryable status (429, 503, ...) made the demand.
                if (errorId != ErrorIds.ChatQuotaExceeded)
                {
                    errorId = ErrorIds.ChatRateLimited;
                    kind = ErrorKind.LimitsExceeded;
                }
                if (errorId != ErrorIds.ChatQuotaExceeded) hint = $"Wait {wait} and try again, or lower -ThrottleLimit.";
            }
            if (attempts > 1) message += $" Gave up after {attempts} attempts.";
            return Build(errorId, kind, message, hint, status, body, attempts, retryAfter);
        }

        /// <summary>A 2xx answer, or a stream chunk, that holds an error object instead of an answer.</summary>
        public ChatException FromErrorInResponse(ApiErrorBody body, int status, bool midStream, int attempts)
        {
            string detail = body.Describe();
            string message = midStream
                ? $"The stream from {provider} stopped with an error: {detail}"
                : $"HTTP {status} from {provider}, but the body is an error: {detail}";
            (string errorId, ErrorKind kind, string hint) = Classify(null, body);
            return Build(errorId, kind, EndSentence(message), hint, status, body, attempts, null);
        }

        public ChatException ConnectionFailed(Exception exception, string host, bool afterResponse, int attempts)
        {
            string reason = ExceptionText.WithCause(exception);
            if (afterResponse)
            {
                // The server answered and then the body stopped: the answer is cut in half, so it is
                // ChatResponseInvalid ("stream ended early"), not a failure to connect (which would suggest a retry).
                string cut = EndSentence($"The stream ended early: the connection to {host} broke while reading the answer from {provider} ({reason})");
                return Build(ErrorIds.ChatResponseInvalid, ErrorKind.InvalidResult, cut, RecommendedActions.ConnectionBroken, null, null, attempts, null, exception);
            }
            string message = EndSentence($"Could not reach {host} ({provider}): {reason}");
            if (attempts > 1) message += $" Gave up after {attempts} attempts.";
            return Build(ErrorIds.ChatConnectionFailed, ErrorKind.ConnectionError, message, RecommendedActions.Connection, null, null, attempts, null, exception);
        }

        public ChatException TimedOut(TimeSpan timeout, bool streaming, int attempts, Exception? inner)
        {
            string seconds = timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            string message = streaming
                ? $"No answer within {seconds} s from {provider}: the stream went quiet (the limit applies to the wait for the first byte and between chunks)."
                : $"No answer within {seconds} s from {provider}.";
            return Build(ErrorIds.ChatTimeout, ErrorKind.OperationTimeout, message, RecommendedActions.Timeout, null, null, attempts, null, inner);
        }

        public ChatException Invalid(string detail, int? status, int attempts, Exception? inner, string? hint = null)
        {
            string message = EndSentence($"The answer from {provider} could not be read: {detail}");
            return Build(ErrorIds.ChatResponseInvalid, ErrorKind.InvalidResult, message, hint ?? RecommendedActions.ResponseInvalid, status, null, attempts, null, inner);
        }

        public ChatException StreamEndedEarly(int? status, int attempts)
        {
            string message = $"The stream ended early: {provider} closed it without [DONE] and without a finish reason, so the answer may be cut short.";
            return Build(ErrorIds.ChatResponseInvalid, ErrorKind.InvalidResult, message, RecommendedActions.ResponseInvalid, status, null, attempts, null);
        }

        /// <summary>A request the client refuses to send (content JSON cannot hold).</summary>
        public ChatException InvalidRequest(string detail, Exception? inner) =>
            Build(ErrorIds.ChatBadRequest, ErrorKind.InvalidArgument, EndSentence($"The request to {provider} cannot be written: {detail}"),
                RecommendedActions.InvalidContent, null, null, 0, null, inner);

        /// <summary>ErrorId, category and hint from the status and the provider's codes.</summary>
        private (string ErrorId, ErrorKind Kind, string Hint) Classify(int? status, ApiErrorBody body)
        {
            // An error event inside a 200 stream has no status of its own: its code says what it would have been.
            status ??= StatusFromCode(body);
            if (isCloudflare && body.HasCode("7003", "7000")) return (ErrorIds.ChatBadRequest, ErrorKind.InvalidArgument, RecommendedActions.AccountId);
            if (isCloudflare && body.HasCode(RetiredModelCode)) return (ErrorIds.ChatModelNotFound, ErrorKind.ObjectNotFound, RecommendedActions.ModelRetired(provider, defaultModel));
            if (isCloudflare && body.HasCode(PlanRequiredCode)) return (ErrorIds.ChatPlanRequired, ErrorKind.PermissionDenied, RecommendedActions.PlanRequired(provider));
            if (isCloudflare && body.HasCode(SchemaWithStreamCode)) return (ErrorIds.ChatBadRequest, ErrorKind.InvalidArgument, RecommendedActions.SchemaWithStream);
            if (isCloudflare && body.HasCode(InvalidInputCode)) return (ErrorIds.ChatBadRequest, ErrorKind.InvalidArgument, RecommendedActions.InvalidInput(MessageOf(body, InvalidInputCode)));
            if (IsUnifiedBillingCredentialRejected(status, body)) return (ErrorIds.ChatAuthenticationFailed, ErrorKind.PermissionDenied, RecommendedActions.UnifiedBillingCredential);
            if (isCloudflare && body.HasCode("2009")) return (ErrorIds.ChatAuthenticationFailed, ErrorKind.PermissionDenied, restGateway ? RecommendedActions.ProviderCredentials : RecommendedActions.GatewayToken);
            if (isCloudflare && body.HasCode("10000")) return (ErrorIds.ChatAuthenticationFailed, ErrorKind.PermissionDenied, RecommendedActions.CloudflareToken);
            if (isCloudflare && body.HasCode("5016")) return (ErrorIds.ChatAuthenticationFailed, ErrorKind.PermissionDenied, RecommendedActions.ModelTerms);
            if (status == 401 || status == 403) return (ErrorIds.ChatAuthenticationFailed, ErrorKind.PermissionDenied, isCloudflare ? RecommendedActions.CloudflareToken : RecommendedActions.Authentication);
            if (isCloudflare && body.HasCode("5007", "3042")) return (ErrorIds.ChatModelNotFound, ErrorKind.ObjectNotFound, RecommendedActions.CloudflareModel);
            if (status == 404) return (ErrorIds.ChatModelNotFound, ErrorKind.ObjectNotFound, isCloudflare ? RecommendedActions.CloudflareModel : RecommendedActions.Model);
            if (IsQuota(body)) return (ErrorIds.ChatQuotaExceeded, ErrorKind.QuotaExceeded, RecommendedActions.Quota);
            if (body.HasCode(ProviderQuotaCode)) return (ErrorIds.ChatQuotaExceeded, ErrorKind.QuotaExceeded, RecommendedActions.ProviderQuota);
            if (status == 429) return (ErrorIds.ChatRateLimited, ErrorKind.LimitsExceeded, RecommendedActions.RateLimited);
            if (status == 413) return (ErrorIds.ChatBadRequest, ErrorKind.InvalidArgument, RecommendedActions.TooLarge);
            if (status == 408 || status >= 500) return (ErrorIds.ChatServerError, ErrorKind.ResourceUnavailable, RecommendedActions.ServerError);
            if (status >= 400) return (ErrorIds.ChatBadRequest, ErrorKind.InvalidArgument, BadRequestAction);
            if (status == null) return (ErrorIds.ChatServerError, ErrorKind.ResourceUnavailable, RecommendedActions.ServerError);
            return (ErrorIds.ChatResponseInvalid, ErrorKind.InvalidResult, RecommendedActions.ResponseInvalid);
        }

        /// <summary>
        /// The HTTP status an error code stands for, for an error that came without one (an error event in a 200 stream):
        /// OpenAI's string codes, and a plain status number as some servers put in "code".
        /// </summary>
        private static int? StatusFromCode(ApiErrorBody body)
        {
            foreach (ApiError error in body.Errors)
            {
                switch (error.Code)
                {
                    case "invalid_api_key":
                    case "invalid_authentication":
                    case "authentication_error":
                    case "unauthorized":
                        return 401;
                    case "permission_denied":
                    case "insufficient_permissions":
                        return 403;
                    case "model_not_found":
                        return 404;
                    case "rate_limit_exceeded":
                    case ProviderQuotaCode:
                        return 429;
                    case "context_length_exceeded":
                    case "invalid_request_error":
                        return 400;
                }
                if (error.Code != null && error.Code.Length == 3
                    && int.TryParse(error.Code, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number >= 400 && number < 600)
                {
                    return number;
                }
            }
            return null;
        }

        private static string MessageOf(ApiErrorBody body, string code) =>
            body.Errors.Where(e => e.Code == code).Select(e => e.Message).FirstOrDefault(m => m.Length > 0) ?? body.Describe();

        private ChatException Build(string errorId, ErrorKind kind, string message, string hint, int? status, ApiErrorBody? body,
            int attempts, TimeSpan? retryAfter, Exception? inner = null)
        {
            // An inner exception's text is shown by $_.Exception.InnerException; keep it only when it holds no secret.
            Exception? safeInner = inner != null && !ChainHoldsSecret(inner) ? inner : null;
            // Hosts come back lower-cased from Uri (a redirect's Location, the endpoint), so match secrets in any case here,
            // and hide the user-info of any URL a server quotes; the text is shown in a terminal, where a server's control
            // characters must not act.
            string shown = TerminalText.Escape(Shorten(KnownSecrets.MaskUserInfo(redactor.RedactIgnoringCase(message))));
            return new ChatException(errorId, kind, shown, TerminalText.Escape(redactor.RedactIgnoringCase(hint)), safeInner)
            {
                StatusCode = status,
                ProviderCode = body == null ? null : Shown(body.FirstCode),
                RequestId = body == null ? null : Shown(body.RequestId),
                Attempts = attempts,
                RetryAfter = retryAfter,
                Target = provider,
            };
        }

        /// <summary>
        /// Some errors wrap a whole upstream JSON document (Workers AI 8007); an error record needs only its start.
        /// Cut after redaction, so the cut can never leave part of a secret behind.
        /// </summary>
        private static string Shorten(string message) =>
            message.Length <= MessageLimit ? message : message.Substring(0, MessageLimit).TrimEnd() + "...";

        private string? Shown(string? value) => value == null ? null : TerminalText.Escape(redactor.Redact(value));

        private bool ChainHoldsSecret(Exception exception)
        {
            for (Exception? e = exception; e != null; e = e.InnerException)
            {
                if (redactor.ContainsIgnoringCase(e.Message)) return true;
            }
            return false;
        }

        internal static string EndSentence(string text)
        {
            string trimmed = text.TrimEnd();
            if (trimmed.Length == 0) return trimmed;
            char last = trimmed[trimmed.Length - 1];
            return last == '.' || last == '?' || last == '!' || last == ')' && trimmed.EndsWith(".)", StringComparison.Ordinal) ? trimmed : trimmed + ".";
        }

        /// <summary>"45 s", "5 min 3 s", "2 h 10 min".</summary>
        internal static string FormatWait(TimeSpan wait)
        {
            long seconds = (long)Math.Ceiling(wait.TotalSeconds);
            if (seconds < 120) return seconds.ToString(CultureInfo.InvariantCulture) + " s";
            if (seconds < 2 * 3600) return $"{seconds / 60} min {seconds % 60} s";
            long minutes = seconds / 60;
            return $"{minutes / 60} h {minutes % 60} min";
        }
    }
}
