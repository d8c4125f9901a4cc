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

        private static readonly string[] HeaderMarkers = { "auth", "token", "key", "secret", "password" };

        /// <summary>Header names whose values are shown as *** in Verbose, Debug and WhatIf.</summary>
        public static bool IsSecretHeader(string name)
        {
            foreach (var marker in HeaderMarkers)
            {
                if (name.IndexOf(marker, StringComparison.OrdinalIgnoreCase) >= 0) return true;
            }
            return false;
        }
    }
}
