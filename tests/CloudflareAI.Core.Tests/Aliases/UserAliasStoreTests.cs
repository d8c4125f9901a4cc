using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace CloudflareAI.Tests.Aliases
{
    /// <summary>Finding, caching and re-reading the providers file, and writing it safely.</summary>
    public class UserAliasStoreTests
    {
        private static readonly DateTime First = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        private const string Vllm = @"{ ""providers"": [ { ""name"": ""my-vllm"", ""baseUrl"": ""http://127.0.0.1:${VLLM_PORT}/v1"", ""defaultModel"": ""m"" } ] }";

        private static IEnvironmentReader Env(params string[] pairs) => new DictionaryEnvironmentReader(
            pairs.Select(p => p.Split(new[] { '=' }, 2)).Select(p => new KeyValuePair<string, string>(p[0], p[1])));

        [Fact]
        public void The_location_follows_the_variable_then_XDG_then_home_and_APPDATA_on_Windows()
        {
            string explicitPath = Path.Combine(Path.GetTempPath(), "elsewhere", "p.json");
            Assert.Equal(explicitPath, ProvidersFileLocation.Resolve(Env("CLOUDFLAREAI_PROVIDERS_FILE=" + explicitPath, "HOME=/users/u"), false));
            Assert.Equal(Path.Combine("/xdg", "CloudflareAI", "providers.json"), ProvidersFileLocation.Resolve(Env("XDG_CONFIG_HOME=/xdg", "HOME=/users/u"), false));
            Assert.Equal(Path.Combine("/users/u", ".config", "CloudflareAI", "providers.json"), ProvidersFileLocation.Resolve(Env("HOME=/users/u"), false));
            // A relative XDG_CONFIG_HOME is ignored, as the XDG rules say.
            Assert.Equal(Path.Combine("/users/u", ".config", "CloudflareAI", "providers.json"), ProvidersFileLocation.Resolve(Env("XDG_CONFIG_HOME=rel", "HOME=/users/u"), false));
            Assert.Equal(Path.Combine(@"C:\Users\u\AppData\Roaming", "CloudflareAI", "providers.json"),
                ProvidersFileLocation.Resolve(Env(@"APPDATA=C:\Users\u\AppData\Roaming", "HOME=/users/u", "XDG_CONFIG_HOME=/xdg"), true));
            Assert.Null(ProvidersFileLocation.Resolve(Env(), false));
        }

        [Fact]
        public void No_file_means_the_builtins_alone()
        {
            using var files = new ProvidersFiles();
            var set = files.Store().Current;
            Assert.Equal(AliasCatalog.Builtins.Select(b => b.Name), set.All.Select(a => a.Name));
            Assert.Null(set.Problem);
            Assert.Null(files.Store().TakeWarning());
        }

        [Fact]
        public void The_file_is_read_again_only_when_it_changed()
        {
            using var files = new ProvidersFiles();
            var store = files.Store();
            files.Write(Vllm, First);
            var first = store.Current;
            Assert.True(first.TryGet("my-vllm", out _));
            Assert.Same(first, store.Current);

            files.Write(Vllm.Replace("my-vllm", "my-vllm-2"), First.AddSeconds(1));
            var second = store.Current;
            Assert.NotSame(first, second);
            Assert.True(second.TryGet("my-vllm-2", out _));
            Assert.False(second.TryGet("my-vllm", out _));

            File.Delete(files.Path_);
            Assert.False(store.Current.TryGet("my-vllm-2", out _));
        }

        [Fact]
        public void A_broken_file_keeps_the_builtins_and_warns_once_per_change_naming_file_and_line()
        {
            using var files = new ProvidersFiles();
            var store = files.Store();
            files.Write("{\n  \"providers\": [\n    { \"name\": \"my-vllm\", \"baseUrl\": 5 }\n  ]\n}", First);
            var set = store.Current;
            Assert.NotNull(set.Problem);
            Assert.Equal(3, set.Problem!.Line);
            Assert.True(set.TryGet("cloudflare-workers-ai", out _));
            Assert.False(set.TryGet("my-vllm", out _));

            string? warning = store.TakeWarning();
            Assert.NotNull(warning);
            Assert.Contains(files.Path_ + ", line 3", warning);
            Assert.Contains("built-in aliases work", warning);
            Assert.Null(store.TakeWarning());
            Assert.Null(store.TakeWarning());

            // Changed but still broken: one new warning. Corrected: none.
            files.Write("{\n  \"providers\": [\n\n    { \"name\": \"my-vllm\", \"baseUrl\": 5 }\n  ]\n}", First.AddSeconds(1));
            Assert.Contains("line 4", store.TakeWarning());
            Assert.Null(store.TakeWarning());
            files.Write(Vllm, First.AddSeconds(2));
            Assert.Null(store.TakeWarning());
            Assert.True(store.Current.TryGet("my-vllm", out _));
        }

        [Fact]
        public void Register_creates_the_folder_and_file_and_refuses_an_existing_name_without_force()
        {
            using var files = new ProvidersFiles();
            string path = Path.Combine(files.Folder, "new", "providers.json");
            var entry = UserAliasRegistration.BuildEntry(path, "my-vllm", "http://127.0.0.1:${VLLM_PORT}/v1", null, null, null, "m", null, null, null);
            UserAliasRegistration.Register(path, entry, force: false, schemaUri: "file:///m/CloudflareAI.providers.schema.json");
            var file = ProvidersFileParser.Parse(path, File.ReadAllBytes(path));
            Assert.Equal("file:///m/CloudflareAI.providers.schema.json", file.Schema);
            Assert.Equal("m", Assert.Single(file.Providers).DefaultModel);

            var again = Assert.Throws<CloudflareAIException>(() => UserAliasRegistration.Register(path, entry, force: false, schemaUri: null));
            Assert.Equal(ErrorIds.ProviderAliasExists, again.ErrorId);
            var builtin = UserAliasRegistration.BuildEntry(path, "openai", "https://api.openai.com/v1", null, null, null, "gpt-5-mini", null, null, null);
            Assert.Null(builtin.BaseUrl); // the built-in's own URL is not copied into the override
            Assert.Equal(ErrorIds.ProviderAliasExists,
                Assert.Throws<CloudflareAIException>(() => UserAliasRegistration.Register(path, builtin, force: false, schemaUri: null)).ErrorId);
            UserAliasRegistration.Register(path, builtin, force: true, schemaUri: null);
            Assert.Equal(2, ProvidersFileParser.Parse(path, File.ReadAllBytes(path)).Providers.Count);
            // No temporary file is left behind; the lock file stays (deleting it would race).
            Assert.Equal(new[] { "providers.json", "providers.json.lock" }, Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
        }

        [Fact]
        public void Register_refuses_a_literal_secret_header_before_writing_anything()
        {
            using var files = new ProvidersFiles();
            var e = Assert.Throws<ProviderConfigException>(() => UserAliasRegistration.BuildEntry(files.Path_, "work", "https://h/v1", null, null,
                new[] { new KeyValuePair<string, string>("Authorization", "Bearer sk-live-0123456789") }, null, null, null, null));
            Assert.Equal(ErrorIds.ProviderConfigInvalid, e.ErrorId);
            Assert.Contains("header 'Authorization' holds a literal value", e.Message);
            Assert.Contains("Nothing was written", e.Message);
            Assert.DoesNotContain("sk-live", e.Message);
            Assert.False(File.Exists(files.Path_));
        }

        [Fact]
        public void Register_never_overwrites_a_file_it_cannot_read()
        {
            using var files = new ProvidersFiles();
            files.Write("{ not json", First);
            var entry = UserAliasRegistration.BuildEntry(files.Path_, "a", "http://127.0.0.1:1/v1", null, null, null, null, null, null, null);
            Assert.Equal(ErrorIds.ProviderConfigInvalid,
                Assert.Throws<ProviderConfigException>(() => UserAliasRegistration.Register(files.Path_, entry, false, null)).ErrorId);
            Assert.Equal("{ not json", File.ReadAllText(files.Path_));
        }

        [Fact]
        public void Unregister_removes_the_entry_and_its_autoSelect_place_and_refuses_a_builtin_without_override()
        {
            using var files = new ProvidersFiles();
            files.Write(@"{ ""autoSelect"": [""my-vllm"", ""openai""], ""providers"": [ { ""name"": ""my-vllm"", ""baseUrl"": ""http://127.0.0.1:1/v1"" } ] }");
            UserAliasRegistration.Unregister(files.Path_, "my-vllm");
            var file = ProvidersFileParser.Parse(files.Path_, File.ReadAllBytes(files.Path_));
            Assert.Empty(file.Providers);
            Assert.Equal(new[] { "openai" }, file.AutoSelect);
            var builtin = Assert.Throws<CloudflareAIException>(() => UserAliasRegistration.Unregister(files.Path_, "openai"));
            Assert.Equal(ErrorIds.ProviderAliasNotFound, builtin.ErrorId);
            Assert.Contains("built-in", builtin.Message);
            Assert.Equal(ErrorIds.ProviderAliasNotFound, Assert.Throws<CloudflareAIException>(() => UserAliasRegistration.Unregister(files.Path_, "nothing")).ErrorId);
        }

        [Fact]
        public void Writers_on_many_threads_take_turns_and_lose_no_entry()
        {
            using var files = new ProvidersFiles();
            Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            {
                var entry = UserAliasRegistration.BuildEntry(files.Path_, "alias-" + i, "http://127.0.0.1:1/v1", null, null, null, null, null, null, null);
                UserAliasRegistration.Register(files.Path_, entry, force: false, schemaUri: null);
            });
            var file = ProvidersFileParser.Parse(files.Path_, File.ReadAllBytes(files.Path_));
            Assert.Equal(Enumerable.Range(0, 16).Select(i => "alias-" + i).OrderBy(n => n, StringComparer.Ordinal),
                file.Providers.Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal));
        }
    }
}
