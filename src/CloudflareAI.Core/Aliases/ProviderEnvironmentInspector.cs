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
            var problems = new List<string>();
            var warnings = new List<string>();
            var notes = new List<string>();
            string? baseUrl = null;
            bool brokenHeader = false;

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
                problems.Add($"{alias.Name} has no base URL of its own. Pass one with -BaseUrl, for example: " +
                             "Invoke-AIChat -Provider " + alias.Name + " -BaseUrl '${AZURE_OPENAI_ENDPOINT}/openai/v1' -Model <deployment> 'Hello'");
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
                    problems.Add($"The default header '{header.Key}' of {alias.Name} is not a valid template. Pass the header with -Header instead.");
                    brokenHeader = true;
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

            // The token, or for the gateway one of a group.
            if (alias.TokenVariable != null)
            {
                required.Add(alias.TokenVariable);
                var group = TokenGroup(alias);
                bool anySet = false;
                foreach (var name in group)
                {
                    string? value = environment.Get(name);
                    if (string.IsNullOrEmpty(value)) continue;
                    anySet = true;
                    string? reason = CheckToken(value!);
                    if (reason != null)
                    {
                        invalid.Add(name);
                        problems.Add(InvalidProblem(alias, name, reason));
                    }
                }
                if (!anySet) missing.Add(alias.TokenVariable);

                // The gateway is ready with its own token alone, but its default model (workers-ai/...) takes
                // CLOUDFLARE_API_TOKEN as Workers AI's provider key: say so before the first call fails on it.
                if (anySet && alias.Gateway != null && alias.DefaultModel != null && alias.Gateway.ModelUsesTokenAsProviderKey(alias.DefaultModel)
                    && string.IsNullOrEmpty(environment.Get(alias.TokenVariable)))
                {
                    notes.Add($"Note: {alias.TokenVariable} is not set, so the default model {alias.DefaultModel} cannot be used: Workers AI models " +
                              $"take that token as their provider key. Models whose provider keys the gateway stores work as they are, for example " +
                              $"Invoke-AIChat -Provider {alias.Name} -Model openai/gpt-4o-mini 'Hello'. For Workers AI models: $env:{alias.TokenVariable} = '...'");
                }
            }

            // Missing first in the problem list: they are the usual case and the order the user fixes things.
            var missingProblems = missing.Select(name => MissingProblem(alias, name)).ToList();

            if (alias.IsCloudflare)
            {
                AddCloudflareWarnings(alias, environment, invalid, warnings);
            }

            bool ready = alias.BaseUrlTemplate != null && missing.Count == 0 && invalid.Count == 0 && !brokenHeader;
            return new ProviderEnvironmentResult
            {
                Name = alias.Name,
                IsReady = ready,
                RequiredVariables = required.ToList(),
                MissingVariables = missing.ToList(),
                InvalidVariables = invalid.ToList(),
                BaseUrl = baseUrl,
                Problems = missingProblems.Concat(problems).Concat(warnings).Concat(notes).ToList(),
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

        /// <summary>The variables any one of which satisfies the alias's token requirement.</summary>
        public static IReadOnlyList<string> TokenGroup(ProviderAliasDefinition alias)
        {
            if (alias.TokenVariable == null) return new string[0];
            if (alias.Gateway == null) return new[] { alias.TokenVariable };
            var group = new List<string> { alias.TokenVariable };
            foreach (var name in alias.Gateway.GatewayTokenVariables)
            {
                if (!group.Contains(name)) group.Add(name);
            }
            return group;
        }

        /// <summary>A token goes into a header: visible ASCII only (the rule lives in <see cref="ValueRules.CheckToken"/>).</summary>
        public static string? CheckToken(string value) => ValueRules.CheckToken(value);

        /// <summary>The Cloudflare format warnings alone ("Warning: ..." sentences), for Invoke-AIChat to show before it sends.</summary>
        public static IReadOnlyList<string> CloudflareWarnings(ProviderAliasDefinition alias, IEnvironmentReader environment)
        {
            var warnings = new List<string>();
            if (alias.IsCloudflare) AddCloudflareWarnings(alias, environment, new HashSet<string>(StringComparer.Ordinal), warnings);
            return warnings;
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

        private static void AddCloudflareWarnings(ProviderAliasDefinition alias, IEnvironmentReader environment, ISet<string> invalid, List<string> warnings)
        {
            string? account = environment.Get(AliasCatalog.CloudflareAccountId);
            if (!string.IsNullOrEmpty(account) && !invalid.Contains(AliasCatalog.CloudflareAccountId))
            {
                if (LooksLikePlaceholder(account!))
                {
                    warnings.Add($"Warning: {AliasCatalog.CloudflareAccountId} looks like a placeholder. Set it to your real 32-character account ID " +
                                 "(Cloudflare dashboard, Workers AI, 'Use REST API'): $env:CLOUDFLARE_ACCOUNT_ID = '...'");
                }
                else if (!IsAccountId(account!))
                {
                    warnings.Add($"Warning: {AliasCatalog.CloudflareAccountId} is not 32 hexadecimal characters ({account!.Length} characters), so Cloudflare will " +
                                 "probably answer 'Could not route' (code 7003). Copy the account ID again from the dashboard: $env:CLOUDFLARE_ACCOUNT_ID = '...'");
                }
            }

            if (alias.IsGateway)
            {
                string? gateway = environment.Get(AliasCatalog.CloudflareGatewayId);
                if (!string.IsNullOrEmpty(gateway) && !invalid.Contains(AliasCatalog.CloudflareGatewayId))
                {
                    if (LooksLikePlaceholder(gateway!))
                    {
                        warnings.Add($"Warning: {AliasCatalog.CloudflareGatewayId} looks like a placeholder. Set it to your gateway's ID " +
                                     "(AI Gateway in the Cloudflare dashboard): $env:CLOUDFLARE_GATEWAY_ID = '...'");
                    }
                    else if (!IsGatewayId(gateway!))
                    {
                        warnings.Add($"Warning: {AliasCatalog.CloudflareGatewayId} has characters other than letters, digits, '-' and '_', or more than 64. " +
                                     "Check the gateway ID in the dashboard: $env:CLOUDFLARE_GATEWAY_ID = '...'");
                    }
                }
            }

            foreach (var name in TokenGroup(alias))
            {
                string? token = environment.Get(name);
                if (!string.IsNullOrEmpty(token) && !invalid.Contains(name) && LooksLikePlaceholder(token!))
                {
                    warnings.Add($"Warning: {name} looks like a placeholder, not a real token. Create a token in the Cloudflare dashboard " +
                                 $"(My Profile, API Tokens) and set it: $env:{name} = '...'");
                }
            }
        }

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
        public static string MissingProblem(ProviderAliasDefinition alias, string name)
        {
            if (alias.Gateway != null && name == alias.TokenVariable)
            {
                return $"{name} is not set, and neither is {AliasCatalog.CloudflareAiGatewayToken}. Set {name} to a Cloudflare API token " +
                       "(Workers AI and AI Gateway Run permissions), or set " + AliasCatalog.CloudflareAiGatewayToken +
                       " to the gateway's authentication token: $env:" + name + " = '...'";
            }
            return $"{name} is not set. Set it to {WhatToSet(alias, name)}: $env:{name} = '...'";
        }

        private static string InvalidProblem(ProviderAliasDefinition alias, string name, string reason)
        {
            return $"{name} {reason}. Set it to {WhatToSet(alias, name)}: $env:{name} = '...'";
        }

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
