using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace CloudflareAI.PowerShell
{
    /// <summary>
    /// Runs the tools a model calls, on the pipeline thread (commands may only run there): the tool loop posts each call
    /// through <see cref="PipelineWriteQueue"/> and waits. With Confirm, each call is asked through ShouldProcess first;
    /// when -Confirm was not given, the user is asked all the same (Invoke-AIChat's confirm impact is Low, so ShouldProcess
    /// alone would not ask), and -Confirm:$false runs the calls without asking.
    /// </summary>
    internal sealed class CommandToolHost : IToolHost
    {
        private const string Declined = "The user declined to run this tool; it was not run.";

        // The output as the model reads it: compact JSON, deep enough for most objects, without the depth warning.
        private const string InvokeScript = @"param($__tool, $__arguments)
$__output = @(& $__tool @__arguments)
if ($__output.Count -eq 0) { 'null' }
elseif ($__output.Count -eq 1) { ConvertTo-Json -InputObject $__output[0] -Compress -Depth 5 -WarningAction Ignore }
else { ConvertTo-Json -InputObject $__output -Compress -Depth 5 -WarningAction Ignore }";

        private readonly PSCmdlet _cmdlet;
        private readonly ToolSet _tools;
        private readonly PipelineWriteQueue _queue;
        private readonly ChatHostWriter _output;
        private readonly bool _confirm;
        private readonly bool _confirmBound;
        private bool _yesToAll;
        private bool _noToAll;

        public CommandToolHost(PSCmdlet cmdlet, ToolSet tools, PipelineWriteQueue queue, ChatHostWriter output, bool confirm, bool confirmBound)
        {
            _cmdlet = cmdlet;
            _tools = tools;
            _queue = queue;
            _output = output;
            _confirm = confirm;
            _confirmBound = confirmBound;
        }

        /// <summary>
        /// True when -Confirm was given, here or to a calling script (-Confirm:$false there sets $ConfirmPreference to None):
        /// then ShouldProcess alone decides, without a second question.
        /// </summary>
        public static bool ConfirmDecided(PSCmdlet cmdlet)
        {
            if (cmdlet.MyInvocation.BoundParameters.ContainsKey("Confirm")) return true;
            object? preference = cmdlet.GetVariableValue("ConfirmPreference");
            if (preference is PSObject wrapped) preference = wrapped.BaseObject;
            return preference is ConfirmImpact impact && impact == ConfirmImpact.None;
        }

        public Task<string?> RunAsync(ToolCall call, CancellationToken cancellationToken)
        {
            var done = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
            CancellationTokenRegistration registration = cancellationToken.Register(() => done.TrySetCanceled());
            _queue.Post(() =>
            {
                try
                {
                    if (!done.Task.IsCompleted) done.TrySetResult(Run(_cmdlet, call));
                }
                catch (Exception e)
                {
                    done.TrySetException(e);
                }
                finally
                {
                    registration.Dispose();
                }
            });
            return done.Task;
        }

        private string? Run(PSCmdlet cmdlet, ToolCall call)
        {
            if (!_tools.TryGet(call.Name, out ToolEntry entry) || entry.Runnable == null) return null;

            if (_confirm)
            {
                string target = $"{call.Name} {Shorten(call.ArgumentsJson)}";
                if (!cmdlet.ShouldProcess(target, "Run the tool the model called")) return ToolResultText.Error(Declined);
                if (!_confirmBound)
                {
                    try
                    {
                        if (!cmdlet.ShouldContinue($"The model asks to run {target}. Run it?", "Run a tool", ref _yesToAll, ref _noToAll))
                        {
                            return ToolResultText.Error(Declined);
                        }
                    }
                    catch (Exception e) when (e is PSInvalidOperationException || e is System.Management.Automation.Host.HostException || e is NotImplementedException)
                    {
                        _output.WriteWarning($"{call.Name} was not run: -InvokeTool Confirm could not ask ({e.Message}). Add -Confirm:$false to run the calls without asking, or use -InvokeTool Auto.");
                        return ToolResultText.Error("The tool was not run: nobody could confirm it.");
                    }
                }
            }

            var watch = Stopwatch.StartNew();
            using (System.Management.Automation.PowerShell shell = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace))
            {
                shell.AddScript(InvokeScript).AddArgument(entry.Runnable).AddArgument(Arguments(call));
                Collection<PSObject> results;
                try
                {
                    results = shell.Invoke();
                }
                catch (RuntimeException e)
                {
                    // Arguments that do not bind, and terminating errors of the tool, go back to the model.
                    _output.WriteVerbose($"{call.Name} failed: {e.Message}");
                    return ToolResultText.Error(e.Message);
                }
                string json = results.Count > 0 ? results[0]?.ToString() ?? "null" : "null";
                if (shell.Streams.Error.Count > 0 && json == "null")
                {
                    string message = shell.Streams.Error[0].ToString();
                    _output.WriteVerbose($"{call.Name} failed: {message}");
                    return ToolResultText.Error(message);
                }
                if (_output.Gate.ShowsVerbose) _output.WriteVerbose($"{call.Name} ran in {watch.ElapsedMilliseconds} ms; {json.Length} characters of JSON go back to the model.");
                return json;
            }
        }

        /// <summary>The model's arguments as a hashtable to splat: lists become arrays, objects hashtables.</summary>
        private static Hashtable Arguments(ToolCall call)
        {
            var table = new Hashtable(StringComparer.OrdinalIgnoreCase);
            if (call.Arguments is IDictionary<string, object?> arguments)
            {
                foreach (KeyValuePair<string, object?> pair in arguments) table[pair.Key] = Plain(pair.Value);
            }
            return table;
        }

        private static object? Plain(object? value)
        {
            switch (value)
            {
                case IDictionary<string, object?> map:
                    var table = new Hashtable(StringComparer.OrdinalIgnoreCase);
                    foreach (KeyValuePair<string, object?> pair in map) table[pair.Key] = Plain(pair.Value);
                    return table;
                case object?[] list:
                    var array = new object?[list.Length];
                    for (int i = 0; i < list.Length; i++) array[i] = Plain(list[i]);
                    return array;
                case long whole when whole >= int.MinValue && whole <= int.MaxValue:
                    return (int)whole;
                default:
                    return value;
            }
        }

        private static string Shorten(string text) => text.Length <= 200 ? text : text.Substring(0, 200) + "...";
    }
}
