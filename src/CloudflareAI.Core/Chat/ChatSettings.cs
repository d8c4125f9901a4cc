using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Security;

namespace CloudflareAI.Chat
{
    /// <summary>
    /// What one Invoke-AIChat call asks for, as bound: every option is null (or its default) unless the user gave it, so
    /// only what was given is sent. It turns those values into what the core takes: the endpoint overrides, the batch,
    /// the call options and, per prompt, the request. A new option is one property here and one line where it is used.
    /// </summary>
    internal sealed class ChatSettings : CallSettings
    {
        /// <summary>-Provider, -Model, -BaseUrl, -Header and the -Gateway* controls, for <see cref="EndpointResolver"/>.</summary>
        public EndpointOverrides Endpoint { get; } = new EndpointOverrides { Gateway = new GatewayOptions() };

        /// <summary>-SystemPrompt: a system message sent before the history.</summary>
        public string? SystemPrompt { get; set; }

        /// <summary>-Image: paths and URLs as given; loaded once by <see cref="LoadImages"/>.</summary>
        public string[]? Images { get; set; }

        /// <summary>The image_url parts every prompt's message carries, once loaded; null without -Image.</summary>
        public IReadOnlyList<object?>? ImageParts { get; private set; }

        /// <summary>-Temperature; not sent when null.</summary>
        public double? Temperature { get; set; }

        /// <summary>-TopP; not sent when null.</summary>
        public double? TopP { get; set; }

        /// <summary>-MaxTokens; not sent when null.</summary>
        public int? MaxTokens { get; set; }

        /// <summary>-Stop; not sent when null.</summary>
        public string[]? Stop { get; set; }

        /// <summary>-Seed; not sent when null.</summary>
        public int? Seed { get; set; }

        /// <summary>-Stream: the answer is written as it arrives.</summary>
        public bool Stream { get; set; }

        /// <summary>-JsonSchema as JSON text or plain dictionaries and lists; null when not given.</summary>
        public object? JsonSchema { get; set; }

        /// <summary>-SchemaName; null for the default.</summary>
        public string? SchemaName { get; set; }

        /// <summary>-ResponseFormat: "Json" for JSON mode; null for text.</summary>
        public string? ResponseFormat { get; set; }

        /// <summary>-AsHashtable: the cmdlet's Data objects are hashtables.</summary>
        public bool AsHashtable { get; set; }

        /// <summary>-ExtraBody's fields as names and plain values; null when not given.</summary>
        public IReadOnlyList<KeyValuePair<string, object?>>? ExtraBody { get; set; }

        /// <summary>-ReasoningEffort (low, medium, high); not sent when null.</summary>
        public string? ReasoningEffort { get; set; }

        /// <summary>-HideReasoning: streamed reasoning stays out of the console.</summary>
        public bool HideReasoning { get; set; }

        /// <summary>The response format and extra fields, as <see cref="Validate"/> found them.</summary>
        private ResponseFormat? format;
        private ExtraBody? extraBody;

        /// <summary>-Tool, as the model is told of them; not sent when null.</summary>
        public IReadOnlyList<ToolDefinition>? Tools { get; set; }

        /// <summary>-ToolChoice: auto, none, required, or a tool's name; not sent when null.</summary>
        public string? ToolChoice { get; set; }

        /// <summary>-InvokeTool: None, Confirm or Auto.</summary>
        public string InvokeTool { get; set; } = "None";

        /// <summary>-MaxToolRounds: rounds of tool results before the model must answer.</summary>
        public int MaxToolRounds { get; set; } = ToolLoop.DefaultMaxRounds;

        /// <summary>True when the module runs the tools the model calls (-InvokeTool Confirm or Auto, with tools given).</summary>
        public bool RunsTools => Tools != null && Tools.Count > 0 && !string.Equals(InvokeTool, "None", StringComparison.OrdinalIgnoreCase);

        /// <summary>The -Gateway* controls; empty unless one was given.</summary>
        public GatewayOptions Gateway => Endpoint.Gateway!;

        /// <summary>Refuses combinations that cannot work, before anything is resolved or sent.</summary>
        /// <exception cref="CloudflareAIException">StreamWithThrottleLimit.</exception>
        public void Validate()
        {
            if (JsonSchema != null) format = Requests.ResponseFormat.ForSchema(JsonSchema, SchemaName);
            else if (SchemaName != null)
            {
                throw new CloudflareAIException(ErrorIds.ParameterInvalid, ErrorKind.InvalidArgument,
                    "-SchemaName names the schema of -JsonSchema, and no -JsonSchema was given.", "Give -JsonSchema with -SchemaName, or drop -SchemaName.");
            }
            else if (string.Equals(ResponseFormat, "Json", StringComparison.OrdinalIgnoreCase)) format = Requests.ResponseFormat.JsonObject;
            if (ExtraBody != null) extraBody = Requests.ExtraBody.From(ExtraBody);
            if (Stream && ThrottleLimit > 1)
            {
                throw new CloudflareAIException(ErrorIds.StreamWithThrottleLimit, ErrorKind.InvalidArgument,
                    "-Stream writes one answer to the console as it arrives, so it cannot run with -ThrottleLimit above 1.",
                    "Drop -Stream to run prompts in parallel, or drop -ThrottleLimit to stream them one by one.")
                { Target = ThrottleLimit };
            }
        }

        /// <summary>-ToolChoice is a keyword or the name of one of the tools.</summary>
        /// <exception cref="CloudflareAIException">ParameterInvalid.</exception>
        public void ValidateToolChoice()
        {
            if (ToolChoice == null || ToolJson.IsKeyword(ToolChoice, out _)) return;
            foreach (ToolDefinition tool in Tools ?? Array.Empty<ToolDefinition>())
            {
                if (string.Equals(tool.Name, ToolChoice, StringComparison.Ordinal)) return;
            }
            string names = Tools == null || Tools.Count == 0 ? "(no -Tool given)" : string.Join(", ", Tools.Select(t => t.Name));
            throw new CloudflareAIException(ErrorIds.ParameterInvalid, ErrorKind.InvalidArgument,
                $"-ToolChoice '{ToolChoice}' is neither auto, none nor required, nor the name of a tool given with -Tool ({names}).",
                "Use -ToolChoice auto, none or required, or the exact name of one of the -Tool items.");
        }

        /// <summary>The user's overrides of the alias, for <see cref="EndpointResolver"/>, with -ApiKey as text.</summary>
        public EndpointOverrides Overrides()
        {
            Endpoint.ApiKey = ApiKey == null ? null : new NetworkCredential(string.Empty, ApiKey).Password;
            return Endpoint;
        }

        /// <summary>
        /// The base URL template as received, with every secret masked, when resolution failed: in double quotes PowerShell
        /// has already expanded ${NAME} to an empty string, and this line shows what is left. Null when there is none.
        /// </summary>
        public string? FailedTemplateLine(EndpointOverrides overrides, IEnvironmentReader environment)
        {
            string? template = overrides.BaseUrl ?? (overrides.Provider != null && AliasCatalog.TryGet(overrides.Provider, out var named) ? named.BaseUrlTemplate : null);
            return template == null ? null : $"Base URL template '{EndpointResolver.ShowSafely(overrides, environment, template)}'.";
        }

        /// <summary>
        /// Reads the -Image files (each path through <paramref name="resolvePath"/>, the caller's idea of a path) into the
        /// parts every prompt carries, with the alias's rule for URLs; nothing is sent when one cannot be.
        /// </summary>
        /// <exception cref="CloudflareAIException">ImageInvalid.</exception>
        public void LoadImages(Func<string, string> resolvePath, ResolvedEndpoint resolved)
        {
            if (Images != null) ImageParts = ImageInput.Load(Images, resolvePath, resolved.Alias.IsCloudflare, resolved.Alias.Name);
        }

        /// <summary>The scheduler every request of this call goes through: -ThrottleLimit places at -RequestsPerMinute.</summary>
        public BatchScheduler Batch(Action<string>? report) => new BatchScheduler(ThrottleLimit, RequestsPerMinute, report: report);

        /// <summary>What the resolved endpoint cannot do with these settings: Workers AI does not stream JSON answers.</summary>
        /// <exception cref="ChatException">ChatBadRequest, before anything is sent.</exception>
        public void CheckEndpoint(ChatEndpoint endpoint) => Requests.ResponseFormat.RefuseStreaming(format, Stream, endpoint);

        /// <summary>The limits of each request; lines nobody will see are not built at all.</summary>
        public ChatCallOptions CallOptions(IAttemptScheduler scheduler, bool reportVerbose, bool reportDebug) => new ChatCallOptions
        {
            Timeout = TimeSpan.FromSeconds(TimeoutSec),
            MaxRetries = MaxRetries,
            MaxResponseBytes = MaxResponseMB * 1024L * 1024L,
            ReportVerbose = reportVerbose,
            ReportDebug = reportDebug,
            Scheduler = scheduler,
        };

        /// <summary>One prompt's request: the system prompt, the history and the prompt, and only the options given.</summary>
        public ChatRequest Request(string model, IReadOnlyList<ChatMessage> history, string prompt)
        {
            var messages = new List<ChatMessage>(history.Count + 2);
            if (SystemPrompt != null) messages.Add(new ChatMessage("system", SystemPrompt));
            messages.AddRange(history);
            messages.Add(new ChatMessage("user", ImageParts == null ? prompt : (object)ImageInput.Content(prompt, ImageParts)));
            return new ChatRequest
            {
                Model = model,
                Messages = messages,
                Temperature = Temperature,
                TopP = TopP,
                MaxTokens = MaxTokens,
                Stop = Stop,
                Seed = Seed,
                Stream = Stream,
                Tools = Tools,
                ToolChoice = ToolChoice,
                ResponseFormat = format,
                ReasoningEffort = ReasoningEffort?.ToLowerInvariant(),
                ExtraBody = extraBody,
            };
        }
    }
}
