using System;
using System.IO;
using System.Text;

namespace CloudflareAI.Tests.Aliases
{
    /// <summary>A temporary folder for one test's providers files, removed afterwards.</summary>
    internal sealed class ProvidersFiles : IDisposable
    {
        public ProvidersFiles()
        {
            Folder = Path.Combine(Path.GetTempPath(), "cloudflareai-providers-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Folder);
            Path_ = System.IO.Path.Combine(Folder, "providers.json");
        }

        public string Folder { get; }

        // "Path" would hide System.IO.Path inside the class.
        public string Path_ { get; }

        public void Write(string text, DateTime? stamp = null)
        {
            File.WriteAllText(Path_, text, new UTF8Encoding(false));
            if (stamp != null) File.SetLastWriteTimeUtc(Path_, stamp.Value);
        }

        public static ProvidersFile Parse(string text) => ProvidersFileParser.Parse("/cfg/providers.json", Encoding.UTF8.GetBytes(text));

        public UserAliasStore Store() => new UserAliasStore(
            new DictionaryEnvironmentReader(new[] { new System.Collections.Generic.KeyValuePair<string, string>(ProvidersFileLocation.Variable, Path_) }), isWindows: false);

        public void Dispose()
        {
            try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
        }
    }
}
