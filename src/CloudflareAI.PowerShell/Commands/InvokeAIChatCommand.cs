using System;
using System.Collections;
using System.Management.Automation;
using System.Security;
using System.Threading;

namespace CloudflareAI.Commands
{
    /// <summary>
    /// Invoke-AIChat: sends a chat request through a provider alias and returns the answer as a ChatResponse. The class
    /// only binds: each option goes straight into the core's <see cref="ChatSettings"/>, which makes the requests, and
    /// <see cref="ChatRun"/> sends them and brings what the worker threads report back to the pipeline thread.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "AIChat", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = PromptSet)]
    [OutputType(typeof(ChatResponse))]
    public sealed class InvokeAIChatCommand : PSCmdlet, IDisposable
    {
        private const string PromptSet = "Prompt";

        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly ChatSettings _chat = new ChatSettings();
        private ChatRun? _run;
        private ChatHistory? _commandLineHistory;
        private bool _promptFromCommandLine;
        private int _inputIndex;
        private Hashtable? _header;
        private Hashtable? _gatewayMetadata;
        private Hashtable? _extraBody;

        /// <summary>The user message; each string piped in is one request.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PromptSet), AllowEmptyString]
        public string Prompt { get; set; } = string.Empty;
        /// <summary>The conversation so far: messages or a ChatResponse; a piped object's Messages too.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true), Alias("Messages"), ChatHistoryTransformation]
        public ChatHistory? Message { get; set; }
        /// <summary>The alias to use; without it the first available one.</summary>
        [Parameter, ArgumentCompleter(typeof(ProviderNameCompleter)), ValidateNotNullOrEmpty]
        public string? Provider { get => _chat.Endpoint.Provider; set => _chat.Endpoint.Provider = value; }
        /// <summary>The model, sent verbatim; defaults to the alias's.</summary>
        [Parameter, ArgumentCompleter(typeof(ModelNameCompleter)), ValidateNotNullOrEmpty]
        public string? Model { get => _chat.Endpoint.Model; set => _chat.Endpoint.Model = value; }
        /// <summary>Images sent with the prompt: paths of PNG, JPEG, GIF or WebP files, or http(s) URLs.</summary>
        [Parameter, ValidateNotNullOrEmpty]
        public string[]? Image { get => _chat.Images; set => _chat.Images = value; }
        /// <summary>A system message sent before the conversation.</summary>
        [Parameter]
        public string? SystemPrompt { get => _chat.SystemPrompt; set => _chat.SystemPrompt = value; }
        /// <summary>The sampling temperature, 0 to 5; not sent unless set.</summary>
        [Parameter, ValidateRange(0.0, 5.0)]
        public double Temperature { get => _chat.Temperature ?? 0; set => _chat.Temperature = value; }
        /// <summary>Nucleus sampling (top_p), 0 to 1; not sent unless set.</summary>
        [Parameter, ValidateRange(0.0, 1.0)]
        public double TopP { get => _chat.TopP ?? 0; set => _chat.TopP = value; }
        /// <summary>The answer's length cap; not sent unless set.</summary>
        [Parameter, ValidateRange(1, int.MaxValue)]
        public int MaxTokens { get => _chat.MaxTokens ?? 0; set => _chat.MaxTokens = value; }
        /// <summary>Stop sequences; not sent unless set.</summary>
        [Parameter, ValidateNotNullOrEmpty]
        public string[]? Stop { get => _chat.Stop; set => _chat.Stop = value; }
        /// <summary>The sampling seed; not sent unless set.</summary>
        [Parameter]
        public int Seed { get => _chat.Seed ?? 0; set => _chat.Seed = value; }
        /// <summary>Writes the answer as it arrives.</summary>
        [Parameter]
        public SwitchParameter Stream { get => _chat.Stream; set => _chat.Stream = value; }
        /// <summary>How many requests may be in flight at once.</summary>
        [Parameter, ValidateRange(1, 256)]
        public int ThrottleLimit { get => _chat.ThrottleLimit; set => _chat.ThrottleLimit = value; }
        /// <summary>Paces the requests to at most this many a minute.</summary>
        [Parameter, ValidateRange(1, 1000000)]
        public int RequestsPerMinute { get => _chat.RequestsPerMinute ?? 0; set => _chat.RequestsPerMinute = value; }
        /// <summary>Seconds each attempt may take.</summary>
        [Parameter, ValidateRange(1, 86400)]
        public int TimeoutSec { get => _chat.TimeoutSec; set => _chat.TimeoutSec = value; }
        /// <summary>Retries after a retryable failure.</summary>
        [Parameter, ValidateRange(0, 10)]
        public int MaxRetries { get => _chat.MaxRetries; set => _chat.MaxRetries = value; }
        /// <summary>The largest answer read, in MiB.</summary>
        [Parameter, ValidateRange(1, 2047)]
        public int MaxResponseMB { get => _chat.MaxResponseMB; set => _chat.MaxResponseMB = value; }
        /// <summary>Replaces the alias's base URL; a template.</summary>
        [Parameter, ValidateNotNullOrEmpty]
        public string? BaseUrl { get => _chat.Endpoint.BaseUrl; set => _chat.Endpoint.BaseUrl = value; }
        /// <summary>Extra request headers; values are templates.</summary>
        [Parameter]
        public Hashtable? Header { get => _header; set => _chat.Endpoint.Headers = HeaderValues.Read(_header = value); }
        /// <summary>The token, instead of the alias's variable.</summary>
        [Parameter]
        public SecureString? ApiKey { get => _chat.ApiKey; set => _chat.ApiKey = value; }
        /// <summary>AI Gateway cache TTL in seconds.</summary>
        [Parameter, ValidateRange(GatewayOptions.MinCacheTtlSeconds, GatewayOptions.MaxCacheTtlSeconds)]
        public int GatewayCacheTtl { get => _chat.Gateway.CacheTtl ?? 0; set => _chat.Gateway.CacheTtl = value; }
        /// <summary>Skips the AI Gateway cache.</summary>
        [Parameter]
        public SwitchParameter GatewaySkipCache { get => _chat.Gateway.SkipCache; set => _chat.Gateway.SkipCache = value; }
        /// <summary>A custom AI Gateway cache key.</summary>
        [Parameter, ValidateNotNullOrEmpty]
        public string? GatewayCacheKey { get => _chat.Gateway.CacheKey; set => _chat.Gateway.CacheKey = value; }
        /// <summary>Metadata for the AI Gateway logs.</summary>
        [Parameter, ValidateNotNull]
        public Hashtable? GatewayMetadata { get => _gatewayMetadata; set => _chat.Gateway.Metadata = GatewayParameters.MetadataEntries(_gatewayMetadata = value!); }
        /// <summary>An ID to find the request in the AI Gateway logs.</summary>
        [Parameter, ValidateNotNullOrEmpty]
        public string? GatewayEventId { get => _chat.Gateway.EventId; set => _chat.Gateway.EventId = value; }
        /// <summary>Tools the model may call: Get-Command results, OpenAI function hashtables, New-AITool objects.</summary>
        [Parameter, ValidateNotNullOrEmpty]
        public object[]? Tool { get; set; }
        /// <summary>Whether and which tool the model must call: auto, none, required, or a tool's name.</summary>
        [Parameter, ValidateNotNullOrEmpty]
        public string? ToolChoice { get => _chat.ToolChoice; set => _chat.ToolChoice = value; }
        /// <summary>Whether the module runs the tools the model calls: None (returns the calls), Confirm (asks for each), Auto.</summary>
        [Parameter, ValidateSet("None", "Confirm", "Auto")]
        public string InvokeTool { get => _chat.InvokeTool; set => _chat.InvokeTool = value; }
        /// <summary>How many rounds of tool results the model may get before it must answer.</summary>
        [Parameter, ValidateRange(1, 100)]
        public int MaxToolRounds { get => _chat.MaxToolRounds; set => _chat.MaxToolRounds = value; }
        /// <summary>A JSON Schema (text, hashtable or object) the answer must follow; the answer is parsed into Data.</summary>
        [Parameter, ValidateNotNull]
        public object? JsonSchema { get => _chat.JsonSchema; set => _chat.JsonSchema = StructuredParameters.Schema(value); }
        /// <summary>The schema's name (json_schema.name), default 'response'.</summary>
        [Parameter, ValidateNotNullOrEmpty]
        public string? SchemaName { get => _chat.SchemaName; set => _chat.SchemaName = value; }
        /// <summary>Json: the answer is any JSON object (JSON mode), parsed into Data.</summary>
        [Parameter, ValidateSet("Json")]
        public string? ResponseFormat { get => _chat.ResponseFormat; set => _chat.ResponseFormat = value; }
        /// <summary>Data holds hashtables instead of objects.</summary>
        [Parameter]
        public SwitchParameter AsHashtable { get => _chat.AsHashtable; set => _chat.AsHashtable = value; }
        /// <summary>Top-level request fields merged in last; replaces what the module set.</summary>
        [Parameter, ValidateNotNull]
        public Hashtable? ExtraBody { get => _extraBody; set => _chat.ExtraBody = StructuredParameters.Entries(_extraBody = value); }
        /// <summary>How hard a reasoning model thinks (reasoning_effort).</summary>
        [Parameter, ValidateSet("low", "medium", "high")]
        public string? ReasoningEffort { get => _chat.ReasoningEffort; set => _chat.ReasoningEffort = value; }
        /// <summary>Keeps streamed reasoning out of the console; it stays in Reasoning.</summary>
        [Parameter]
        public SwitchParameter HideReasoning { get => _chat.HideReasoning; set => _chat.HideReasoning = value; }

        /// <inheritdoc/>
        protected override void BeginProcessing()
        {
            UserAliasWarning.WriteOnce(this);
            _promptFromCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(Prompt));
            _commandLineHistory = Message;
            _run = new ChatRun(this, _chat, _stop.Token);
            try
            {
                _run.Begin(Message, Tool);
            }
            catch (CloudflareAIException e)
            {
                ThrowTerminatingError(ErrorRecords.From(e, e.ErrorId == ErrorIds.ChatMessageInvalid ? Message?.Source : null));
            }
        }

        /// <inheritdoc/>
        protected override void ProcessRecord()
        {
            _inputIndex++;
            if (!_promptFromCommandLine && string.IsNullOrWhiteSpace(Prompt))
            {
                // Blank lines from Get-Content are not questions: sending them costs a request and gets a random answer.
                _run!.Host.WriteWarning($"Input {_inputIndex} is an empty or blank prompt; it was skipped, not sent.");
                return;
            }
            // A -Message bound from this pipeline object (a piped response's Messages) is this record's own history.
            _run!.Send(Prompt, ReferenceEquals(Message, _commandLineHistory) ? null : Message);
        }

        /// <inheritdoc/>
        protected override void EndProcessing() => _run?.End();

        /// <inheritdoc/>
        protected override void StopProcessing() => _stop.Cancel();

        /// <summary>Cancels any request still running and releases what the call holds.</summary>
        public void Dispose()
        {
            // A pipeline that ends early without StopProcessing (a downstream Select-Object -First, a terminating error)
            // must not leave its requests running: they would keep reading and parsing the whole answer for nobody.
            try
            {
                _stop.Cancel();
            }
            catch (AggregateException)
            {
                // A cancellation callback failed; the requests are cancelled all the same.
            }
            _stop.Dispose();
            _run?.Dispose();
        }
    }
}
