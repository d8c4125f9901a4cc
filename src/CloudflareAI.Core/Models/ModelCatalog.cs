using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace CloudflareAI.Models
{
    /// <summary>What one catalog read gave.</summary>
    public sealed class ModelCatalogResult
    {
        /// <summary>Creates a result.</summary>
        public ModelCatalogResult(IReadOnlyList<ModelInfo> models, int pages, bool fromCache)
        {
            Models = models;
            Pages = pages;
            FromCache = fromCache;
        }

        /// <summary>Every model read, deprecated ones included, sorted by name.</summary>
        public IReadOnlyList<ModelInfo> Models { get; }

        /// <summary>Pages requested (0 when served from the cache).</summary>
        public int Pages { get; }

        /// <summary>True when the models came from the cache, not the host.</summary>
        public bool FromCache { get; }
    }

    /// <summary>
    /// Reads a host's live model catalog (about_CloudflareAI, MODELS). Workers AI and the REST gateway: the v4 models
    /// search, every page; the /compat gateway: the same catalog with <c>workers-ai/</c> before each name; every other
    /// alias: <c>GET {base}/models</c>. Results are cached per alias, origin, account and task for an hour.
    /// </summary>
    public sealed class ModelCatalog
    {
        /// <summary>The task chat models have in the catalog.</summary>
        public const string TextGeneration = "Text Generation";

        /// <summary>Cloudflare's page size limit for the models search.</summary>
        public const int PageSize = 100;

        /// <summary>A runaway guard: no catalog has anywhere near this many pages.</summary>
        internal const int MaxPages = 500;

        private static readonly Lazy<ModelCatalog> SharedCatalog = new Lazy<ModelCatalog>(
            () => new ModelCatalog(CloudflareApiClient.Shared, new ModelCatalogCache(CloudflareApiClient.Shared.Clock)), LazyThreadSafetyMode.ExecutionAndPublication);

        private readonly CloudflareApiClient client;

        /// <summary>A catalog reader over this client and cache.</summary>
        public ModelCatalog(CloudflareApiClient client, ModelCatalogCache cache)
        {
            this.client = client ?? throw new ArgumentNullException(nameof(client));
            Cache = cache ?? throw new ArgumentNullException(nameof(cache));
        }

        /// <summary>The catalog every cmdlet and completer of this process shares.</summary>
        public static ModelCatalog Shared => SharedCatalog.Value;

        /// <summary>The cache the catalog reads and fills.</summary>
        public ModelCatalogCache Cache { get; }

        /// <summary>
        /// The cache key of an alias's catalog: alias, API origin and account (or base URL for non-Cloudflare hosts), and
        /// task. Built from the environment only; null when they cannot be read (then nothing is cached for it).
        /// </summary>
        public static string? KeyPrefix(ResolvedEndpoint resolved, IEnvironmentReader environment)
        {
            if (resolved == null) return null;
            if (resolved.Alias.IsCloudflare)
            {
                string? account = environment.Get(AliasCatalog.CloudflareAccountId);
                if (string.IsNullOrEmpty(account)) return null;
                return resolved.Alias.Name + "|" + CloudflareApi.OriginOf(resolved.Endpoint.BaseUrl).AbsoluteUri + "|" + account + "|";
            }
            return resolved.Alias.Name + "|" + resolved.Endpoint.BaseUrl.AbsoluteUri.TrimEnd('/') + "|";
        }

        /// <summary>The URL the catalog is read from, secrets masked (for -Verbose); the first page for Workers AI.</summary>
        public static Uri ListUrl(ResolvedEndpoint resolved, CloudflareApiEndpoint? api, string? task, int page) =>
            api != null ? api.ModelsSearchUrl(task, page, PageSize) : new Uri(resolved.Endpoint.BaseUrl.AbsoluteUri.TrimEnd('/') + "/models");

        /// <summary>
        /// Reads the catalog (or takes it from the cache). <paramref name="task"/> null lists every task (Workers AI only;
        /// /models has no tasks).
        /// </summary>
        /// <exception cref="CloudflareAIException">Setup errors; ModelListUnavailable for a host without /models.</exception>
        /// <exception cref="ChatException">The request failed (classified as for chat).</exception>
        public async Task<ModelCatalogResult> ListAsync(ResolvedEndpoint resolved, string? apiKey, IEnvironmentReader environment, string? task,
            bool refresh, ApiGetOptions options, CancellationToken cancellationToken)
        {
            if (resolved == null) throw new ArgumentNullException(nameof(resolved));
            options ??= new ApiGetOptions();
            bool cloudflare = resolved.Alias.IsCloudflare;
            // The API endpoint is resolved first: a missing API token is a setup error even when the cache could answer.
            CloudflareApiEndpoint? api = cloudflare ? EndpointResolver.ResolveCloudflareApi(resolved, apiKey, environment) : null;
            string? prefix = KeyPrefix(resolved, environment);
            string? key = prefix == null ? null : prefix + (cloudflare ? task ?? "*" : string.Empty);

            if (key != null && !refresh && Cache.TryGet(key, out IReadOnlyList<ModelInfo> cached))
            {
                options.Verbose?.Invoke($"Model catalog of {resolved.Alias.Name} from this session's cache ({cached.Count} models; -Refresh reads it again).");
                return new ModelCatalogResult(cached, 0, fromCache: true);
            }

            ModelCatalogResult result = api != null
                ? await ReadWorkersAiAsync(api, CloudflareApi.ModelPrefix(resolved.Alias), task, options, cancellationToken).ConfigureAwait(false)
                : await ReadOpenAiListAsync(resolved, options, cancellationToken).ConfigureAwait(false);
            if (key != null) Cache.Set(key, result.Models);
            return result;
        }

        /// <summary>The cached entry for a model, when some catalog of that alias is cached; never touches the network.</summary>
        public bool TryFindCached(ResolvedEndpoint resolved, IEnvironmentReader environment, string model, out ModelInfo? info)
        {
            info = null;
            string? prefix = KeyPrefix(resolved, environment);
            if (prefix == null || string.IsNullOrEmpty(model)) return false;
            foreach (IReadOnlyList<ModelInfo> models in Cache.FreshWithPrefix(prefix))
            {
                info = models.FirstOrDefault(m => string.Equals(m.Name, model, StringComparison.OrdinalIgnoreCase));
                if (info != null) return true;
            }
            return false;
        }

        private async Task<ModelCatalogResult> ReadWorkersAiAsync(CloudflareApiEndpoint api, string namePrefix, string? task, ApiGetOptions options,
            CancellationToken cancellationToken)
        {
            var models = new List<ModelInfo>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            int read = 0;
            int page = 1;
            for (; page <= MaxPages; page++)
            {
                CatalogPage parsed;
                using (ApiJsonResponse answer = await client.GetJsonAsync(api, api.ModelsSearchUrl(task, page, PageSize), options, cancellationToken).ConfigureAwait(false))
                {
                    parsed = ModelCatalogParser.ParseWorkersAiPage(answer.Root, api.Provider, namePrefix, client.Clock.UtcNow);
                }
                read += parsed.Count;
                foreach (ModelInfo model in parsed.Models)
                {
                    // A catalog that changes between pages can repeat an item; one entry per name.
                    if (seen.Add(model.Name)) models.Add(model);
                }
                if (!HasMorePages(parsed, page, read)) break;
            }
            options.Verbose?.Invoke($"Read {models.Count} models of {api.Provider} in {Math.Min(page, MaxPages).ToString(CultureInfo.InvariantCulture)} page(s).");
            return new ModelCatalogResult(Sorted(models), Math.Min(page, MaxPages), fromCache: false);
        }

        /// <summary>total_pages when given, else total_count, else a full page means there may be another.</summary>
        internal static bool HasMorePages(CatalogPage parsed, int page, int readSoFar)
        {
            if (parsed.Count == 0) return false;
            if (parsed.TotalPages is int pages) return page < pages;
            if (parsed.TotalCount is int total) return readSoFar < total;
            return parsed.Count >= (parsed.PerPage ?? PageSize);
        }

        private async Task<ModelCatalogResult> ReadOpenAiListAsync(ResolvedEndpoint resolved, ApiGetOptions options, CancellationToken cancellationToken)
        {
            Uri url = ListUrl(resolved, null, null, 1);
            try
            {
                using (ApiJsonResponse answer = await client.GetJsonAsync(resolved.Endpoint, url, options, cancellationToken).ConfigureAwait(false))
                {
                    List<ModelInfo> models = ModelCatalogParser.ParseOpenAiList(answer.Root, resolved.Alias.Name);
                    options.Verbose?.Invoke($"Read {models.Count} models of {resolved.Alias.Name} in 1 page(s).");
                    return new ModelCatalogResult(Sorted(models), 1, fromCache: false);
                }
            }
            catch (ChatException e) when (e.StatusCode == 404 || e.StatusCode == 405)
            {
                throw new CloudflareAIException(ErrorIds.ModelListUnavailable, ErrorKind.NotImplemented,
                    $"{resolved.Alias.Name} has no model list: GET {resolved.Endpoint.Redactor.Redact(url.AbsoluteUri)} answered HTTP {e.StatusCode}.",
                    $"Pass the model by name with -Model (see {resolved.Alias.DocumentationUrl} for the names this host serves).", e)
                { Target = resolved.Alias.Name };
            }
        }

        private static IReadOnlyList<ModelInfo> Sorted(List<ModelInfo> models)
        {
            models.Sort((a, b) => StringComparer.OrdinalIgnoreCase.Compare(a.Name, b.Name));
            return models;
        }

        /// <summary>Names close to a mistyped one: same last segment, containing it, or a small edit distance.</summary>
        public static IReadOnlyList<string> Suggest(string name, IEnumerable<ModelInfo> models, int max = 3)
        {
            string lowered = (name ?? string.Empty).ToLowerInvariant();
            string tail = lowered.Substring(lowered.LastIndexOf('/') + 1);
            return models
                .Select(m => m.Name)
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .Select(n =>
                {
                    string l = n.ToLowerInvariant();
                    string t = l.Substring(l.LastIndexOf('/') + 1);
                    bool contains = tail.Length > 2 && (l.Contains(tail) || t.Length > 2 && tail.Contains(t));
                    int distance = Math.Min(AliasCatalog.EditDistance(lowered, l), AliasCatalog.EditDistance(tail, t));
                    return new { Name = n, contains, distance };
                })
                .Where(x => x.contains || x.distance <= Math.Max(2, tail.Length / 4))
                .OrderBy(x => x.contains ? 0 : 1).ThenBy(x => x.distance).ThenBy(x => x.Name, StringComparer.Ordinal)
                .Take(max)
                .Select(x => x.Name)
                .ToList();
        }
    }
}
