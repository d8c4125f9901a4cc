using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace CloudflareAI.Chat.Tools
{
    /// <summary>
    /// Asks, runs the tools the model calls, sends their results back as tool messages with the same call IDs, and asks
    /// again, until the model answers without calling a tool. Only declared tools ever run: a call to another name, or with
    /// arguments that are not a JSON object, goes back to the model as an error result. More than the allowed number of
    /// rounds is ToolRoundLimitExceeded, with the conversation so far as its target.
    /// </summary>
    internal static class ToolLoop
    {
        /// <summary>The default -MaxToolRounds.</summary>
        public const int DefaultMaxRounds = 8;

        /// <summary>Runs the conversation of <paramref name="request"/> to its answer; the request's Messages grow as it goes.</summary>
        /// <param name="client">Sends each request.</param>
        /// <param name="endpoint">Where to.</param>
        /// <param name="request">The model, history and tools.</param>
        /// <param name="options">Per-request limits.</param>
        /// <param name="observer">Progress; the loop reports each call it runs or refuses.</param>
        /// <param name="host">Runs the declared tools.</param>
        /// <param name="maxRounds">How many times tools may be run before the model must answer.</param>
        /// <param name="cancellationToken">Stops it.</param>
        /// <exception cref="ChatException">A request failed.</exception>
        /// <exception cref="CloudflareAIException">ToolRoundLimitExceeded.</exception>
        public static async Task<ChatResponse> RunAsync(ChatClient client, ChatEndpoint endpoint, ChatRequest request, ChatCallOptions options,
            IChatObserver observer, IToolHost host, int maxRounds, CancellationToken cancellationToken)
        {
            if (client == null) throw new ArgumentNullException(nameof(client));
            if (host == null) throw new ArgumentNullException(nameof(host));
            var declared = new HashSet<string>((request.Tools ?? Array.Empty<ToolDefinition>()).Select(t => t.Name), StringComparer.Ordinal);
            var redactor = new SecretRedactor(endpoint.Secrets);
            var watch = Stopwatch.StartNew();
            int attempts = 0;
            ChatUsage? usage = null;

            for (int round = 0; ; round++)
            {
                ChatResponse response = await client.SendAsync(endpoint, request, options, observer, cancellationToken).ConfigureAwait(false);
                attempts += response.Attempts;
                usage = Add(usage, response.Usage);
                response.Attempts = attempts;
                response.Usage = usage;
                response.Duration = watch.Elapsed;
                if (response.ToolCalls.Count == 0) return response;

                if (round >= maxRounds)
                {
                    throw new CloudflareAIException(ErrorIds.ToolRoundLimitExceeded, ErrorKind.LimitsExceeded,
                        $"The model still called tools after {maxRounds} round(s) of tool results (-MaxToolRounds {maxRounds}).",
                        "Raise -MaxToolRounds if the task needs more steps, or make the prompt say when to stop; the conversation so far is the error's TargetObject, ready for -Message.")
                    {
                        Target = response.Messages,
                    };
                }

                var messages = new List<ChatMessage>(response.Messages);
                foreach (ToolCall call in response.ToolCalls)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    string? result;
                    if (!declared.Contains(call.Name))
                    {
                        Report(observer, options, redactor, $"The model called '{call.Name}', which is not one of the tools given with -Tool; it was not run.");
                        result = ToolResultText.Error($"There is no tool named '{call.Name}'. The tools are: {string.Join(", ", declared)}.");
                    }
                    else if (!(call.Arguments is IDictionary<string, object?>))
                    {
                        Report(observer, options, redactor, $"The model called '{call.Name}' with arguments that are not a JSON object; it was not run.");
                        result = ToolResultText.Error("The arguments must be a JSON object of parameter names and values.");
                    }
                    else
                    {
                        Report(observer, options, redactor, $"Round {round + 1}: the model calls {call.Name} {call.ArgumentsJson} (call ID {call.Id}).");
                        result = await host.RunAsync(call, cancellationToken).ConfigureAwait(false);
                        if (result == null)
                        {
                            Report(observer, options, redactor, $"'{call.Name}' has no implementation here; the answer is returned with its tool calls.");
                            return response;
                        }
                    }
                    messages.Add(new ChatMessage("tool", ToolResultText.Limit(result)) { ToolCallId = call.Id });
                }
                request.Messages = messages;
            }
        }

        private static void Report(IChatObserver observer, ChatCallOptions options, SecretRedactor redactor, string line)
        {
            if (options.ReportVerbose) observer.OnVerbose(redactor.Redact(line));
        }

        private static ChatUsage? Add(ChatUsage? sum, ChatUsage? next)
        {
            if (next == null) return sum;
            if (sum == null) return next;
            return new ChatUsage
            {
                PromptTokens = sum.PromptTokens + next.PromptTokens,
                CompletionTokens = sum.CompletionTokens + next.CompletionTokens,
                TotalTokens = sum.TotalTokens + next.TotalTokens,
            };
        }
    }
}
