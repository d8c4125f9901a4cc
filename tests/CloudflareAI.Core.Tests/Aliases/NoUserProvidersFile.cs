using System.IO;
using System.Runtime.CompilerServices;

namespace CloudflareAI.Tests.Aliases
{
    /// <summary>
    /// The catalog reads the user's providers file: in these tests it must never be the developer's own. Every test
    /// sees a file that does not exist; the user-alias tests build stores over files of their own.
    /// </summary>
    internal static class NoUserProvidersFile
    {
        [ModuleInitializer]
        internal static void Isolate()
        {
            string path = Path.Combine(Path.GetTempPath(), "cloudflareai-core-tests-none", "providers.json");
            System.Environment.SetEnvironmentVariable(ProvidersFileLocation.Variable, path);
        }
    }
}
