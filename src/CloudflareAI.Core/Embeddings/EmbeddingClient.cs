using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace CloudflareAI.Embeddings
{
    /// <summary>
    /// Sends embeddings requests (POST {base}/embeddings) on the chat client's connections, clock and jitter, through
    /// the same attempt loop: retries, timeouts, batch places, error classification and redaction are the chat call's.
    /// </summary>
    internal sealed class EmbeddingClient
    {
        private readonly ChatClient transport;

        public EmbeddingClient(ChatClient transport)
        {
            this.transport = transport ?? throw new ArgumentNullException(nameof(transport));
        }

        /// <summary>The client every cmdlet call uses.</summary>
        public static EmbeddingClient Shared { get; } = new EmbeddingClient(ChatClient.Shared);

        /// <summary>{base}/embeddings of <paramref name="endpoint"/>.</summary>
        public static Uri EmbeddingsUrl(ChatEndpoint endpoint) => new Uri(endpoint.BaseUrl.AbsoluteUri.TrimEnd('/') + "/embeddings");

        /// <summary>One embedding per text of <paramref name="request"/>, in its order.</summary>
        /// <param name="endpoint">Where to send; resolved like a chat endpoint.</param>
        /// <param name="request">The texts of one request.</param>
        /// <param name="options">Timeout, retries, the batch and the wanted report lines.</param>
        /// <param name="observer">Where progress lines go.</param>
        /// <param name="defaultModel">The alias's default embedding model, named when the server says a model was retired.</param>
        /// <param name="cancellationToken">The caller's stop.</param>
        /// <exception cref="ChatException">The request failed; the ErrorId says why.</exception>
        public async Task<IReadOnlyList<Embedding>> SendAsync(ChatEndpoint endpoint, EmbeddingRequest request, ChatCallOptions options,
            IChatObserver observer, string? defaultModel, CancellationToken cancellationToken)
        {
            SecretRedactor redactor = endpoint.Redactor;
            var safeObserver = new RedactingObserver(observer, redactor);
            ChatErrorClassifier classifier = ChatCall.ForEndpoint(endpoint, redactor, defaultModel);
            classifier.BadRequestAction = RecommendedActions.EmbeddingBadRequest;
            long maxBytes = options.MaxResponseBytes > 0 ? options.MaxResponseBytes : ResponseBody.DefaultMaxBodyBytes;
            var loop = new PostAttempts(transport.Http, transport.Timer, EmbeddingsUrl(endpoint), endpoint.Headers, stream: false, options, classifier,
                redactor, safeObserver, transport.Random, cancellationToken);

            byte[] body = EmbeddingRequestBody.Write(request);
            int expected = request.Texts.Count;
            // The bytes are taken in the request's place; the 100,000 numbers of a full request are parsed after it is free.
            AttemptResult<EmbeddingReply> result = await loop.RunAsync(body,
                (response, _, token) => ChatResponseReader.ReadJsonBodyAsync(response, maxBytes, json => json.ToArray(), token),
                json => EmbeddingResponseParser.Parse(json, expected, redactor)).ConfigureAwait(false);

            EmbeddingReply reply = result.Value;
            // The server chose the model name: a server may echo the key anywhere.
            string model = reply.Model == null ? request.Model : redactor.Redact(reply.Model);
            var embeddings = new List<Embedding>(expected);
            for (int i = 0; i < expected; i++)
            {
                embeddings.Add(new Embedding
                {
                    Text = request.Texts[i],
                    Index = i < request.Indexes.Count ? request.Indexes[i] : request.FirstIndex + i,
                    Vector = reply.Vectors[i],
                    Model = model,
                    Provider = endpoint.Provider,
                    Usage = i == 0 ? reply.Usage : null,
                });
            }
            return embeddings;
        }
    }
}
