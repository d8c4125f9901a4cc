using System;

namespace CloudflareAI
{
    /// <summary>Every ErrorId the module reports (listed under TROUBLESHOOTING in about_CloudflareAI). The cmdlets
    /// prefix nothing: FullyQualifiedErrorId becomes "&lt;ErrorId&gt;,&lt;cmdlet class&gt;".</summary>
    public static class ErrorIds
    {
        public const string ProviderAliasNotFound = nameof(ProviderAliasNotFound);
        public const string ProviderNotConfigured = nameof(ProviderNotConfigured);
        public const string ProviderEnvironmentVariableMissing = nameof(ProviderEnvironmentVariableMissing);
        public const string ProviderEnvironmentVariableInvalid = nameof(ProviderEnvironmentVariableInvalid);
        public const string UrlTemplateInvalid = nameof(UrlTemplateInvalid);
        public const string ModelNotSpecified = nameof(ModelNotSpecified);
        public const string InsecureEndpoint = nameof(InsecureEndpoint);
        public const string ChatAuthenticationFailed = nameof(ChatAuthenticationFailed);
        public const string ChatModelNotFound = nameof(ChatModelNotFound);
        public const string ChatBadRequest = nameof(ChatBadRequest);
        public const string ChatRateLimited = nameof(ChatRateLimited);
        public const string ChatQuotaExceeded = nameof(ChatQuotaExceeded);
        public const string ChatPlanRequired = nameof(ChatPlanRequired);
        public const string ChatServerError = nameof(ChatServerError);
        public const string ChatConnectionFailed = nameof(ChatConnectionFailed);
        public const string ChatTimeout = nameof(ChatTimeout);
        public const string ChatResponseInvalid = nameof(ChatResponseInvalid);
        public const string ModelNotFound = nameof(ModelNotFound);
        public const string ModelListUnavailable = nameof(ModelListUnavailable);
        public const string ParameterInvalid = nameof(ParameterInvalid);
        public const string StreamWithThrottleLimit = nameof(StreamWithThrottleLimit);
        public const string ChatMessageInvalid = nameof(ChatMessageInvalid);
        public const string GatewayOptionNotSupported = nameof(GatewayOptionNotSupported);
        public const string WildcardPatternInvalid = nameof(WildcardPatternInvalid);
    }

    /// <summary>Mirrors the names of System.Management.Automation.ErrorCategory that the module uses, so the
    /// core can say the category without referencing PowerShell; the cmdlets convert by name.</summary>
    public enum ErrorKind
    {
        ObjectNotFound,
        InvalidOperation,
        InvalidData,
        InvalidArgument,
        SecurityError,
        PermissionDenied,
        LimitsExceeded,
        QuotaExceeded,
        ResourceUnavailable,
        ConnectionError,
        OperationTimeout,
        InvalidResult,
        NotImplemented,
    }

    /// <summary>Every failure the core reports: an ErrorId, its category, and the fix.
    /// Messages never contain a secret value.</summary>
    public class CloudflareAIException : Exception
    {
        public CloudflareAIException(string errorId, ErrorKind kind, string message, string recommendedAction, Exception? inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            Kind = kind;
            RecommendedAction = recommendedAction;
        }

        public string ErrorId { get; }

        public ErrorKind Kind { get; }

        /// <summary>What the user should do next (ErrorDetails.RecommendedAction).</summary>
        public string RecommendedAction { get; }

        /// <summary>The object the error is about (an alias name, a URL without secrets), for ErrorRecord.TargetObject.</summary>
        public object? Target { get; set; }
    }
}
