using System;
using System.Collections.Generic;
using System.Linq;

namespace CloudflareAI.Aliases
{
    /// <summary>
    /// The one availability rule and the preflight checks of Test-AIProviderEnvironment: every variable an alias needs,
    /// whether it is set, and whether its value is fit for where it goes. Reads the environment, never the network.
    /// </summary>
    public static class ProviderEnvironmentInspector
    {

        /// <summary>Checks one alias against the environment, offline.</summary>
        public static ProviderEnvironmentResult Inspect(ProviderAliasDefinition alias, IEnvironmentReader environment)
        {
            var required = new SortedSet<string>(StringComparer.Ordinal);
            var missing = new SortedSet<string>(StringComparer.Ordinal);
            var invalid = new SortedSet<string>(StringComparer.Ordinal);
            var problems = new List<ProviderProblem>();
            string? baseUrl = null;

            // The template: every referenced variable is required, and each value must fit its place in the URL.
            if (alias.BaseUrlTemplate != null)
            {
                var template = Template.Parse(alias.BaseUrlTemplate);
                foreach (var name in template.References) required.Add(name);
                var expansion = template.Expand(environment, ExpansionTarget.Url);
                foreach (var name in expansion.MissingVariables) missing.Add(name);
                foreach (var bad in expansion.InvalidVariables)
                {
                    invalid.Add(bad.Name);
                    problems.Add(InvalidProblem(alias, bad.Name, bad.Reason));
                }
                baseUrl = expansion.Value;
            }
            else
            {
                problems.Add(new ProviderProblem(ProviderProblemKind.Setup, null,
                    $"{alias.Name} has no base URL of its own. Pass one with -BaseUrl, for example: " +
                    "Invoke-AIChat -Provider " + alias.Name + " -BaseUrl '${AZURE_OPENAI_ENDPOINT}/openai/v1' -Model <deployment> 'Hello'"));
            }

            // Default headers are templates too (cf-aig-gateway-id: ${CLOUDFLARE_GATEWAY_ID}): a variable they name is as
            // required as one in the URL, or the first request would fail on it.
            foreach (var header in alias.Headers)
            {
                Template template;
                try
                {
                    template = Template.Parse(header.Value ?? string.Empty);
                }
                catch (TemplateSyntaxException)
                {
                    problems.Add(new ProviderProblem(ProviderProblemKind.Setup, null,
                        $"The default header '{header.Key}' of {alias.Name} is not a valid template. Pass the header with -Header instead."));
                    continue;
                }
                foreach (var name in template.References) required.Add(name);
                var expansion = template.Expand(environment, ExpansionTarget.HeaderValue);
                foreach (var name in expansion.MissingVariables) missing.Add(name);
                foreach (var bad in expansion.InvalidVariables)
                {
                    if (invalid.Add(bad.Name)) problems.Add(InvalidProblem(alias, bad.Name, bad.Reason));
                }
            }

            // The token, or for the gateway one of a group: the rule the resolver sends by, judged with the default model.
            if (alias.TokenVariable != null)
            {
                required.Add(alias.TokenVariable);
                var credentials = AliasCredentials.Read(alias, alias.DefaultModel ?? string.Empty, null, environment);
                foreach (var name in credentials.Missing) missing.Add(name);
                foreach (var bad in credentials.Invalid)
                {
                    if (invalid.Add(bad.Key)) problems.Add(InvalidProblem(alias, bad.Key, bad.Value));
                }

                // The gateway is ready with its own token alone, but its default model (workers-ai/...) takes
                // CLOUDFLARE_API_TOKEN as Workers AI's provider key: say so before the first call fails on it.
                if (credentials.ProviderKeyUnset)
                {
                    problems.Add(new ProviderProblem(ProviderProblemKind.Note, alias.TokenVariable,
                        $"{alias.TokenVariable} is not set, so the default model {alias.DefaultModel} cannot be used: Workers AI models " +
                        $"take that token as their provider key. Models whose provider keys the gateway stores work as they are, for example " +
                        $"Invoke-AIChat -Provider {alias.Name} -Model openai/gpt-4o-mini 'Hello'. For Workers AI models: $env:{alias.TokenVariable} = '...'"));
                }
            }

            if (alias.IsCloudflare) problems.AddRange(CloudflareWarnings(alias, environment, invalid));

            bool ready = !problems.Any(p => p.Kind == ProviderProblemKind.Setup) && missing.Count == 0 && invalid.Count == 0;
            // Missing first: they are the usual case and the order the user fixes things; then the rest, warnings, notes.
            var ordered = missing.Select(name => MissingProblem(alias, name))
                .Concat(problems.Where(p => p.Kind != ProviderProblemKind.Warning && p.Kind != ProviderProblemKind.Note))
                .Concat(problems.Where(p => p.Kind == ProviderProblemKind.Warning))
                .Concat(problems.Where(p => p.Kind == ProviderProblemKind.Note));
            return new ProviderEnvironmentResult
            {
                Name = alias.Name,
                IsReady = ready,
                RequiredVariables = required.ToList(),
                MissingVariables = missing.ToList(),
                InvalidVariables = invalid.ToList(),
                BaseUrl = baseUrl,
                Problems = ordered.Select(p => p.ToString()).ToList(),
            };
        }

        /// <summary>The alias with its state now, for Get-AIProviderAlias.</summary>
        public static ProviderAlias GetAliasInfo(ProviderAliasDefinition alias, IEnvironmentReader environment)
        {
            var result = Inspect(alias, environment);
            return new ProviderAlias
            {
                Name = alias.Name,
                BaseUrlTemplate = alias.BaseUrlTemplate,
                TokenVariable = alias.TokenVariable,
                RequiredVariables = result.RequiredVariables,
                MissingVariables = result.MissingVariables,
                IsAvailable = result.IsReady,
                CoalescesSystemMessages = alias.CoalescesSystemMessages,
                DefaultModel = alias.DefaultModel,
                Description = alias.Description,
                DocumentationUrl = alias.DocumentationUrl,
                Source = alias.Source,
                TokenHeader = alias.TokenHeader,
                IsGateway = alias.IsGateway,
            };
        }

        /// <summary>Whether an alias can be used now without -BaseUrl or -ApiKey.</summary>
        public static bool IsAvailable(ProviderAliasDefinition alias, IEnvironmentReader environment) =>
            Inspect(alias, environment).IsReady;

        /// <summary>The Cloudflare format warnings about the values in use (a placeholder, a wrong length), for Invoke-AIChat
        /// to show before it sends; none for other aliases. Skips the variables already found unfit.</summary>
        internal static IReadOnlyList<ProviderProblem> CloudflareWarnings(ProviderAliasDefinition alias, IEnvironmentReader environment,
            ICollection<string>? invalid = null)
        {
            var warnings = new List<ProviderProblem>();
            if (!alias.IsCloudflare) return warnings;
            invalid ??= new string[0];
            CheckFormat(AliasCatalog.CloudflareAccountId, IsAccountId,
                $"{AliasCatalog.CloudflareAccountId} looks like a placeholder. Set it to your real 32-character account ID " +
                "(Cloudflare dashboard, Workers AI, 'Use REST API'): $env:CLOUDFLARE_ACCOUNT_ID = '...'",
                value => $"{AliasCatalog.CloudflareAccountId} is not 32 hexadecimal characters ({value.Length} characters), so Cloudflare will " +
                         "probably answer 'Could not route' (code 7003). Copy the account ID again from the dashboard: $env:CLOUDFLARE_ACCOUNT_ID = '...'");
            if (alias.IsGateway)
            {
                CheckFormat(AliasCatalog.CloudflareGatewayId, IsGatewayId,
                    $"{AliasCatalog.CloudflareGatewayId} looks like a placeholder. Set it to your gateway's ID " +
                    "(AI Gateway in the Cloudflare dashboard): $env:CLOUDFLARE_GATEWAY_ID = '...'",
                    _ => $"{AliasCatalog.CloudflareGatewayId} has characters other than letters, digits, '-' and '_', or more than 64. " +
                         "Check the gateway ID in the dashboard: $env:CLOUDFLARE_GATEWAY_ID = '...'");
            }
            foreach (var name in AliasCredentials.TokenGroup(alias))
            {
                CheckFormat(name, null,
                    $"{name} looks like a placeholder, not a real token. Create a token in the Cloudflare dashboard " +
                    $"(My Profile, API Tokens) and set it: $env:{name} = '...'", null);
            }
            return warnings;

            // One table row: a set, fit variable that looks like a placeholder, else (where there is a format) is not in it.
            void CheckFormat(string name, Func<string, bool>? isValid, string placeholder, Func<string, string>? wrongFormat)
            {
                string? value = environment.Get(name);
                if (string.IsNullOrEmpty(value) || invalid!.Contains(name)) return;
                if (LooksLikePlaceholder(value!)) warnings.Add(new ProviderProblem(ProviderProblemKind.Warning, name, placeholder));
                else if (isValid != null && !isValid(value!)) warnings.Add(new ProviderProblem(ProviderProblemKind.Warning, name, wrongFormat!(value!)));
            }
        }

        // Plain loops rather than Regex: building the first Regex in a session costs more than everything else
        // Get-AIProviderAlias does on first use (measured by bench/). Both keep Regex's '$', which also matches before a
        // final '\n'.

        /// <summary>As ^[0-9a-fA-F]{32}$.</summary>
        private static bool IsAccountId(string value)
        {
            int length = WithoutFinalNewLine(value);
            if (length != 32) return false;
            for (int i = 0; i < length; i++)
            {
                char c = value[i];
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
            }
            return true;
        }

        /// <summary>As ^[A-Za-z0-9_-]{1,64}$.</summary>
        private static bool IsGatewayId(string value)
        {
            int length = WithoutFinalNewLine(value);
            if (length < 1 || length > 64) return false;
            for (int i = 0; i < length; i++)
            {
                char c = value[i];
                if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
            }
            return true;
        }

        private static int WithoutFinalNewLine(string value) => value.Length > 0 && value[value.Length - 1] == '\n' ? value.Length - 1 : value.Length;

        /// <summary>Values people paste from documentation: xxx, &lt;account-id&gt;, your-account-id.</summary>
        public static bool LooksLikePlaceholder(string value)
        {
            string v = value.Trim();
            if (v.IndexOf("xxx", StringComparison.OrdinalIgnoreCase) >= 0) return true;
            if (v.StartsWith("<", StringComparison.Ordinal) && v.EndsWith(">", StringComparison.Ordinal)) return true;
            if (v.StartsWith("your", StringComparison.OrdinalIgnoreCase)) return true;
            if (v == "..." || v.Equals("changeme", StringComparison.OrdinalIgnoreCase) || v.Equals("placeholder", StringComparison.OrdinalIgnoreCase)) return true;
            return false;
        }

        /// <summary>"X is not set. Set it to ...: $env:X = '...'"</summary>
        internal static ProviderProblem MissingProblem(ProviderAliasDefinition alias, string name)
        {
            return new ProviderProblem(ProviderProblemKind.Missing, name, MissingText(alias, name));
        }

        private static string MissingText(ProviderAliasDefinition alias, string name)
        {
            if (alias.Gateway != null && name == alias.TokenVariable)
            {
                return $"{name} is not set, and neither is {AliasCatalog.CloudflareAiGatewayToken}. Set {name} to a Cloudflare API token " +
                       "(Workers AI and AI Gateway Run permissions), or set " + AliasCatalog.CloudflareAiGatewayToken +
                       " to the gateway's authentication token: $env:" + name + " = '...'";
            }
            return $"{name} is not set. Set it to {WhatToSet(alias, name)}: $env:{name} = '...'";
        }

        private static ProviderProblem InvalidProblem(ProviderAliasDefinition alias, string name, string reason) =>
            new ProviderProblem(ProviderProblemKind.Invalid, name, $"{name} {reason}. Set it to {WhatToSet(alias, name)}: $env:{name} = '...'");

        private static string WhatToSet(ProviderAliasDefinition alias, string name)
        {
            switch (name)
            {
                case AliasCatalog.CloudflareAccountId:
                    return "your 32-character account ID (Cloudflare dashboard, Workers AI, 'Use REST API')";
                case AliasCatalog.CloudflareGatewayId:
                    return "your AI Gateway's ID (Cloudflare dashboard, AI, AI Gateway), only the ID, no slashes";
                case AliasCatalog.CloudflareApiToken when alias.IsGateway && alias.Gateway == null:
                    return "a Cloudflare API token with the AI Gateway Run permission, and Workers AI permissions for @cf/ models (My Profile, API Tokens)";
                case AliasCatalog.CloudflareApiToken:
                    return "a Cloudflare API token with the Workers AI permissions (My Profile, API Tokens, 'Workers AI' template)";
                case AliasCatalog.CloudflareAiGatewayToken:
                    return "the gateway's authentication token (AI Gateway settings, 'Create authentication token')";
            }
            if (name == alias.TokenVariable) return $"your {alias.Name} API key (see {alias.DocumentationUrl})";
            if (alias.BaseUrlTemplate != null && Template.Parse(alias.BaseUrlTemplate).OriginVariable == name)
            {
                return "the http:// or https:// address of the server, without a path";
            }
            return "the value the provider's documentation gives";
        }
    }
}
