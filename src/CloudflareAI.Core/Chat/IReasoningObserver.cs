namespace CloudflareAI.Chat
{
    /// <summary>
    /// An <see cref="IChatObserver"/> that also shows a model's reasoning as it streams, apart from the answer. Called
    /// from worker threads, like the rest of the observer; every string passed here is already free of secrets.
    /// </summary>
    public interface IReasoningObserver
    {
        /// <summary>False when the reasoning is kept out of the console (-HideReasoning): the client then does not pass it on.</summary>
        bool ShowsReasoning { get; }

        /// <summary>A piece of streamed reasoning, as it arrives.</summary>
        /// <param name="text">The piece, secrets masked and control characters made visible.</param>
        void OnReasoning(string text);
    }
}
