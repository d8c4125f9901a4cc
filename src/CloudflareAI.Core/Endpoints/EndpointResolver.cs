using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;

namespace CloudflareAI.Endpoints
{
    /// <summary>
    /// Turns an alias, the environment and the user's overrides into a <see cref="ChatEndpoint"/>, or fails before any
    /// request with a setup ErrorId (alias, environment, template, model, insecure endpoint).
    /// </summary>
    public static partial class EndpointResolver
    {
        /// <exception cref="CloudflareAIException">A setup problem; its message, fix and target mask every secret the request knows.</exception>
        public static ResolvedEndpoint Resolve(EndpointOverrides request, IEnvironmentReader environment)
        {
            try
            {
                return ResolveUnmasked(request, environment);
            }
            catch (CloudflareAIException e)
            {
                var redactor = new SecretRedactor(KnownSecrets.Collect(request, environment, listEnvironment: true));
                string message = KnownSecrets.Shown(redactor, e.Message);
                string action = KnownSecrets.Shown(redactor, e.RecommendedAction);
                object? target = e.Target is string text ? KnownSecrets.Shown(redactor, text) : e.Target;
                if (message == e.Message && action == e.RecommendedAction && Equals(target, e.Target)) throw;
                // A new exception, since Message cannot change; the original would show the secret as the inner exception.
                throw new CloudflareAIException(e.ErrorId, e.Kind, message, action) { Target = target };
            }
        }

        /// <summary>
        /// A text about the request (the -Verbose template line of a request that failed to resolve) as it may be shown:
        /// every secret the request could carry masked, URL user-info masked, control characters visible.
        /// </summary>
        public static string ShowSafely(EndpointOverrides request, IEnvironmentReader environment, string? text) =>
            KnownSecrets.Shown(new SecretRedactor(KnownSecrets.Collect(request, environment, listEnvironment: true)), text);

        private static ResolvedEndpoint ResolveUnmasked(EndpointOverrides request, IEnvironmentReader environment)
        {
            var (alias, autoSelected) = SelectAlias(request, environment);
            // Parameter mistakes first: they hold whatever the environment says.
            request.Gateway?.EnsureSupportedBy(alias);
            IReadOnlyList<KeyValuePair<string, string>> gatewayHeaders =
                request.Gateway?.ToHeaders() ?? (IReadOnlyList<KeyValuePair<string, string>>)new KeyValuePair<string, string>[0];

            string? templateText = request.BaseUrl ?? alias.BaseUrlTemplate;
            if (templateText == null)
            {
                throw new CloudflareAIException(ErrorIds.ProviderNotConfigured, ErrorKind.InvalidOperation,
                    $"The {alias.Name} alias has no base URL of its own.",
                    $"Pass the endpoint with -BaseUrl, for example: Invoke-AIChat -Provider {alias.Name} -BaseUrl '${{AZURE_OPENAI_ENDPOINT}}/openai/v1' -Model <deployment> 'Hello'")
                { Target = alias.Name };
            }

            var template = Template.Parse(templateText);
            var missing = new SortedSet<string>(StringComparer.Ordinal);
            var invalid = new SortedDictionary<string, string>(StringComparer.Ordinal);
            var secrets = new List<string>();

            var url = template.Expand(environment, ExpansionTarget.Url);
            foreach (var name in url.MissingVariables) missing.Add(name);
            foreach (var bad in url.InvalidVariables) invalid[bad.Name] = bad.Reason;
            // A secret-named variable in the URL (a key in a path, as some self-hosted servers want) is sent, but shown
            // as *** wherever the URL is shown: -WhatIf, -Verbose, errors.
            AddSecretVariables(template, environment, secrets);

            string model = request.Model ?? (request.ForEmbeddings ? alias.DefaultEmbeddingModel : alias.DefaultModel) ?? string.Empty;
            if (model.Length == 0 && request.RequireModel)
            {
                string example = request.ForEmbeddings ? $"Invoke-AIEmbedding -Provider {alias.Name} -Model <embedding-model-id> 'Hello'" : $"Invoke-AIChat -Provider {alias.Name} -Model <model-id> 'Hello'";
                throw new CloudflareAIException(ErrorIds.ModelNotSpecified, ErrorKind.InvalidArgument,
                    $"No model was given, and the {alias.Name} alias has no default {(request.ForEmbeddings ? "embedding " : string.Empty)}model.",
                    $"Name the model with -Model, for example: {example}. The provider's model list: {alias.DocumentationUrl}")
                { Target = alias.Name };
            }

            var credentials = AliasCredentials.Read(alias, model, request.ApiKey, environment);
            var headers = credentials.Headers;
            secrets.AddRange(credentials.Secrets);
            foreach (var name in credentials.Missing) missing.Add(name);
            if (credentials.ProviderKeyUnset) missing.Add(alias.TokenVariable!);
            foreach (var bad in credentials.Invalid) invalid[bad.Key] = bad.Value;

            // Alias headers first, then -Header; a later header of the same name replaces an earlier one.
            var extra = new List<KeyValuePair<string, string>>();
            foreach (var pair in alias.Headers) extra.Add(pair);
            foreach (var pair in request.Headers) extra.Add(pair);
            foreach (var pair in extra)
            {
                ValidateHeaderName(pair.Key);
                // The value as written: a variable it references is checked with its own name when it is expanded.
                string? literalProblem = ValueRules.CheckHeaderValue(pair.Value ?? string.Empty);
                if (literalProblem != null)
                {
                    throw new CloudflareAIException(ErrorIds.ParameterInvalid, ErrorKind.InvalidArgument,
                        $"The value of header '{pair.Key}' {literalProblem}.",
                        $"Give header '{pair.Key}' a value of visible ASCII characters (spaces and tabs inside are allowed), without line breaks or control characters; " +
                        "retype a pasted value.")
                    { Target = pair.Key };
                }
                Template headerTemplate;
                try
                {
                    headerTemplate = Template.Parse(pair.Value ?? string.Empty);
                }
                catch (TemplateSyntaxException e)
                {
                    // The template error quotes the whole text, and a header value may hold a pasted token: name only the header.
                    throw new CloudflareAIException(ErrorIds.UrlTemplateInvalid, ErrorKind.InvalidArgument,
                        $"The value of header '{pair.Key}' is not a valid template at position {e.Position}: {(SecretNames.IsSecretHeader(pair.Key) ? "check its '$' signs" : e.Reason)}",
                        e.RecommendedAction)
                    { Target = pair.Key };
                }
                var value = headerTemplate.Expand(environment, ExpansionTarget.HeaderValue);
                foreach (var name in value.MissingVariables) missing.Add(name);
                foreach (var bad in value.InvalidVariables) invalid[bad.Name] = bad.Reason;
                if (value.Value == null) continue;
                headers.RemoveAll(h => string.Equals(h.Key, pair.Key, StringComparison.OrdinalIgnoreCase));
                headers.Add(new KeyValuePair<string, string>(pair.Key, value.Value));
                AddSecretVariables(headerTemplate, environment, secrets);
                if (SecretNames.IsSecretHeader(pair.Key)) KnownSecrets.AddCredential(value.Value, secrets);
            }

            // The -Gateway* values are final, not templates, and win over a -Header of the same name.
            foreach (var pair in gatewayHeaders)
            {
                headers.RemoveAll(h => string.Equals(h.Key, pair.Key, StringComparison.OrdinalIgnoreCase));
                headers.Add(pair);
            }

            // Test-AIProviderEnvironment explains only the alias's own variables, not ones that -BaseUrl or -Header brought in.
            // Worked out only on failure, to keep the inspection off the path of every successful call.
            HashSet<string>? aliasVariables = null;
            if (missing.Count > 0 || invalid.Count > 0)
            {
                aliasVariables = new HashSet<string>(ProviderEnvironmentInspector.Inspect(alias, environment).RequiredVariables, StringComparer.Ordinal);
                foreach (var name in AliasCredentials.TokenGroup(alias)) aliasVariables.Add(name);
            }
            if (missing.Count == 1 && invalid.Count == 0 && alias.Gateway != null && request.ApiKey == null
                && missing.Contains(alias.TokenVariable!) && alias.Gateway.ModelUsesTokenAsProviderKey(model))
            {
                // Only the gateway's own token is set: the gateway is usable, but not for a Workers AI model.
                throw new CloudflareAIException(ErrorIds.ProviderEnvironmentVariableMissing, ErrorKind.InvalidOperation,
                    $"The model '{model}' on {alias.Name} needs {alias.TokenVariable}, which is not set: Workers AI models take it as their provider key " +
                    $"(the gateway's own token, {AliasCatalog.CloudflareAiGatewayToken}, only opens the gateway).",
                    $"Set it and try again: $env:{alias.TokenVariable} = '...'. Or pass the key with -ApiKey, or choose a model whose provider key the gateway " +
                    $"stores, for example -Model openai/gpt-4o-mini.")
                { Target = alias.Name };
            }
            if (missing.Count > 0)
            {
                string more = invalid.Count > 0 ? $" Also unfit: {string.Join(", ", invalid.Keys)}." : string.Empty;
                string preflight = missing.All(aliasVariables!.Contains) ? $" Test-AIProviderEnvironment {alias.Name} explains each one." : string.Empty;
                throw MissingVariables(alias, missing, more, preflight);
            }
            if (invalid.Count > 0)
            {
                string detail = string.Join("; ", invalid.Select(p => $"{p.Key} {p.Value}"));
                string preflight = invalid.Keys.All(aliasVariables!.Contains) ? $"; Test-AIProviderEnvironment {alias.Name} shows the expected form" : string.Empty;
                throw new CloudflareAIException(ErrorIds.ProviderEnvironmentVariableInvalid, ErrorKind.InvalidData,
                    $"The {alias.Name} alias cannot use the environment as it is: {detail}.",
                    $"Correct the value{(invalid.Count == 1 ? "" : "s")} ({string.Join(", ", invalid.Keys)}){preflight}.")
                { Target = alias.Name };
            }

            string expanded = url.Value!;
            if (!Uri.TryCreate(expanded, UriKind.Absolute, out var baseUri)
                || (baseUri.Scheme != Uri.UriSchemeHttp && baseUri.Scheme != Uri.UriSchemeHttps))
            {
                throw new CloudflareAIException(ErrorIds.UrlTemplateInvalid, ErrorKind.InvalidArgument,
                    $"The base URL template '{templateText}' does not give an absolute http:// or https:// URL.",
                    "Give -BaseUrl as a full address, for example 'https://api.example.com/v1' or 'http://127.0.0.1:8080/v1'.")
                { Target = templateText };
            }
            if (!string.IsNullOrEmpty(baseUri.Query) || !string.IsNullOrEmpty(baseUri.Fragment) || !string.IsNullOrEmpty(baseUri.UserInfo))
            {
                throw new CloudflareAIException(ErrorIds.UrlTemplateInvalid, ErrorKind.InvalidArgument,
                    $"The base URL template '{templateText}' has a query, fragment or user name; the module appends /chat/completions to a plain base URL.",
                    "Remove the '?...', '#...' or 'user@' part; send extra values with -Header instead.")
                { Target = templateText };
            }

            EmptySegmentRule.Check(expanded, templateText, alias, secrets);

            if (baseUri.Scheme == Uri.UriSchemeHttp && secrets.Count > 0 && !IsLoopback(baseUri))
            {
                throw new CloudflareAIException(ErrorIds.InsecureEndpoint, ErrorKind.SecurityError,
                    $"Refusing to send a token over plain http to {baseUri.Host}: anyone on the network path could read it.",
                    "Use an https:// base URL. Plain http is allowed only for this machine (localhost, 127.0.0.1, ::1).")
                { Target = baseUri.Host };
            }

            // A token that PowerShell expanded into a double-quoted -BaseUrl or -Header is sent, so it must be masked like any other.
            secrets.AddRange(KnownSecrets.PastedIntoRequest(request, environment));

            bool coalesce = alias.CoalescesSystemMessages || (alias.Name == "openai" && request.BaseUrl != null);
            var endpoint = new ChatEndpoint(alias.Name, baseUri, headers, secrets.Distinct().ToList(), coalesce, alias.IsCloudflare, alias.IsCloudflare,
                EndpointRules.UsesMaxCompletionTokens(alias.Name, baseUri));
            var warnings = ProviderEnvironmentInspector.CloudflareWarnings(alias, environment).Select(w => w.Text).ToList();
            return new ResolvedEndpoint(endpoint, alias, model, autoSelected, templateText, warnings);
        }

        private static void AddSecretVariables(Template template, IEnvironmentReader environment, List<string> secrets)
        {
            foreach (var name in template.References)
            {
                if (!SecretNames.IsSecretVariable(name)) continue;
                string? value = environment.Get(name);
                if (!string.IsNullOrEmpty(value)) secrets.Add(value!);
            }
        }

        private static (ProviderAliasDefinition Alias, bool AutoSelected) SelectAlias(EndpointOverrides request, IEnvironmentReader environment)
        {
            if (!string.IsNullOrEmpty(request.Provider))
            {
                if (AliasCatalog.TryGet(request.Provider!, out var named)) return (named, false);
                throw AliasNotFound(request.Provider!);
            }
            if (request.BaseUrl != null)
            {
                AliasCatalog.TryGet("openai", out var openai);
                return (openai, false);
            }
            var aliases = AliasCatalog.Current;
            foreach (var name in aliases.AutoSelectionOrder)
            {
                if (aliases.TryGet(name, out var candidate) && ProviderEnvironmentInspector.IsAvailable(candidate, environment))
                {
                    return (candidate, true);
                }
            }
            throw new CloudflareAIException(ErrorIds.ProviderNotConfigured, ErrorKind.InvalidOperation,
                "No provider alias is configured: none of the aliases Invoke-AIChat picks from has all its environment variables set.",
                "For Cloudflare Workers AI set $env:CLOUDFLARE_ACCOUNT_ID = '...' and $env:CLOUDFLARE_API_TOKEN = '...', or name an alias with -Provider. " +
                "Get-AIProviderAlias | Test-AIProviderEnvironment shows what each alias needs.");
        }

        /// <summary>ProviderAliasNotFound with a did-you-mean suggestion; ProviderConfigInvalid when the providers file, which
        /// may declare that name, cannot be used.</summary>
        public static CloudflareAIException AliasNotFound(string name)
        {
            var problem = AliasCatalog.Current.Problem;
            if (problem != null)
            {
                return new CloudflareAIException(problem.ErrorId, problem.Kind,
                    $"'{name}' is not a built-in alias, and the providers file that may declare it cannot be used ({problem.Where}): " +
                    (problem.Entry != null ? $"entry '{problem.Entry}': " : string.Empty) + problem.Reason, problem.RecommendedAction, problem)
                { Target = name };
            }
            var suggestions = AliasCatalog.Suggest(name);
            string hint = suggestions.Count > 0 ? $" Did you mean {string.Join(" or ", suggestions.Select(s => "'" + s + "'"))}?" : string.Empty;
            return new CloudflareAIException(ErrorIds.ProviderAliasNotFound, ErrorKind.ObjectNotFound,
                $"There is no provider alias named '{name}'.{hint}",
                "Get-AIProviderAlias lists every alias; press Tab after -Provider or -Name to complete one.")
            { Target = name };
        }

        /// <summary>
        /// ProviderEnvironmentVariableMissing: "The X alias needs these environment variables, which are not set: ..." with
        /// the $env: lines that set them; <paramref name="why"/> and <paramref name="fix"/> are added to the message and the fix.
        /// </summary>
        internal static CloudflareAIException MissingVariables(ProviderAliasDefinition alias, ICollection<string> missing, string why, string fix)
        {
            string names = string.Join(", ", missing);
            string settings = string.Join(" ", missing.Select(n => $"$env:{n} = '...'"));
            return new CloudflareAIException(ErrorIds.ProviderEnvironmentVariableMissing, ErrorKind.InvalidOperation,
                $"The {alias.Name} alias needs {(missing.Count == 1 ? "this environment variable, which is" : "these environment variables, which are")} not set: {names}.{why}",
                $"Set {(missing.Count == 1 ? "it" : "them")} and try again: {settings}.{fix}")
            { Target = alias.Name };
        }

        private static void ValidateHeaderName(string name)
        {
            bool ok = !string.IsNullOrEmpty(name);
            foreach (char c in name ?? string.Empty)
            {
                // RFC 9110 token characters.
                if (!(char.IsLetterOrDigit(c) && c < 128) && "!#$%&'*+-.^_`|~".IndexOf(c) < 0) { ok = false; break; }
            }
            if (!ok)
            {
                throw new CloudflareAIException(ErrorIds.ParameterInvalid, ErrorKind.InvalidArgument,
                    $"'{name}' is not a valid HTTP header name.",
                    "Header names are letters, digits and - _ . ! # $ % & ' * + ^ ` | ~, without spaces or colons.")
                { Target = name };
            }
        }

        /// <summary>localhost, 127.0.0.0/8 and ::1: the only hosts a token may reach over plain http.</summary>
        public static bool IsLoopback(Uri uri)
        {
            if (string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
            string host = uri.Host.Trim('[', ']');
            return IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address);
        }
    }
}
