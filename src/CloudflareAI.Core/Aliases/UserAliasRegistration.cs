using System;
using System.Collections.Generic;
using System.Linq;

namespace CloudflareAI.Aliases
{
    /// <summary>What Register-AIProviderAlias and Unregister-AIProviderAlias do to the providers file.</summary>
    public static class UserAliasRegistration
    {
        /// <summary>The schema's file name, in the module folder and in docs/.</summary>
        public const string SchemaFileName = "CloudflareAI.providers.schema.json";

        /// <summary>
        /// The entry the parameters describe, checked before anything is written: the name, the variable and header
        /// names, the templates, and that no secret header holds a literal value. For a built-in name, a base URL equal
        /// to the built-in one is left out, so the entry overrides only what differs.
        /// </summary>
        /// <exception cref="CloudflareAIException">ParameterInvalid, UrlTemplateInvalid or ProviderConfigInvalid.</exception>
        public static ProviderEntry BuildEntry(string path, string name, string baseUrl, string? tokenVariable, string? tokenHeader,
            IReadOnlyList<KeyValuePair<string, string>>? headers, string? defaultModel, bool? coalesce, bool? gateway, string? description)
        {
            if (!ProvidersFileParser.IsAliasName(name ?? string.Empty))
            {
                throw Invalid($"'{name}' is not a valid alias name: use {ProvidersFileParser.NameRule}.",
                    "Choose a name such as 'my-vllm' or 'work-gateway'.", "-Name");
            }
            if (tokenVariable != null && tokenVariable.Length > 0 && !ProvidersFileParser.IsVariableName(tokenVariable))
            {
                throw Invalid($"-TokenVariable '{tokenVariable}' is not an environment variable name.",
                    "Give the variable's name alone, without '$' or braces, for example -TokenVariable VLLM_API_KEY.", "-TokenVariable");
            }
            if (tokenHeader != null && !ProvidersFileParser.IsHeaderName(tokenHeader))
            {
                throw Invalid($"-TokenHeader '{tokenHeader}' is not a valid HTTP header name.", "Give a header name such as api-key or Authorization.", "-TokenHeader");
            }
            if (headers != null)
            {
                foreach (var pair in headers)
                {
                    if (!ProvidersFileParser.IsHeaderName(pair.Key ?? string.Empty))
                    {
                        throw Invalid($"'{pair.Key}' is not a valid HTTP header name.", "Header names are letters, digits and - _ . ! # $ % & ' * + ^ ` | ~.", "-Header");
                    }
                }
            }
            // The template error names the position and quotes the template, which holds no secret: a secret goes in a variable.
            Template.Parse(baseUrl);

            string? url = baseUrl;
            if (AliasCatalog.TryGetBuiltin(name!, out var builtin) && string.Equals(builtin.BaseUrlTemplate, baseUrl, StringComparison.Ordinal)) url = null;
            var entry = new ProviderEntry
            {
                Name = name!,
                BaseUrl = url,
                TokenVariable = tokenVariable,
                TokenHeader = tokenHeader,
                Headers = headers == null || headers.Count == 0 ? null : headers.ToList(),
                DefaultModel = string.IsNullOrEmpty(defaultModel) ? null : defaultModel,
                CoalescesSystemMessages = coalesce,
                IsGateway = gateway,
                Description = string.IsNullOrEmpty(description) ? null : description,
            };
            ProviderEntryRules.Check(path, entry);
            return entry;
        }

        /// <summary>Adds the entry to the file (creating it), or replaces an entry of the same name when <paramref name="force"/>.</summary>
        /// <param name="path">The providers file.</param>
        /// <param name="entry">From <see cref="BuildEntry"/>.</param>
        /// <param name="force">Replace an existing entry, or override a built-in alias.</param>
        /// <param name="schemaUri">The shipped schema's address, written as $schema so editors validate the file.</param>
        /// <exception cref="CloudflareAIException">ProviderAliasExists without -Force; ProviderConfigInvalid when the file as it is cannot be used.</exception>
        public static void Register(string path, ProviderEntry entry, bool force, string? schemaUri)
        {
            ProvidersFileWriter.Update(path, file =>
            {
                var existing = file.Find(entry.Name);
                bool builtin = AliasCatalog.TryGetBuiltin(entry.Name, out _);
                if ((existing != null || builtin) && !force)
                {
                    string what = existing != null ? "The providers file already has an entry" : "There is a built-in alias";
                    throw new CloudflareAIException(ErrorIds.ProviderAliasExists, ErrorKind.ResourceExists,
                        $"{what} named '{entry.Name}'.",
                        existing != null
                            ? $"Add -Force to replace the entry, or choose another name. Get-AIProviderAlias {entry.Name} shows it."
                            : $"Add -Force to override the built-in alias's fields with the ones given (Unregister-AIProviderAlias {entry.Name} restores it), or choose another name.")
                    { Target = entry.Name };
                }
                if (existing != null) file.Providers[file.Providers.IndexOf(existing)] = entry;
                else file.Providers.Add(entry);
                if (schemaUri != null && (file.Schema == null || IsShippedSchema(file.Schema))) file.Schema = schemaUri;
            });
        }

        /// <summary>Removes the file's entry of that name (and, for a user alias, its place in autoSelect).</summary>
        /// <exception cref="CloudflareAIException">ProviderAliasNotFound when the file has no such entry.</exception>
        public static void Unregister(string path, string name)
        {
            if (!System.IO.File.Exists(path)) throw NotInFile(name);
            ProvidersFileWriter.Update(path, file =>
            {
                var entry = file.Find(name) ?? throw NotInFile(name);
                file.Providers.Remove(entry);
                if (!AliasCatalog.TryGetBuiltin(entry.Name, out _) && file.AutoSelect != null)
                {
                    file.AutoSelect = file.AutoSelect.Where(n => !string.Equals(n, entry.Name, StringComparison.OrdinalIgnoreCase)).ToList();
                }
            });
        }

        /// <summary>A $schema that points at a copy of the shipped schema (perhaps an older module's folder): kept current.</summary>
        private static bool IsShippedSchema(string schema) =>
            schema.StartsWith("file:", StringComparison.OrdinalIgnoreCase) && schema.EndsWith("/" + SchemaFileName, StringComparison.OrdinalIgnoreCase);

        private static CloudflareAIException NotInFile(string name)
        {
            if (AliasCatalog.TryGetBuiltin(name, out var builtin))
            {
                return new CloudflareAIException(ErrorIds.ProviderAliasNotFound, ErrorKind.ObjectNotFound,
                    $"'{builtin.Name}' is a built-in alias, and the providers file does not override it: there is nothing to unregister.",
                    "Built-in aliases cannot be removed; Unregister-AIProviderAlias removes entries of the providers file only. " +
                    "Get-AIProviderAlias | Where-Object Source -ne Builtin lists them.")
                { Target = name };
            }
            var suggestions = AliasCatalog.Suggest(name, AliasCatalog.Current.UserNames, 3);
            string hint = suggestions.Count > 0 ? $" Did you mean {string.Join(" or ", suggestions.Select(s => "'" + s + "'"))}?" : string.Empty;
            return new CloudflareAIException(ErrorIds.ProviderAliasNotFound, ErrorKind.ObjectNotFound,
                $"The providers file has no entry named '{name}'.{hint}",
                "Get-AIProviderAlias | Where-Object Source -ne Builtin lists the entries; press Tab after -Name to complete one.")
            { Target = name };
        }

        private static CloudflareAIException Invalid(string message, string action, string target) =>
            new CloudflareAIException(ErrorIds.ParameterInvalid, ErrorKind.InvalidArgument, message, action) { Target = target };
    }
}
