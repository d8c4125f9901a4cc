using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace CloudflareAI.Chat
{
    /// <summary>
    /// Sends chat-completions requests: one HttpClient for every call, retries with backoff, per-attempt timeouts,
    /// streaming, and errors with an ErrorId and category (see TROUBLESHOOTING in about_CloudflareAI) and every secret
    /// removed. Thread-safe.
    /// </summary>
    public sealed class ChatClient
    {
        private static readonly Lazy<ChatClient> SharedClient = new Lazy<ChatClient>(() => new ChatClient(), LazyThreadSafetyMode.ExecutionAndPublication);
        private static readonly Random SharedRandom = new Random();

        private readonly HttpClient http;
        private readonly IChatClock timer;
        private readonly Func<double> random;

        /// <param name="handler">The HTTP handler (tests pass a fake); by default one with redirects and cookies off.</param>
        /// <param name="timer">The clock and the waits between attempts.</param>
        /// <param name="random">A number in [0, 1) for backoff jitter.</param>
        public ChatClient(HttpMessageHandler? handler = null, IChatClock? timer = null, Func<double>? random = null)
        {
            // HttpClient.Timeout is off: its default 100 s would cut the default -TimeoutSec 300, and each attempt
            // (and each wait between streamed chunks) carries its own limit instead.
            http = new HttpClient(handler ?? HttpHandlerDefaults.Create(), disposeHandler: handler == null)
            {
                Timeout = Timeout.InfiniteTimeSpan,
            };
            this.timer = timer ?? SystemChatClock.Instance;
            this.random = random ?? NextRandom;
        }

        /// <summary>The client every cmdlet call uses, created on first use; sharing it shares connections.</summary>
        public static ChatClient Shared => SharedClient.Value;

        // The Cloudflare API client rides on the same connections, clock and jitter.
        internal HttpClient Http => http;

        internal IChatClock Timer => timer;

        internal Func<double> Random => random;

        /// <summary>Sends the request and returns the answer.</summary>
        /// <exception cref="ChatException">The request failed; <see cref="CloudflareAIException.ErrorId"/> says why.</exception>
        /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
        public Task<ChatResponse> SendAsync(ChatEndpoint endpoint, ChatRequest request, ChatCallOptions options, IChatObserver observer,
            CancellationToken cancellationToken)
        {
            if (endpoint == null) throw new ArgumentNullException(nameof(endpoint));
            if (request == null) throw new ArgumentNullException(nameof(request));
            if (options == null) throw new ArgumentNullException(nameof(options));
            if (observer == null) throw new ArgumentNullException(nameof(observer));
            return new ChatCall(http, timer, random, endpoint, request, options, observer, cancellationToken).RunAsync();
        }

        private static double NextRandom()
        {
            lock (SharedRandom)
            {
                return SharedRandom.NextDouble();
            }
        }
    }
}
