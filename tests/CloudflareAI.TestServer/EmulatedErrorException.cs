using System;

namespace CloudflareAI.TestServer
{
    /// <summary>A request the imitated service refuses with this exact status and JSON body (a vision input that is not
    /// a data: URI, too many embedding inputs).</summary>
    internal sealed class EmulatedErrorException : Exception
    {
        public EmulatedErrorException(int status, string body)
            : base(body)
        {
            Status = status;
            Body = body;
        }

        public int Status { get; }

        public string Body { get; }
    }
}
