using System;
using System.Collections.Generic;
using System.Linq;
using CloudflareAI.Environment;
using CloudflareAI.Templates;

namespace CloudflareAI.Aliases
{
    /// <summary>
    /// The one credential rule of an alias: which token variables it reads, which headers they become, which values are
    /// secrets, and which variables are missing or unfit. The resolver sends what it gives; Test-AIProviderEnvironment
    /// and availability (auto-selection, Get-AIProviderAlias) judge the alias by it, with the alias's default model.
    /// </summary>
    internal sealed class AliasCredentials
    {
        private const string AuthorizationHeader = "Authorization";
        private const string ApiKeyHeader = "api-key";

        private AliasCredentials() { }

        /// <summary>Authorization, api-key or the gateway's own header, in the order they are added.</summary>
        public List<KeyValuePair<string, string>> Headers { get; } = new List<KeyValuePair<string, string>>();

        /// <summary>Every token value read (to mask wherever text is shown).</summary>
        public List<string> Secrets { get; } = new List<string>();

        /// <summary>Variables whose absence leaves the alias without any credential: its token, or none of a gateway's group.</summary>
        public SortedSet<string> Missing { get; } = new SortedSet<string>(StringComparer.Ordinal);

        /// <summary>Variables that are set but unfit for a header, with the reason.</summary>
        public SortedDictionary<string, string> Invalid { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

        /// <summary>
        /// A gateway alias opened by its own token whose model (workers-ai/...) also takes the alias's token variable as
        /// the provider key, and that variable is not set: the gateway is usable, but not for this model.
        /// </summary>
        public bool ProviderKeyUnset { get; private set; }

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

        /// <summary>Reads the credentials the alias needs for this model.</summary>
        /// <param name="alias">The alias.</param>
        /// <param name="model">The model to send (a gateway decides by its prefix whether the provider key is needed).</param>
        /// <param name="apiKey">-ApiKey, which replaces the token variable (and is a gateway's provider key); null when not given.</param>
        /// <param name="environment">Where the variables are read.</param>
        /// <exception cref="CloudflareAIException">ParameterInvalid: -ApiKey is not fit for a header.</exception>
        public static AliasCredentials Read(ProviderAliasDefinition alias, string model, string? apiKey, IEnvironmentReader environment)
        {
            var result = new AliasCredentials();
            if (apiKey != null)
            {
                string? reason = ValueRules.CheckToken(apiKey);
                if (reason != null)
                {
                    throw new CloudflareAIException(ErrorIds.ParameterInvalid, ErrorKind.InvalidArgument,
                        $"The -ApiKey value {reason}.",
                        "Pass the key exactly as the provider issued it, for example: -ApiKey (Read-Host -AsSecureString), and paste it without surrounding spaces.")
                    { Target = "-ApiKey" };
                }
                if (apiKey.Length > 0) result.Secrets.Add(apiKey);
            }

            if (alias.Gateway != null)
            {
                // The gateway's own token: the first of its variables that is set (its own, else the API token with AI Gateway Run).
                string? gatewayToken = null;
                bool anySet = false;
                foreach (var name in alias.Gateway.GatewayTokenVariables)
                {
                    if (string.IsNullOrEmpty(environment.Get(name))) continue;
                    anySet = true;
                    gatewayToken = result.ReadToken(name, environment);
                    break;
                }
                if (gatewayToken != null) result.Headers.Add(new KeyValuePair<string, string>(alias.Gateway.Header, Bearer(gatewayToken)));

                string? providerKey = apiKey;
                if (providerKey == null && alias.Gateway.ModelUsesTokenAsProviderKey(model))
                {
                    if (string.IsNullOrEmpty(environment.Get(alias.TokenVariable!))) result.ProviderKeyUnset = anySet;
                    else providerKey = result.ReadToken(alias.TokenVariable!, environment);
                }
                if (!string.IsNullOrEmpty(providerKey)) result.Headers.Add(new KeyValuePair<string, string>(AuthorizationHeader, Bearer(providerKey!)));
                if (!anySet && apiKey == null) result.Missing.Add(alias.TokenVariable!);
                return result;
            }

            string? token = apiKey;
            if (token == null && alias.TokenVariable != null)
            {
                if (string.IsNullOrEmpty(environment.Get(alias.TokenVariable))) result.Missing.Add(alias.TokenVariable);
                else token = result.ReadToken(alias.TokenVariable, environment);
            }
            if (string.IsNullOrEmpty(token)) return result;
            // Authorization: Bearer, or the key alone in the alias's own header (azure's api-key, a user alias's choice).
            result.Headers.Add(alias.TokenStyle == TokenStyle.ApiKeyHeader
                ? new KeyValuePair<string, string>(alias.TokenHeader, token!)
                : new KeyValuePair<string, string>(AuthorizationHeader, Bearer(token!)));
            return result;
        }

        /// <summary>The credential headers the alias sends, which Cloudflare's own API does not take.</summary>
        public static bool IsCredentialHeader(ProviderAliasDefinition alias, string name) =>
            string.Equals(name, AuthorizationHeader, StringComparison.OrdinalIgnoreCase)
            || string.Equals(name, ApiKeyHeader, StringComparison.OrdinalIgnoreCase)
            || string.Equals(name, alias.TokenHeader, StringComparison.OrdinalIgnoreCase)
            || (alias.Gateway != null && string.Equals(name, alias.Gateway.Header, StringComparison.OrdinalIgnoreCase));

        /// <summary>Authorization: Bearer for a token (Cloudflare's API, chat providers).</summary>
        public static KeyValuePair<string, string> BearerAuthorization(string token) => new KeyValuePair<string, string>(AuthorizationHeader, Bearer(token));

        private static string Bearer(string token) => "Bearer " + token;

        /// <summary>A set variable's value when it is fit for a header; else null, with the variable in <see cref="Invalid"/>.</summary>
        private string? ReadToken(string name, IEnvironmentReader environment)
        {
            string value = environment.Get(name)!;
            string? reason = ValueRules.CheckToken(value);
            if (reason != null)
            {
                Invalid[name] = reason;
                return null;
            }
            Secrets.Add(value);
            return value;
        }
    }
}
