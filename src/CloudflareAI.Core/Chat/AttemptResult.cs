namespace CloudflareAI.Chat
{
    /// <summary>What a successful run of <see cref="PostAttempts"/> gives back.</summary>
    internal sealed class AttemptResult<T>
    {
        public AttemptResult(T value, GatewayInfo? gateway, int attempts)
        {
            Value = value;
            Gateway = gateway;
            Attempts = attempts;
        }

        public T Value { get; }

        /// <summary>The cf-aig-* headers, already redacted.</summary>
        public GatewayInfo? Gateway { get; }

        public int Attempts { get; }
    }
}
