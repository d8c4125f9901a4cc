using System;
using System.Collections.Generic;

namespace CloudflareAI.Embeddings
{
    /// <summary>
    /// Gathers texts, as they come from the pipeline, into requests of at most BatchSize texts, numbering every text
    /// in input order. An empty text is refused on its own (EmbeddingInputInvalid) and keeps its number, so the others
    /// keep theirs; it never reaches a request.
    /// </summary>
    internal sealed class EmbeddingBatcher
    {
        private readonly string model;
        private readonly int batchSize;
        private readonly int? dimensions;
        private List<string> texts = new List<string>();
        private List<int> indexes = new List<int>();
        private int next;

        public EmbeddingBatcher(string model, int batchSize, int? dimensions)
        {
            if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), "At least 1.");
            this.model = model;
            this.batchSize = batchSize;
            this.dimensions = dimensions;
        }

        /// <summary>Texts taken so far, refused ones included.</summary>
        public int Count => next;

        /// <summary>Takes one text. Returns the request it completes, or null while the batch is not full.</summary>
        /// <exception cref="CloudflareAIException">EmbeddingInputInvalid for an empty text; the batcher goes on with the next.</exception>
        public EmbeddingRequest? Add(string? text)
        {
            int index = next++;
            if (string.IsNullOrEmpty(text))
            {
                throw new CloudflareAIException(ErrorIds.EmbeddingInputInvalid, ErrorKind.InvalidArgument,
                    $"Input {index} is an empty text; it was not sent (hosts refuse empty inputs, and it has no meaning to embed).",
                    "Leave empty strings out, for example: Get-Content notes.txt | Where-Object { $_ } | Invoke-AIEmbedding")
                { Target = index };
            }
            texts.Add(text!);
            indexes.Add(index);
            return texts.Count >= batchSize ? Take() : null;
        }

        /// <summary>The last, partly filled request, or null when nothing is waiting.</summary>
        public EmbeddingRequest? Flush() => texts.Count > 0 ? Take() : null;

        private EmbeddingRequest Take()
        {
            var request = new EmbeddingRequest(model, texts, indexes[0], dimensions) { Indexes = indexes };
            texts = new List<string>();
            indexes = new List<int>();
            return request;
        }
    }
}
