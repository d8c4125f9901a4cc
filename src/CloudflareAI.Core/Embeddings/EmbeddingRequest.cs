using System.Collections.Generic;

namespace CloudflareAI.Embeddings
{
    /// <summary>One embeddings request: a batch of texts, in input order.</summary>
    internal sealed class EmbeddingRequest
    {
        public EmbeddingRequest(string model, IReadOnlyList<string> texts, int firstIndex, int? dimensions)
        {
            Model = model;
            Texts = texts;
            FirstIndex = firstIndex;
            Dimensions = dimensions;
        }

        /// <summary>The model name, sent verbatim.</summary>
        public string Model { get; }

        /// <summary>The texts, none empty.</summary>
        public IReadOnlyList<string> Texts { get; }

        /// <summary>The input index of each text, in the same order: the caller's numbering, gaps for refused texts.</summary>
        public IReadOnlyList<int> Indexes { get; set; } = new int[0];

        /// <summary>The input index of the first text.</summary>
        public int FirstIndex { get; }

        /// <summary>-Dimensions; not sent when null.</summary>
        public int? Dimensions { get; }
    }
}
