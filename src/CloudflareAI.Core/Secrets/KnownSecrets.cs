using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace CloudflareAI.Secrets
{
    /// <summary>
    /// Every secret value an endpoint request may bring into a text, found without resolving it: -ApiKey, secret
    /// headers, the values of secret-named variables that the templates or any alias refer to, and (where the
    /// environment can be listed) every secret-named variable's value. Resolution can fail half-way, and its error,
    /// the -Verbose template line and the URL shown must still mask them.
    /// </summary>
    internal static class KnownSecrets
    {
        // $NAME, ${NAME} and ${env:NAME}, loosely: a template that fails to parse still names its variables.
        private static readonly Regex Reference = new Regex(@"\$\{?(?:env:)?([A-Za-z_][A-Za-z0-9_]*)", RegexOptions.CultureInvariant);

        private static readonly Regex UserInfo = new Regex(@"(?<=://)[^/?#\s@'""]+@", RegexOptions.CultureInvariant);

        /// <summary>All the values, for text shown after a failure.</summary>
        public static List<string> Collect(EndpointOverrides request, IEnvironmentReader environment, bool listEnvironment)
        {
            var values = new List<string>();
            if (!string.IsNullOrEmpty(request.ApiKey)) values.Add(request.ApiKey!);
            foreach (var header in request.Headers)
            {
                if (header.Value == null) continue;
                if (SecretNames.IsSecretHeader(header.Key)) AddCredential(header.Value, values);
                AddReferenced(header.Value, environment, values);
            }
            if (request.BaseUrl != null) AddReferenced(request.BaseUrl, environment, values);
            foreach (var alias in AliasCatalog.All)
            {
                if (alias.TokenVariable != null) AddVariable(alias.TokenVariable, environment, values);
                if (alias.Gateway != null) foreach (var name in alias.Gateway.GatewayTokenVariables) AddVariable(name, environment, values);
            }
            if (listEnvironment && environment is IEnvironmentListing listing)
            {
                foreach (var pair in listing.List())
                {
                    if (SecretNames.IsSecretVariable(pair.Key) && !string.IsNullOrEmpty(pair.Value)) values.Add(pair.Value);
                }
            }
            return values;
        }

        /// <summary>
        /// The values of secret-named variables that appear as they are in -BaseUrl or a -Header value: PowerShell
        /// expanded them there before the module saw the text, so the request will carry them without knowing them as secrets.
        /// </summary>
        public static IEnumerable<string> PastedIntoRequest(EndpointOverrides request, IEnvironmentReader environment)
        {
            if (!(environment is IEnvironmentListing listing)) yield break;
            var texts = new List<string>();
            if (request.BaseUrl != null) texts.Add(request.BaseUrl);
            texts.AddRange(request.Headers.Select(h => h.Value ?? string.Empty));
            if (texts.Count == 0) yield break;
            foreach (var pair in listing.List())
            {
                if (!SecretNames.IsSecretVariable(pair.Key) || string.IsNullOrEmpty(pair.Value) || pair.Value.Trim().Length < SecretRedactor.MinimumLength) continue;
                if (texts.Any(t => t.IndexOf(pair.Value, StringComparison.OrdinalIgnoreCase) >= 0)) yield return pair.Value;
            }
        }

        /// <summary>The user-info part of every URL in the text ("https://user:pass@host") as ***@.</summary>
        public static string MaskUserInfo(string? text)
        {
            if (string.IsNullOrEmpty(text) || text!.IndexOf('@') < 0) return text ?? string.Empty;
            return UserInfo.Replace(text, SecretRedactor.Mask + "@");
        }

        /// <summary>The text as shown: secrets masked in any letter case, user-info masked, control characters visible.</summary>
        public static string Shown(SecretRedactor redactor, string? text) =>
            TerminalText.Escape(MaskUserInfo(redactor.RedactIgnoringCase(text)));

        private static void AddReferenced(string template, IEnvironmentReader environment, List<string> values)
        {
            foreach (Match match in Reference.Matches(template))
            {
                string name = match.Groups[1].Value;
                if (SecretNames.IsSecretVariable(name)) AddVariable(name, environment, values);
            }
        }

        private static void AddVariable(string name, IEnvironmentReader environment, List<string> values)
        {
            string? value = environment.Get(name);
            if (!string.IsNullOrEmpty(value)) values.Add(value!);
        }

        /// <summary>
        /// The value of a secret header, and its credential without the scheme: a server that echoes the key back
        /// ("Incorrect API key provided: sk-...") repeats only the part after "Bearer ".
        /// </summary>
        public static void AddCredential(string value, List<string> values)
        {
            string trimmed = value.Trim();
            if (trimmed.Length == 0) return;
            values.Add(trimmed);
            int space = trimmed.IndexOf(' ');
            if (space > 0 && trimmed.Substring(space + 1).Trim().Length > 0) values.Add(trimmed.Substring(space + 1).Trim());
        }
    }
}
