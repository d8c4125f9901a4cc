using System;
using System.Net;
using System.Net.Http;
using System.Runtime.InteropServices;

namespace CloudflareAI.Http
{
    /// <summary>The handler every chat call shares when the caller brings none.</summary>
    internal static class HttpHandlerDefaults
    {
        /// <summary>Connections allowed per host, so -ThrottleLimit is the only limit on parallel calls.</summary>
        public const int MaxConnectionsPerServer = 256;

        public static HttpMessageHandler Create()
        {
            RaiseFrameworkConnectionLimit();

            var handler = new HttpClientHandler
            {
                // Both runtimes strip only Authorization on a redirect and turn a POST into a GET: a 3xx is reported instead.
                AllowAutoRedirect = false,
                // A shared client must not carry one caller's cookies into another caller's request.
                UseCookies = false,
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            };
            try
            {
                handler.MaxConnectionsPerServer = MaxConnectionsPerServer;
            }
            catch (PlatformNotSupportedException)
            {
                // Some platforms (older .NET Framework builds of System.Net.Http) refuse the setting; the
                // ServicePointManager limit below covers them.
            }
            catch (NotImplementedException)
            {
                // Mono's handler, likewise.
            }
            return handler;
        }

        /// <summary>
        /// On .NET Framework (Windows PowerShell 5.1) HttpClient goes through ServicePointManager, whose default of two
        /// connections per host would silently cap -ThrottleLimit at 2.
        /// </summary>
        private static void RaiseFrameworkConnectionLimit()
        {
            if (!RuntimeRequirement.IsNetFramework(RuntimeInformation.FrameworkDescription)) return;
            try
            {
                if (ServicePointManager.DefaultConnectionLimit < MaxConnectionsPerServer)
                {
                    ServicePointManager.DefaultConnectionLimit = MaxConnectionsPerServer;
                }
            }
            catch (PlatformNotSupportedException)
            {
                // Nothing to raise where the setting does not exist.
            }
        }
    }
}
