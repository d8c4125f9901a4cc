using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Net;
using System.Security;

namespace CloudflareAI.PowerShell
{
    /// <summary>-Header as name/value pairs; a SecureString value is sent as its text.</summary>
    internal static class HeaderValues
    {
        public static IReadOnlyList<KeyValuePair<string, string>> Read(IDictionary? header)
        {
            var headers = new List<KeyValuePair<string, string>>();
            if (header == null) return headers;
            foreach (DictionaryEntry entry in header)
            {
                object? value = entry.Value is PSObject ps ? ps.BaseObject : entry.Value;
                if (value is SecureString secure) value = new NetworkCredential(string.Empty, secure).Password;
                headers.Add(new KeyValuePair<string, string>(entry.Key?.ToString() ?? string.Empty, value?.ToString() ?? string.Empty));
            }
            return headers;
        }
    }
}
