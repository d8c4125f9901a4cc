namespace CloudflareAI.TestServer
{
    /// <summary>Request headers a test uses to steer the emulator, lower-cased as recorded.</summary>
    internal static class EmulatorHeaders
    {
        public const string Greeting = "x-emulator-greeting";
        public const string GreetingBase64 = "x-emulator-greeting-base64";
        public const string Reasoning = "x-emulator-reasoning";
        public const string ReasoningBase64 = "x-emulator-reasoning-base64";
        public const string FinishReason = "x-emulator-finish-reason";
        public const string Chunks = "x-emulator-chunks";
        public const string ChunkDelayMs = "x-emulator-chunk-delay-ms";
        public const string LatencyMs = "x-emulator-latency-ms";
        public const string Crlf = "x-emulator-crlf";
        public const string Scenario = "x-emulator-scenario";
        public const string Run = "x-emulator-run";
    }
}
