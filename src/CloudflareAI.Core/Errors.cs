using System;

namespace CloudflareAI
{
    /// <summary>Every ErrorId the module reports (listed under TROUBLESHOOTING in about_CloudflareAI). The cmdlets
    /// prefix nothing: FullyQualifiedErrorId becomes "&lt;ErrorId&gt;,&lt;cmdlet class&gt;".</summary>
    public static class ErrorIds
    {
        /// <summary>The alias name is unknown.</summary>
        public const string ProviderAliasNotFound = nameof(ProviderAliasNotFound);
        /// <summary>No -Provider, and no alias in the selection order is available.</summary>
        public const string ProviderNotConfigured = nameof(ProviderNotConfigured);
        /// <summary>Variables the alias needs are not set or are empty.</summary>
        public const string ProviderEnvironmentVariableMissing = nameof(ProviderEnvironmentVariableMissing);
        /// <summary>A variable's value cannot go where the template puts it.</summary>
        public const string ProviderEnvironmentVariableInvalid = nameof(ProviderEnvironmentVariableInvalid);
        /// <summary>A template's syntax is wrong, or it gives no absolute http(s) URL.</summary>
        public const string UrlTemplateInvalid = nameof(UrlTemplateInvalid);
        /// <summary>No -Model, and the alias has no default model.</summary>
        public const string ModelNotSpecified = nameof(ModelNotSpecified);
        /// <summary>A token would go over plain http to a host that is not this computer.</summary>
        public const string InsecureEndpoint = nameof(InsecureEndpoint);
        /// <summary>The server answered 401 or 403.</summary>
        public const string ChatAuthenticationFailed = nameof(ChatAuthenticationFailed);
        /// <summary>The server does not know the model.</summary>
        public const string ChatModelNotFound = nameof(ChatModelNotFound);
        /// <summary>The server refused the request as written (400, 413, 422, a redirect).</summary>
        public const string ChatBadRequest = nameof(ChatBadRequest);
        /// <summary>Still rate limited after the retries, or a Retry-After longer than the module waits.</summary>
        public const string ChatRateLimited = nameof(ChatRateLimited);
        /// <summary>A quota that waiting cannot fix is used up.</summary>
        public const string ChatQuotaExceeded = nameof(ChatQuotaExceeded);
        /// <summary>The model needs a paid plan.</summary>
        public const string ChatPlanRequired = nameof(ChatPlanRequired);
        /// <summary>A server error remained after the retries.</summary>
        public const string ChatServerError = nameof(ChatServerError);
        /// <summary>No connection could be made, after the retries.</summary>
        public const string ChatConnectionFailed = nameof(ChatConnectionFailed);
        /// <summary>An attempt took longer than -TimeoutSec.</summary>
        public const string ChatTimeout = nameof(ChatTimeout);
        /// <summary>The answer could not be read, was too large, or ended early.</summary>
        public const string ChatResponseInvalid = nameof(ChatResponseInvalid);
        /// <summary>Get-AIModel -Name was given an exact name that is not in the catalog.</summary>
        public const string ModelNotFound = nameof(ModelNotFound);
        /// <summary>The host has no model list.</summary>
        public const string ModelListUnavailable = nameof(ModelListUnavailable);
        /// <summary>A parameter value cannot be sent (a line break in a header, a gateway limit).</summary>
        public const string ParameterInvalid = nameof(ParameterInvalid);
        /// <summary>-Stream with -ThrottleLimit above 1.</summary>
        public const string StreamWithThrottleLimit = nameof(StreamWithThrottleLimit);
        /// <summary>A -Message item has no role or no content.</summary>
        public const string ChatMessageInvalid = nameof(ChatMessageInvalid);
        /// <summary>A -Gateway* parameter for an alias that does not go through AI Gateway.</summary>
        public const string GatewayOptionNotSupported = nameof(GatewayOptionNotSupported);
        /// <summary>The model still called tools after -MaxToolRounds rounds of tool results.</summary>
        public const string ToolRoundLimitExceeded = nameof(ToolRoundLimitExceeded);
        /// <summary>The user's providers file cannot be used (file, line and entry named), or an entry for it breaks a rule.</summary>
        public const string ProviderConfigInvalid = nameof(ProviderConfigInvalid);
        /// <summary>Register-AIProviderAlias without -Force for a name that already exists.</summary>
        public const string ProviderAliasExists = nameof(ProviderAliasExists);
        /// <summary>A -Name wildcard pattern cannot be parsed.</summary>
        public const string WildcardPatternInvalid = nameof(WildcardPatternInvalid);
        /// <summary>An -Image that cannot be sent: a missing file, a format other than PNG, JPEG, GIF or WebP, a file over
        /// 20 MB, or a URL on a Cloudflare alias (which takes data: URIs only).</summary>
        public const string ImageInvalid = nameof(ImageInvalid);
        /// <summary>An empty text given to Invoke-AIEmbedding: refused for that item, the others go on.</summary>
        public const string EmbeddingInputInvalid = nameof(EmbeddingInputInvalid);
    }

    /// <summary>Mirrors the names of System.Management.Automation.ErrorCategory that the module uses, so the
    /// core can say the category without referencing PowerShell; the cmdlets convert by name.</summary>
    public enum ErrorKind
    {
        /// <summary>Something named does not exist.</summary>
        ObjectNotFound,
        /// <summary>The setup does not allow the call.</summary>
        InvalidOperation,
        /// <summary>A value is unfit for its use.</summary>
        InvalidData,
        /// <summary>A parameter or request is wrong as given.</summary>
        InvalidArgument,
        /// <summary>The call would be unsafe.</summary>
        SecurityError,
        /// <summary>The server refused the credentials or the plan.</summary>
        PermissionDenied,
        /// <summary>A rate limit was hit.</summary>
        LimitsExceeded,
        /// <summary>A quota is used up.</summary>
        QuotaExceeded,
        /// <summary>The server failed.</summary>
        ResourceUnavailable,
        /// <summary>No connection could be made.</summary>
        ConnectionError,
        /// <summary>The operation took too long.</summary>
        OperationTimeout,
        /// <summary>The answer is unusable.</summary>
        InvalidResult,
        /// <summary>The host does not offer it.</summary>
        NotImplemented,
        /// <summary>Something of that name exists already.</summary>
        ResourceExists,
    }

    /// <summary>Every failure the core reports: an ErrorId, its category, and the fix.
    /// Messages never contain a secret value.</summary>
    public class CloudflareAIException : Exception
    {
        /// <summary>Creates the exception; the message and action must already be free of secrets.</summary>
        public CloudflareAIException(string errorId, ErrorKind kind, string message, string recommendedAction, Exception? inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            Kind = kind;
            RecommendedAction = recommendedAction;
        }

        /// <summary>Which failure this is; one of <see cref="ErrorIds"/>.</summary>
        public string ErrorId { get; }

        /// <summary>The PowerShell error category.</summary>
        public ErrorKind Kind { get; }

        /// <summary>What the user should do next (ErrorDetails.RecommendedAction).</summary>
        public string RecommendedAction { get; }

        /// <summary>The object the error is about (an alias name, a URL without secrets), for ErrorRecord.TargetObject.</summary>
        public object? Target { get; set; }
    }
}
