using System;
using System.IO;
using System.Net.Http;
using System.Net.Sockets;

namespace CloudflareAI.Http
{
    /// <summary>What the chat call and the Cloudflare API client both need to know about a request that failed in transit.</summary>
    internal static class Transport
    {
        /// <summary>The request or its body failed on the way (connection, socket, a read cancelled by its timeout).</summary>
        public static bool IsFailure(Exception ex) =>
            ex is HttpRequestException || ex is IOException || ex is SocketException || ex is OperationCanceledException;

        /// <summary>Disposes a response from a cancellation callback: the only way to end a read that ignores its token.</summary>
        public static void DisposeQuietly(object? state)
        {
            try
            {
                ((IDisposable)state!).Dispose();
            }
            catch (Exception)
            {
                // Best effort: this only unblocks a read that ignores its token.
            }
        }
    }
}
