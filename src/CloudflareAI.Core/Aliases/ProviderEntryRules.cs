
namespace CloudflareAI.Aliases
{
    /// <summary>
    /// The rules for an entry that a JSON Schema cannot say, checked on every read of the file and before
    /// Register-AIProviderAlias writes: templates parse, header values are sendable, and a secret header is a template
    /// that names a variable, so the file never holds a secret.
    /// </summary>
    public static class ProviderEntryRules
    {
        /// <exception cref="ProviderConfigException">The entry breaks a rule; the message names the file, the entry and the field.</exception>
        public static void Check(string path, ProviderEntry entry)
        {
            if (entry.BaseUrl != null && !Template.TryParse(entry.BaseUrl, out _, out var urlError))
            {
                throw new ProviderConfigException(path, entry.Line, entry.Name,
                    $"'baseUrl' is not a valid template at position {urlError!.Position}: {urlError.Reason}",
                    "Write the base URL with ${NAME} for each variable, for example 'http://127.0.0.1:${VLLM_PORT}/v1'; '$$' is a literal '$'.");
            }
            if (entry.Headers == null) return;
            foreach (var header in entry.Headers)
            {
                string value = header.Value ?? string.Empty;
                bool secret = SecretNames.IsSecretHeader(header.Key);
                // A header value is never quoted in the message: it may be a pasted secret.
                string? problem = ValueRules.CheckHeaderValue(value);
                if (problem != null)
                {
                    throw new ProviderConfigException(path, entry.Line, entry.Name, $"the value of header '{header.Key}' {(secret ? "has characters that cannot be sent" : problem)}.",
                        $"Give header '{header.Key}' a value of visible ASCII characters, without line breaks or control characters.");
                }
                if (!Template.TryParse(value, out var template, out var error))
                {
                    throw new ProviderConfigException(path, entry.Line, entry.Name,
                        $"the value of header '{header.Key}' is not a valid template at position {error!.Position}{(secret ? string.Empty : ": " + error.Reason)}.",
                        "Write each variable as ${NAME}; '$$' is a literal '$'.");
                }
                if (secret && template!.References.Count == 0)
                {
                    throw new ProviderConfigException(path, entry.Line, entry.Name,
                        $"header '{header.Key}' holds a literal value, and the providers file never holds a secret.",
                        $"Write header '{header.Key}' as a template that names an environment variable, for example 'Bearer ${{MY_GATEWAY_TOKEN}}', " +
                        "and set the variable: $env:MY_GATEWAY_TOKEN = '...'. Rotate the secret if the file was shared.");
                }
            }
        }
    }
}
