using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace CloudflareAI.PowerShell
{
    /// <summary>
    /// One Invoke-AIChat call, from BeginProcessing to the end: the endpoint resolved once, the bridge (queue, worker-side
    /// observer, pipeline-side writer), the batch, and the requests in flight, whose answers are written in input order.
    /// Everything here runs on the pipeline thread; worker threads reach it only through the queue.
    /// </summary>
    internal sealed class ChatRun : IDisposable
    {
        private readonly PSCmdlet _cmdlet;
        private readonly ChatSettings _settings;
        private readonly CancellationToken _stop;
        private readonly PipelineWriteQueue _queue;
        private readonly ChatHostWriter _host;
        private readonly QueuedChatObserver _observer;
        private readonly List<Pending> _pending = new List<Pending>();
        private IReadOnlyList<ChatMessage> _history = new ChatMessage[0];
        private ResolvedEndpoint? _resolved;
        private BatchScheduler? _batch;
        private ChatCallOptions? _options;
        private CommandToolHost? _toolHost;

        public ChatRun(PSCmdlet cmdlet, ChatSettings settings, CancellationToken stop)
        {
            _cmdlet = cmdlet;
            _settings = settings;
            _stop = stop;
            _host = new ChatHostWriter(cmdlet, PreferenceCheck.Gate(cmdlet));
            _queue = new PipelineWriteQueue(_host.WriteText);
            _observer = new QueuedChatObserver(_queue, _host);
        }

        /// <summary>The pipeline-side writer, for the cmdlet's own lines.</summary>
        public ChatHostWriter Host => _host;

        /// <summary>Checks the settings and the command line's history, resolves the endpoint and writes what setting up found.</summary>
        /// <exception cref="CloudflareAIException">Anything that stops the whole call before a request.</exception>
        public void Begin(ChatHistory? history, object[]? tools = null)
        {
            _settings.Validate();
            ToolSet? toolSet = tools == null ? null : ToolBinder.Bind(_cmdlet, tools, _host.WriteVerbose);
            _settings.Tools = toolSet?.Definitions;
            _settings.ValidateToolChoice();
            if (toolSet != null && _settings.RunsTools)
            {
                _toolHost = new CommandToolHost(_cmdlet, toolSet, _queue, _host, _settings.InvokeTool == "Confirm", CommandToolHost.ConfirmDecided(_cmdlet));
            }
            if (history?.Problem != null) throw history.Problem;
            _history = history?.Messages ?? _history;

            var overrides = _settings.Overrides();
            try
            {
                _resolved = EndpointResolver.Resolve(overrides, ProcessEnvironmentReader.Instance);
            }
            catch (CloudflareAIException)
            {
                if (_host.Gate.ShowsVerbose)
                {
                    string? line = _settings.FailedTemplateLine(overrides, ProcessEnvironmentReader.Instance);
                    if (line != null) _host.WriteVerbose(line);
                }
                throw;
            }

            var resolved = _resolved;
            _settings.CheckEndpoint(resolved.Endpoint);
            _host.ShowsReasoning = !_settings.HideReasoning;
            bool verbose = _host.Gate.ShowsVerbose;
            if (resolved.AutoSelected) _host.WriteVerbose($"No -Provider given: using '{resolved.Alias.Name}', the first available alias in the auto-selection order.");
            if (verbose) _host.WriteVerbose($"Alias {resolved.Alias.Name}, model {resolved.Model}, base URL template '{resolved.DisplayTemplate}'.");
            foreach (var warning in resolved.Warnings) _host.WriteWarning(warning);
            _settings.LoadImages(path => _cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path), resolved);
            var batch = _batch = _settings.Batch(verbose ? _observer.OnVerbose : (Action<string>?)null);
            batch.Changed += _queue.Wake;
            if (verbose && (batch.ThrottleLimit > 1 || batch.Burst > 0)) _host.WriteVerbose(batch.Description);
            // Only what this session's catalog cache already knows: no request is added before the chat call.
            foreach (var warning in ModelAdvice.ForCachedModel(ModelCatalog.Shared, resolved, ProcessEnvironmentReader.Instance)) _host.WriteWarning(warning);
            _options = _settings.CallOptions(batch, verbose, _host.Gate.Debug);
            _options.DataObjectFactory = StructuredParameters.DataObjects(_settings.AsHashtable);
        }

        /// <summary>
        /// Sends one prompt (after ShouldProcess), then waits, writing what comes back, until the batch has room for the
        /// next. <paramref name="history"/> is this record's own, when it was bound from the piped object.
        /// </summary>
        public void Send(string prompt, ChatHistory? history)
        {
            var resolved = _resolved!;
            if (history?.Problem != null)
            {
                _host.WriteError(ErrorRecords.From(history.Problem, history.Source));
                return;
            }
            var request = _settings.Request(resolved.Model, history?.Messages ?? _history, prompt);
            if (!_cmdlet.ShouldProcess(resolved.Target, $"POST {resolved.DisplayUrl}")) return;

            var options = _options!;
            var tools = _toolHost;
            // The tool loop waits for this thread to run each tool, so it always runs on a worker.
            var task = tools != null
                ? _queue.Start(() => ToolLoop.RunAsync(ChatClient.Shared, resolved.Endpoint, request, options, _observer, tools, _settings.MaxToolRounds, _stop), onWorker: true)
                : _queue.Start(() => ChatClient.Shared.SendAsync(resolved.Endpoint, request, options, _observer, _stop), onWorker: _settings.Stream);
            _pending.Add(new Pending(task, prompt));

            // The scheduler keeps ThrottleLimit requests in flight; the next prompt starts once a place is free for it and the
            // answers held in input order stay within bounds. A streamed answer owns the console, so it goes alone.
            WriteFinished();
            while (!CanStartAnother())
            {
                Wait(() => CanStartAnother() || (_pending.Count > 0 && _pending[0].Task.IsCompleted));
                WriteFinished();
            }
        }

        /// <summary>Waits for every request still in flight and writes what is left.</summary>
        public void End()
        {
            while (_pending.Count > 0)
            {
                Wait(() => _pending[0].Task.IsCompleted);
                WriteFinished();
            }
            _queue.RunPending();
            _host.EndLine();
        }

        public void Dispose() => _queue.Dispose();

        private void Wait(Func<bool> done)
        {
            if (!_queue.RunUntil(done, _stop)) throw new PipelineStoppedException();
        }

        private bool CanStartAnother()
        {
            if (_settings.Stream) return _pending.Count == 0;
            int held = 0;
            foreach (var pending in _pending) if (pending.Task.IsCompleted) held++;
            return _batch!.CanAdmit(held, _pending.Count);
        }

        /// <summary>Writes the queued lines, then the finished answers at the head of the line, in input order.</summary>
        private void WriteFinished()
        {
            _queue.RunPending();
            while (_pending.Count > 0 && _pending[0].Task.IsCompleted)
            {
                var done = _pending[0];
                _pending.RemoveAt(0);
                var task = done.Task;
                if (task.Status == TaskStatus.RanToCompletion)
                {
                    var response = task.Result;
                    if (_host.Gate.ShowsVerbose) _host.WriteVerbose($"Answer from {response.Provider} ({response.Model ?? _resolved!.Model}) in {response.Duration.TotalMilliseconds:F0} ms after {response.Attempts} attempt(s).");
                    // The console has shown the text already; the default view then prints a one-line summary instead.
                    if (_host.TakeTextShown() && _settings.Stream) response.StreamedToHost = true;
                    _host.WriteObject(response);
                    continue;
                }

                var error = task.Exception?.GetBaseException();
                if ((task.IsCanceled || error is OperationCanceledException) && _stop.IsCancellationRequested)
                {
                    _host.EndLine();
                    throw new PipelineStoppedException();
                }
                var known = error as CloudflareAIException ?? UnexpectedFailure.From(error, _resolved!.Endpoint.Redactor);
                // A tool round limit carries the conversation so far, so -Message can continue it.
                _host.WriteError(ErrorRecords.From(known, known.ErrorId == ErrorIds.ToolRoundLimitExceeded ? known.Target : done.Prompt));
            }
        }

        private sealed class Pending
        {
            public Pending(Task<ChatResponse> task, string prompt)
            {
                Task = task;
                Prompt = prompt;
            }

            public Task<ChatResponse> Task { get; }

            public string Prompt { get; }
        }
    }
}
