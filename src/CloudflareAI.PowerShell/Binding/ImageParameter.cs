using System.Collections.Generic;
using System.Management.Automation;

namespace CloudflareAI.Commands
{
    /// <summary>-Image: PowerShell paths (relative to the current location, ~, PSDrives) resolved to file-system paths,
    /// then loaded by the core once per call; a value it cannot send ends the call before any request.</summary>
    internal static class ImageParameter
    {
        public static IReadOnlyList<object?> Load(PSCmdlet cmdlet, string[] values, ResolvedEndpoint resolved)
        {
            try
            {
                return ImageInput.Load(values, path => cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path),
                    resolved.Alias.IsCloudflare, resolved.Alias.Name);
            }
            catch (CloudflareAIException e)
            {
                cmdlet.ThrowTerminatingError(ErrorRecords.From(e));
                throw;
            }
        }
    }
}
