using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Net;
using System.Security;
using System.Threading;
using System.Threading.Tasks;

namespace CloudflareAI.Commands
{
    /// <summary>
    /// Invoke-AIChat: sends a chat request through a provider alias and returns the answer as a ChatResponse.
    /// The core does the HTTP work on worker threads; everything they report comes back to the pipeline thread through
    /// <see cref="PipelineEventQueue"/>, and Ctrl+C cancels the requests at once.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "AIChat", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = PromptSet)]
    [OutputType(typeof(ChatResponse))]
    public sealed class InvokeAIChatCommand : PSCmdlet, IDisposable
    {
        private const string PromptSet = "Prompt";

        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly PipelineEventQueue _events = new PipelineEventQueue();
        private readonly List<PendingChat> _pending = new List<PendingChat>();
        private ResolvedEndpoint? _resolved;
        private List<ChatMessage> _history = new List<ChatMessage>();
        private object[]? _historySource;
        private bool _promptFromCommandLine;
        private int _inputIndex;
        private ChatCallOptions _options = new ChatCallOptions();
        private ChatOutput? _output;
        private BatchScheduler? _batch;
        private ToolSet? _tools;
        private CommandToolHost? _toolHost;

        /// <summary>The user message; each string piped in is one request.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PromptSet)]
        [AllowEmptyString]
        public string Prompt { get; set; } = string.Empty;

        /// <summary>The alias to use; without it the first available one.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(ProviderNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string? Provider { get; set; }

        /// <summary>The model, sent verbatim; defaults to the alias's.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(ModelNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string? Model { get; set; }

        /// <summary>A system message sent before the conversation.</summary>
        [Parameter]
        public string? SystemPrompt { get; set; }

        /// <summary>The conversation so far: messages or a ChatResponse.</summary>
        // By property name as Messages too: a ChatResponse (or one back from Import-Clixml, a job, remoting) piped in
        // is the history, so "$r | Invoke-AIChat 'and then?'" goes on with the conversation.
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Messages")]
        public object[]? Message { get; set; }

        /// <summary>The sampling temperature, 0 to 5; not sent unless set.</summary>
        [Parameter]
        [ValidateRange(0.0, 5.0)]
        public double Temperature { get; set; }

        /// <summary>Nucleus sampling (top_p), 0 to 1; not sent unless set.</summary>
        [Parameter]
        [ValidateRange(0.0, 1.0)]
        public double TopP { get; set; }

        /// <summary>The answer's length cap; not sent unless set.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int MaxTokens { get; set; }

        /// <summary>Stop sequences; not sent unless set.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? Stop { get; set; }

        /// <summary>The sampling seed; not sent unless set.</summary>
        [Parameter]
        public int Seed { get; set; }

        /// <summary>Writes the answer as it arrives.</summary>
        [Parameter]
        public SwitchParameter Stream { get; set; }

        /// <summary>How many requests may be in flight at once.</summary>
        [Parameter]
        [ValidateRange(1, 256)]
        public int ThrottleLimit { get; set; } = 1;

        /// <summary>Paces the requests to at most this many a minute.</summary>
        [Parameter]
        [ValidateRange(1, 1000000)]
        public int RequestsPerMinute { get; set; }

        /// <summary>Seconds each attempt may take.</summary>
        [Parameter]
        [ValidateRange(1, 86400)]
        public int TimeoutSec { get; set; } = 300;

        /// <summary>Retries after a retryable failure.</summary>
        [Parameter]
        [ValidateRange(0, 10)]
        public int MaxRetries { get; set; } = 3;

        /// <summary>The largest answer read, in MiB.</summary>
        [Parameter]
        [ValidateRange(1, 2047)]
        public int MaxResponseMB { get; set; } = 32;

        /// <summary>Replaces the alias's base URL; a template.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? BaseUrl { get; set; }

        /// <summary>Extra request headers; values are templates.</summary>
        [Parameter]
        public Hashtable? Header { get; set; }

        /// <summary>The token, instead of the alias's variable.</summary>
        [Parameter]
        public SecureString? ApiKey { get; set; }

        /// <summary>AI Gateway cache TTL in seconds.</summary>
        [Parameter]
        [ValidateRange(GatewayOptions.MinCacheTtlSeconds, GatewayOptions.MaxCacheTtlSeconds)]
        public int GatewayCacheTtl { get; set; }

        /// <summary>Skips the AI Gateway cache.</summary>
        [Parameter]
        public SwitchParameter GatewaySkipCache { get; set; }

        /// <summary>A custom AI Gateway cache key.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? GatewayCacheKey { get; set; }

        /// <summary>Metadata for the AI Gateway logs.</summary>
        [Parameter]
        [ValidateNotNull]
        public Hashtable? GatewayMetadata { get; set; }

        /// <summary>An ID to find the request in the AI Gateway logs.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? GatewayEventId { get; set; }

        /// <summary>Tools the model may call: Get-Command results, OpenAI function hashtables, New-AITool objects.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public object[]? Tool { get; set; }

        /// <summary>Whether and which tool the model must call: auto, none, required, or a tool's name.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ToolChoice { get; set; }

        /// <summary>Whether the module runs the tools the model calls: None (returns the calls), Confirm (asks for each), Auto.</summary>
        [Parameter]
        [ValidateSet("None", "Confirm", "Auto")]
        public string InvokeTool { get; set; } = "None";

        /// <summary>How many rounds of tool results the model may get before it must answer.</summary>
        [Parameter]
        [ValidateRange(1, 100)]
        public int MaxToolRounds { get; set; } = ToolLoop.DefaultMaxRounds;

        /// <inheritdoc/>
        protected override void BeginProcessing()
        {
            if (Stream && ThrottleLimit > 1)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new ArgumentException("-Stream writes one answer to the console as it arrives, so it cannot run with -ThrottleLimit above 1."),
                    ErrorIds.StreamWithThrottleLimit, ErrorCategory.InvalidArgument, ThrottleLimit)
                {
                    ErrorDetails = new ErrorDetails("-Stream cannot be combined with -ThrottleLimit above 1.")
                    {
                        RecommendedAction = "Drop -Stream to run prompts in parallel, or drop -ThrottleLimit to stream them one by one.",
                    },
                });
            }

            _promptFromCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(Prompt));
            _historySource = Message;
            var invalid = TryConvertHistory(Message, out _history);
            if (invalid != null) ThrowTerminatingError(invalid);

            var request = new EndpointOverrides
            {
                Provider = Provider,
                Model = Model,
                BaseUrl = BaseUrl,
                Headers = HeaderValues.Read(Header),
                ApiKey = ApiKey == null ? null : new NetworkCredential(string.Empty, ApiKey).Password,
                Gateway = new GatewayOptions
                {
                    CacheTtl = MyInvocation.BoundParameters.ContainsKey(nameof(GatewayCacheTtl)) ? GatewayCacheTtl : (int?)null,
                    SkipCache = GatewaySkipCache,
                    CacheKey = GatewayCacheKey,
                    Metadata = GatewayMetadata == null ? null : GatewayParameters.MetadataEntries(GatewayMetadata),
                    EventId = GatewayEventId,
                },
            };
            var output = _output = new ChatOutput(this, _events);
            try
            {
                _resolved = EndpointResolver.Resolve(request, ProcessEnvironmentReader.Instance);
            }
            catch (CloudflareAIException e)
            {
                // The template as received, also when it cannot be used: in double quotes PowerShell has already
                // expanded ${NAME} to an empty string, and this line shows what is left.
                string? template = BaseUrl ?? (Provider != null && AliasCatalog.TryGet(Provider, out var named) ? named.BaseUrlTemplate : null);
                if (template != null && output.ShowsVerbose)
                {
                    output.WriteVerbose($"Base URL template '{EndpointResolver.ShowSafely(request, ProcessEnvironmentReader.Instance, template)}'.");
                }
                ThrowTerminatingError(ErrorRecords.From(e));
            }

            try
            {
                if (Tool != null) _tools = ToolBinder.Bind(this, Tool, output.WriteVerbose);
                ToolBinder.CheckChoice(ToolChoice, _tools);
            }
            catch (CloudflareAIException e)
            {
                ThrowTerminatingError(ErrorRecords.From(e, Tool));
            }
            if (_tools != null && InvokeTool != "None")
            {
                _toolHost = new CommandToolHost(_tools, _events, output, InvokeTool == "Confirm", CommandToolHost.ConfirmDecided(this));
            }

            var resolved = _resolved!;
            if (resolved.AutoSelected)
            {
                output.WriteVerbose($"No -Provider given: using '{resolved.Alias.Name}', the first available alias in the auto-selection order.");
            }
            if (output.ShowsVerbose) output.WriteVerbose($"Alias {resolved.Alias.Name}, model {resolved.Model}, base URL template '{resolved.DisplayTemplate}'.");
            foreach (var warning in resolved.Warnings) output.WriteWarning(warning);
            IChatObserver observer = output;
            _batch = new BatchScheduler(ThrottleLimit, MyInvocation.BoundParameters.ContainsKey(nameof(RequestsPerMinute)) ? RequestsPerMinute : (int?)null,
                report: output.ShowsVerbose ? observer.OnVerbose : (Action<string>?)null);
            _batch.Changed += _events.Wake;
            if (output.ShowsVerbose && (ThrottleLimit > 1 || _batch.Burst > 0)) output.WriteVerbose(_batch.Description);
            // Only what this session's catalog cache already knows: no request is added before the chat call.
            foreach (var warning in ModelAdvice.ForCachedModel(ModelCatalog.Shared, resolved, ProcessEnvironmentReader.Instance)) output.WriteWarning(warning);
            _options = new ChatCallOptions
            {
                Timeout = TimeSpan.FromSeconds(TimeoutSec),
                MaxRetries = MaxRetries,
                MaxResponseBytes = MaxResponseMB * 1024L * 1024L,
                // Lines nobody will see are not built at all.
                ReportVerbose = output.ShowsVerbose,
                ReportDebug = output.ShowsDebug,
                Scheduler = _batch,
            };
        }

        /// <inheritdoc/>
        protected override void ProcessRecord()
        {
            var resolved = _resolved!;
            _inputIndex++;
            if (!_promptFromCommandLine && string.IsNullOrWhiteSpace(Prompt))
            {
                // Blank lines from Get-Content are not questions: sending them costs a request and gets a random answer.
                _output!.WriteWarning($"Input {_inputIndex} is an empty or blank prompt; it was skipped, not sent.");
                return;
            }

            // -Message bound from this pipeline object (a piped response's Messages) is this record's history; the
            // command line's was converted once in BeginProcessing.
            var history = _history;
            if (!ReferenceEquals(Message, _historySource))
            {
                var invalid = TryConvertHistory(Message, out history);
                if (invalid != null)
                {
                    _output!.WriteError(invalid);
                    return;
                }
            }

            var request = BuildRequest(resolved, history);
            if (!ShouldProcess(resolved.Target, $"POST {resolved.DisplayUrl}"))
            {
                return;
            }

            Task<ChatResponse> task;
            try
            {
                // A stream starts on a worker thread: when the server is quick (loopback, cache), every read can complete
                // at once and the whole answer would be read on this thread, which then writes no text until the end.
                var output = _output!;
                var host = _toolHost;
                // The tool loop waits for this thread to run each tool, so it must never run on it.
                task = host != null
                    ? Task.Run(() => ToolLoop.RunAsync(ChatClient.Shared, resolved.Endpoint, request, _options, output, host, MaxToolRounds, _stop.Token))
                    : Stream
                    ? Task.Run(() => ChatClient.Shared.SendAsync(resolved.Endpoint, request, _options, output, _stop.Token))
                    : ChatClient.Shared.SendAsync(resolved.Endpoint, request, _options, output, _stop.Token);
            }
            catch (CloudflareAIException e)
            {
                _output!.WriteError(ErrorRecords.From(e, Prompt));
                return;
            }
            task.ContinueWith(_ => _events.Wake(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            _pending.Add(new PendingChat(task, Prompt));

            // The scheduler keeps ThrottleLimit requests in flight; the next prompt starts once a place is free for it and the
            // answers held in input order stay within bounds. A streamed answer owns the console, so it goes alone.
            CompleteFinished();
            while (!CanStartAnother())
            {
                _events.Pump(this, _stop.Token, () => CanStartAnother() || (_pending.Count > 0 && _pending[0].Task.IsCompleted));
                CompleteFinished();
            }
        }

        /// <inheritdoc/>
        protected override void EndProcessing()
        {
            while (_pending.Count > 0)
            {
                _events.Pump(this, _stop.Token, () => _pending[0].Task.IsCompleted);
                CompleteFinished();
            }
            _events.Drain(this);
            _output?.EndLine();
        }

        /// <inheritdoc/>
        protected override void StopProcessing()
        {
            _stop.Cancel();
        }

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
            _events.Dispose();
        }

        private void CompleteFinished()
        {
            var output = _output!;
            _events.Drain(this);
            while (_pending.Count > 0 && _pending[0].Task.IsCompleted)
            {
                var done = _pending[0];
                _pending.RemoveAt(0);
                var task = done.Task;
                if (task.Status == TaskStatus.RanToCompletion)
                {
                    var response = task.Result;
                    if (output.ShowsVerbose) output.WriteVerbose($"Answer from {response.Provider} ({response.Model ?? _resolved!.Model}) in {response.Duration.TotalMilliseconds:F0} ms after {response.Attempts} attempt(s).");
                    // The console has shown the text already; the default view then prints a one-line summary instead.
                    if (output.TakeTextShown() && Stream) response.StreamedToHost = true;
                    output.WriteObject(response);
                    continue;
                }

                var error = task.Exception?.GetBaseException();
                if ((task.IsCanceled || error is OperationCanceledException) && _stop.IsCancellationRequested)
                {
                    output.EndLine();
                    throw new PipelineStoppedException();
                }
                if (error is CloudflareAIException known)
                {
                    // A tool round limit carries the conversation so far, so -Message can continue it.
                    output.WriteError(ErrorRecords.From(known, known.ErrorId == ErrorIds.ToolRoundLimitExceeded ? known.Target : done.Prompt));
                }
                else
                {
                    // Unexpected: keep the inner exception, but say it plainly.
                    // Its text may quote the server: masked and made safe for the terminal like every other message.
                    var mask = new SecretRedactor(_resolved!.Endpoint.Secrets);
                    var wrapped = new CloudflareAIException(ErrorIds.ChatResponseInvalid, ErrorKind.InvalidResult,
                        "The request failed unexpectedly: " + TerminalText.Escape(mask.RedactIgnoringCase(error?.Message ?? "cancelled")),
                        "Run again with -Verbose -Debug to see the exchange; report it if it persists.", error != null && mask.ContainsIgnoringCase(error.ToString()) ? null : error);
                    output.WriteError(ErrorRecords.From(wrapped, done.Prompt));
                }
            }
        }

        private bool CanStartAnother()
        {
            if (Stream) return _pending.Count == 0;
            int held = 0;
            foreach (var pending in _pending) if (pending.Task.IsCompleted) held++;
            return _batch!.CanAdmit(held, _pending.Count);
        }

        /// <summary>The -Message history as ChatMessages, or the ChatMessageInvalid record that says what is wrong.</summary>
        private ErrorRecord? TryConvertHistory(object[]? message, out List<ChatMessage> history)
        {
            history = new List<ChatMessage>();
            try
            {
                history = MessageConverter.Convert(message);
                MessageRules.Validate(history);
                return null;
            }
            catch (ArgumentException e)
            {
                return ErrorRecords.From(MessageRules.Invalid(e.Message, e), message);
            }
            catch (CloudflareAIException e)
            {
                return ErrorRecords.From(e, message);
            }
        }

        private ChatRequest BuildRequest(ResolvedEndpoint resolved, List<ChatMessage> history)
        {
            var messages = new List<ChatMessage>(history.Count + 2);
            if (SystemPrompt != null) messages.Add(new ChatMessage("system", SystemPrompt));
            messages.AddRange(history);
            messages.Add(new ChatMessage("user", Prompt));
            var bound = MyInvocation.BoundParameters;
            return new ChatRequest
            {
                Model = resolved.Model,
                Messages = messages,
                Temperature = bound.ContainsKey(nameof(Temperature)) ? Temperature : (double?)null,
                TopP = bound.ContainsKey(nameof(TopP)) ? TopP : (double?)null,
                MaxTokens = bound.ContainsKey(nameof(MaxTokens)) ? MaxTokens : (int?)null,
                Stop = Stop,
                Seed = bound.ContainsKey(nameof(Seed)) ? Seed : (int?)null,
                Stream = Stream,
                Tools = _tools?.Definitions,
                ToolChoice = ToolChoice,
            };
        }

        private sealed class PendingChat
        {
            public PendingChat(Task<ChatResponse> task, string prompt)
            {
                Task = task;
                Prompt = prompt;
            }

            public Task<ChatResponse> Task { get; }

            public string Prompt { get; }
        }
    }
}
