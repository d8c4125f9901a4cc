using System;

namespace CloudflareAI.TestServer
{
    /// <summary>A test asked the emulator for something it cannot do (unknown scenario, a header value
    /// that is not a number, ...). Answered with a loud 400 text/plain, because it is a test bug, not
    /// something the module under test should have to interpret.</summary>
    internal sealed class EmulatorUsageException : Exception
    {
        public EmulatorUsageException(string message) : base(message)
        {
        }
    }
}
