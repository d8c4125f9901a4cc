using System.Collections.Generic;

namespace CloudflareAI.Environment
{
    /// <summary>
    /// An environment that can list its variables. Used only to find secret values a text might hold when the usual
    /// route to them failed: a token that PowerShell pasted into a double-quoted -BaseUrl has lost its variable's name.
    /// </summary>
    internal interface IEnvironmentListing
    {
        /// <summary>Every variable and its value.</summary>
        IEnumerable<KeyValuePair<string, string>> List();
    }
}
