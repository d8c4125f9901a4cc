using System;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading;

namespace CloudflareAI.Aliases
{
    /// <summary>
    /// Changes the user's providers file safely: under a lock file beside it (so two processes that register at once
    /// take turns and neither loses its entry), reading the file as it is now, writing the whole new text to a
    /// temporary file in the same folder and renaming it over the old one (so a reader sees the old or the new file,
    /// never half of one).
    /// </summary>
    public static class ProvidersFileWriter
    {
        /// <summary>How long a writer waits for another to finish.</summary>
        public static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);

        /// <summary>
        /// Reads the file (an empty one when it does not exist), lets <paramref name="change"/> edit it, checks the result
        /// with the reading rules, and writes it. Returns the file as written.
        /// </summary>
        /// <exception cref="ProviderConfigException">The file as it is cannot be used (it is never overwritten then), or the change breaks a rule.</exception>
        public static ProvidersFile Update(string path, Action<ProvidersFile> change)
        {
            string folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
            try
            {
                Directory.CreateDirectory(folder);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new ProviderConfigException(path, 0, null, $"its folder cannot be created: {e.Message}",
                    "Create the folder, or set $env:CLOUDFLAREAI_PROVIDERS_FILE to a file in a folder you can write.");
            }

            using (AcquireLock(path))
            {
                ProvidersFile file = File.Exists(path) ? ProvidersFileParser.Parse(path, UserAliasStore.ReadAll(path)) : new ProvidersFile { Path = path };
                change(file);
                byte[] bytes = Serialize(file);
                // What is written must read back: the same rules as every read, and the merge with the built-ins.
                var written = ProvidersFileParser.Parse(path, bytes);
                UserAliasMerger.Merge(AliasCatalog.Builtins, AliasCatalog.AutoSelectionOrder, written);
                WriteAtomically(path, folder, bytes);
                return written;
            }
        }

        /// <summary>The file as indented JSON, fields in the schema's order, only the fields an entry sets.</summary>
        public static byte[] Serialize(ProvidersFile file)
        {
            using var memory = new MemoryStream();
            // A local file read by people: no \u0024 for '$' or \u0027 for quotes.
            var options = new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            using (var writer = new Utf8JsonWriter(memory, options))
            {
                writer.WriteStartObject();
                if (file.Schema != null) writer.WriteString("$schema", file.Schema);
                if (file.AutoSelect != null)
                {
                    writer.WriteStartArray("autoSelect");
                    foreach (var name in file.AutoSelect) writer.WriteStringValue(name);
                    writer.WriteEndArray();
                }
                writer.WriteStartArray("providers");
                foreach (var entry in file.Providers)
                {
                    writer.WriteStartObject();
                    writer.WriteString("name", entry.Name);
                    WriteIfSet(writer, "baseUrl", entry.BaseUrl);
                    WriteIfSet(writer, "tokenVariable", entry.TokenVariable);
                    WriteIfSet(writer, "tokenHeader", entry.TokenHeader);
                    if (entry.Headers != null)
                    {
                        writer.WriteStartObject("headers");
                        foreach (var pair in entry.Headers) writer.WriteString(pair.Key, pair.Value);
                        writer.WriteEndObject();
                    }
                    WriteIfSet(writer, "defaultModel", entry.DefaultModel);
                    WriteIfSet(writer, "defaultEmbeddingModel", entry.DefaultEmbeddingModel);
                    if (entry.CoalescesSystemMessages != null) writer.WriteBoolean("coalescesSystemMessages", entry.CoalescesSystemMessages.Value);
                    if (entry.IsGateway != null) writer.WriteBoolean("isGateway", entry.IsGateway.Value);
                    WriteIfSet(writer, "description", entry.Description);
                    WriteIfSet(writer, "documentationUrl", entry.DocumentationUrl);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            memory.WriteByte((byte)'\n');
            return memory.ToArray();
        }

        private static void WriteIfSet(Utf8JsonWriter writer, string name, string? value)
        {
            if (value != null) writer.WriteString(name, value);
        }

        /// <summary>
        /// The lock is a file beside the providers file, held open without sharing. It is never deleted: deleting it
        /// would let a third writer lock a new file while a second still waits on the old one. The operating system
        /// releases it when a writer dies.
        /// </summary>
        private static FileStream AcquireLock(string path)
        {
            string lockPath = path + ".lock";
            var deadline = DateTime.UtcNow + LockTimeout;
            int delay = 10;
            while (true)
            {
                try
                {
                    return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                }
                catch (IOException) when (DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(delay);
                    delay = Math.Min(delay * 2, 200);
                }
                catch (IOException e)
                {
                    throw new ProviderConfigException(path, 0, null, $"another process has held its lock file for {LockTimeout.TotalSeconds:0} seconds ({e.Message}).",
                        $"Wait for the other Register-AIProviderAlias or Unregister-AIProviderAlias to finish, then try again; '{lockPath}' may be removed when no PowerShell uses the module.");
                }
            }
        }

        private static void WriteAtomically(string path, string folder, byte[] bytes)
        {
            string temporary = Path.Combine(folder, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
            try
            {
                using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    stream.Write(bytes, 0, bytes.Length);
                    stream.Flush(flushToDisk: true);
                }
                if (File.Exists(path)) File.Replace(temporary, path, null, ignoreMetadataErrors: true);
                else File.Move(temporary, path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new ProviderConfigException(path, 0, null, $"the file cannot be written: {e.Message}",
                    "Check that you can write the file and its folder, or set $env:CLOUDFLAREAI_PROVIDERS_FILE to a file you can write.");
            }
            finally
            {
                try { if (File.Exists(temporary)) File.Delete(temporary); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }
    }
}
