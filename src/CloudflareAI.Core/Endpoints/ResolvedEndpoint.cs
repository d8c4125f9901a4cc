using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;

namespace CloudflareAI.Endpoints
{
    /// <summary>The outcome: where to send, with what, and which alias and model were chosen.</summary>
    public sealed class ResolvedEndpoint
    {
        internal ResolvedEndpoint(ChatEndpoint endpoint, ProviderAliasDefinition alias, string model, bool autoSelected, string template,
            IReadOnlyList<string> warnings)
        {
            Warnings = warnings;
            Endpoint = endpoint;
            Alias = alias;
            Model = model;
            AutoSelected = autoSelected;
            Template = template;
        }

        /// <summary>Where the request goes, with its final headers.</summary>
        public ChatEndpoint Endpoint { get; }

        /// <summary>The alias used.</summary>
        public ProviderAliasDefinition Alias { get; }

        /// <summary>The model to send.</summary>
        public string Model { get; }

        /// <summary>True when -Provider was omitted and the alias was picked from the available ones.</summary>
        public bool AutoSelected { get; }

        /// <summary>The base URL template as received (for -Verbose: shows what PowerShell left of a double-quoted template).</summary>
        public string Template { get; }

        /// <summary>Format warnings about the values in use (an account ID that is not 32 hex characters, a placeholder).</summary>
        public IReadOnlyList<string> Warnings { get; }

        /// <summary>"alias (host)", the -WhatIf target, with any secret in the host as ***.</summary>
        public string Target => KnownSecrets.Shown(Redactor, $"{Alias.Name} ({Endpoint.BaseUrl.Authority})");

        /// <summary>The POST URL as shown in -WhatIf and -Verbose: a secret-named variable's value in it is ***.</summary>
        public string DisplayUrl => KnownSecrets.Shown(Redactor, Endpoint.ChatCompletionsUrl.AbsoluteUri);

        /// <summary>Another URL of this endpoint (the embeddings URL) as -WhatIf and -Verbose show it, secrets as ***.</summary>
        public string DisplayUrlOf(Uri url) => KnownSecrets.Shown(Redactor, url.AbsoluteUri);

        /// <summary>The template as received, for -Verbose, with every secret the request carries as ***.</summary>
        public string DisplayTemplate => KnownSecrets.Shown(Redactor, Template);

        private SecretRedactor Redactor => Endpoint.Redactor;
    }
}
