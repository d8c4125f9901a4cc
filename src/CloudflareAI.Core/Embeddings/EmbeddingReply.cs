using System.Collections.Generic;

namespace CloudflareAI.Embeddings
{
    /// <summary>What an embeddings answer holds: one vector per text sent, in the order sent.</summary>
    internal sealed class EmbeddingReply
    {
        public EmbeddingReply(IReadOnlyList<float[]> vectors, string? model, ChatUsage? usage)
        {
            Vectors = vectors;
            Model = model;
            Usage = usage;
        }

        public IReadOnlyList<float[]> Vectors { get; }

        public string? Model { get; }

        public ChatUsage? Usage { get; }
    }
}
