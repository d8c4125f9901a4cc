namespace CloudflareAI.Chat.Tools
{
    /// <summary>One entry of a streamed delta's <c>tool_calls</c>: which call, and what this piece adds to it.</summary>
    internal struct ToolCallDelta
    {
        public int? Index;
        public string? Id;
        public string? Name;
        public string? Arguments;
    }
}
