using System;
using System.Collections.Generic;
using System.IO;

namespace CloudflareAI.Aliases
{
    /// <summary>
    /// The user's providers file, read on first use and again only when its time stamp or length changes (nothing is
    /// read at import). A file that cannot be used leaves the built-ins alone in service and gives one warning per
    /// change of the file.
    /// </summary>
    public sealed class UserAliasStore
    {
        private readonly IEnvironmentReader _environment;
        private readonly bool _isWindows;
        private readonly object _gate = new object();
        private AliasSet? _builtinsOnly;
        private AliasSet? _current;
        private string? _currentKey;
        private string? _warnedKey;

        /// <summary>The store of this process, locating the file from the process environment.</summary>
        public static UserAliasStore Process { get; } = new UserAliasStore(ProcessEnvironmentReader.Instance, ProvidersFileLocation.IsWindows);

        /// <summary>A store that finds the file through this environment.</summary>
        public UserAliasStore(IEnvironmentReader environment, bool isWindows)
        {
            _environment = environment;
            _isWindows = isWindows;
        }

        /// <summary>The file's path now (it may not exist), or null.</summary>
        public string? FilePath => ProvidersFileLocation.Resolve(_environment, _isWindows);

        /// <summary>The aliases now: read again when the file changed since the last look.</summary>
        public AliasSet Current
        {
            get
            {
                string? path = FilePath;
                string key = Stamp(path);
                lock (_gate)
                {
                    if (_current != null && key == _currentKey) return _current;
                    _current = key.Length == 0 ? BuiltinsOnly() : Load(path!);
                    _currentKey = key;
                    return _current;
                }
            }
        }

        /// <summary>
        /// The warning about a file that cannot be used, once per change of the file (null otherwise), for the cmdlets to
        /// write: the core never writes to the host.
        /// </summary>
        public string? TakeWarning()
        {
            var set = Current;
            lock (_gate)
            {
                if (set.Problem == null || _currentKey == _warnedKey) return null;
                _warnedKey = _currentKey;
                return $"{set.Problem.Message} The built-in aliases work as usual; a command that names a user alias fails until the file is corrected.";
            }
        }

        private AliasSet BuiltinsOnly() => _builtinsOnly ??= new AliasSet(AliasCatalog.Builtins, AliasCatalog.AutoSelectionOrder);

        private AliasSet Load(string path)
        {
            try
            {
                var file = ProvidersFileParser.Parse(path, ReadAll(path));
                return UserAliasMerger.Merge(AliasCatalog.Builtins, AliasCatalog.AutoSelectionOrder, file);
            }
            catch (ProviderConfigException e)
            {
                return new AliasSet(AliasCatalog.Builtins, AliasCatalog.AutoSelectionOrder, e);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return new AliasSet(AliasCatalog.Builtins, AliasCatalog.AutoSelectionOrder,
                    new ProviderConfigException(path, 0, null, $"the file cannot be read: {e.Message}",
                        "Check that the file is readable by this user, or set $env:CLOUDFLAREAI_PROVIDERS_FILE to another file."));
            }
        }

        /// <summary>The whole file, read while writers may replace it (they rename a complete file over it).</summary>
        public static byte[] ReadAll(string path)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            return memory.ToArray();
        }

        /// <summary>"" when there is no file; otherwise the path, the time stamp and the length, which change with every write.</summary>
        private static string Stamp(string? path)
        {
            if (path == null) return string.Empty;
            try
            {
                var info = new FileInfo(path);
                if (!info.Exists) return string.Empty;
                return path + "|" + info.LastWriteTimeUtc.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture) + "|" +
                       info.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException || e is NotSupportedException)
            {
                return path + "|unreadable";
            }
        }
    }
}
