namespace CloudflareAI
{
    /// <summary>The embedding of one text given to Invoke-AIEmbedding.</summary>
    public sealed class Embedding
    {
        /// <summary>The text that was embedded.</summary>
        public string Text { get; set; } = string.Empty;

        /// <summary>The text's place in the input, from 0, counting every text given (refused empty ones included).</summary>
        public int Index { get; set; }

        /// <summary>The vector.</summary>
        public float[] Vector { get; set; } = new float[0];

        /// <summary>How many numbers the vector has.</summary>
        public int Dimensions => Vector.Length;

        /// <summary>The model the server says answered, or the one asked for.</summary>
        public string? Model { get; set; }

        /// <summary>The alias that was used.</summary>
        public string Provider { get; set; } = string.Empty;

        /// <summary>
        /// The token count of the request this text went in, on the first embedding of each request only (null on the
        /// others), so that adding up Usage over all the output counts every request once.
        /// </summary>
        public ChatUsage? Usage { get; set; }

        /// <inheritdoc/>
        public override string ToString() => Text;
    }
}
