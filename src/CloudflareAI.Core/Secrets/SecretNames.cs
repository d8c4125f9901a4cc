using System;
using System.Collections.Generic;

namespace CloudflareAI.Secrets
{
    /// <summary>Which variable names hold secrets: their values are never echoed.</summary>
    public static class SecretNames
    {
        private static readonly string[] Markers = { "TOKEN", "KEY", "SECRET", "PASSWORD" };

        /// <summary>True when the name contains TOKEN, KEY, SECRET or PASSWORD (any case).</summary>
        public static bool IsSecretVariable(string name)
        {
            foreach (var marker in Markers)
            {
                if (name.IndexOf(marker, StringComparison.OrdinalIgnoreCase) >= 0) return true;
            }
            return false;
        }

        private static readonly string[] HeaderMarkers = { "auth", "token", "key", "secret", "password", "cookie" };

        /// <summary>
        /// The one rule for header names whose values are secret: any name containing auth, token, key, secret,
        /// password or cookie (any case), so Authorization, cf-aig-authorization, api-key and Cookie. Such a value is
        /// masked by the redactor wherever it could come back (an error body, an answer), and shown as *** in the
        /// -Debug header dump, -Verbose and -WhatIf.
        /// </summary>
        public static bool IsSecretHeader(string? name)
        {
            if (string.IsNullOrEmpty(name)) return false;
            foreach (var marker in HeaderMarkers)
            {
                if (name!.IndexOf(marker, StringComparison.OrdinalIgnoreCase) >= 0) return true;
            }
            return false;
        }
    }
}
