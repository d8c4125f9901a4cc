using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace CloudflareAI.Chat
{
    /// <summary>Reads the body of a successful answer; <paramref name="restartTimeout"/> gives the attempt a fresh
    /// -TimeoutSec (a stream calls it after each piece).</summary>
    internal delegate Task<T> AnswerReader<T>(HttpResponseMessage response, Action restartTimeout, CancellationToken cancellationToken);
}
