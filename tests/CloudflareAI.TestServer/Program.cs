using System;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CloudflareAI.TestServer
{
    /// <summary>Local OpenAI-compatible emulator of Cloudflare Workers AI / AI Gateway for the Pester tests.
    /// stdout carries exactly one line, the address; everything else (warnings, errors) goes to stderr.</summary>
    internal static class Program
    {
        private const string Usage = "usage: dotnet CloudflareAI.TestServer.dll [--port N] [--parent-pid PID]";

        private static async Task<int> Main(string[] args)
        {
            if (!TryParseArguments(args, out int port, out int? parentPid, out string? error))
            {
                Console.Error.WriteLine(error);
                Console.Error.WriteLine(Usage);
                return 2;
            }

            ParentWatch? parent = null;
            if (parentPid is { } pid)
            {
                parent = ParentWatch.TryStart(pid);
                if (parent is null)
                {
                    Console.Error.WriteLine($"CloudflareAI emulator: parent process {pid} is not running.");
                    return 3;
                }
            }

            // Our own arguments are not configuration, and the content root is the app folder so no file
            // watcher spans the caller's working directory.
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
            {
                Args = Array.Empty<string>(),
                ContentRootPath = AppContext.BaseDirectory,
            });
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            // Kestrel reports the truncated scenario's short body as an application error on purpose; the
            // emulator reports its own real failures itself (Emulator.HandleAsync).
            builder.Logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel", LogLevel.Critical);
            // A failed start is reported below in one line instead of a stack trace.
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.Critical);
            builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
            // Tied to a parent, the emulator outlives a Ctrl+C in the shell that started it (see ParentBoundLifetime).
            if (parentPid is not null) builder.Services.AddSingleton<IHostLifetime, ParentBoundLifetime>();
            // In-flight slow requests must not hold up a shutdown for long; aborting them fires RequestAborted.
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
            builder.WebHost.ConfigureKestrel(k =>
            {
                k.AddServerHeader = false;
                k.RequestHeaderEncodingSelector = _ => HeaderEncoding.Utf8OrLatin1;
                // A test server takes any body, and never cuts off a client that reads slowly (a benchmark,
                // or a test paused in the debugger): the test decides what is too slow.
                k.Limits.MaxRequestBodySize = null;
                k.Limits.MinRequestBodyDataRate = null;
                k.Limits.MinResponseDataRate = null;
                k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http1);
            });

            await using WebApplication app = builder.Build();
            var emulator = new Emulator(app.Lifetime);
            app.Run(emulator.HandleAsync);

            try
            {
                await app.StartAsync();
            }
            catch (Exception e) when (e is System.IO.IOException || e is InvalidOperationException)
            {
                Console.Error.WriteLine("CloudflareAI emulator: could not listen on 127.0.0.1:" +
                    port.ToString(CultureInfo.InvariantCulture) + ": " + e.Message);
                return 1;
            }

            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            int boundPort = new Uri(address).Port;
            Console.Out.WriteLine("CloudflareAI emulator listening on http://127.0.0.1:" + boundPort.ToString(CultureInfo.InvariantCulture));
            Console.Out.Flush();

            parent?.WhenGone(() =>
            {
                Console.Error.WriteLine($"CloudflareAI emulator: parent process {parentPid} is gone; shutting down.");
                app.Lifetime.StopApplication();
            });

            await app.WaitForShutdownAsync();
            return 0;
        }

        private static bool TryParseArguments(string[] args, out int port, out int? parentPid, out string? error)
        {
            port = 0;
            parentPid = null;
            error = null;
            for (int i = 0; i < args.Length; i++)
            {
                string name = args[i];
                if (name != "--port" && name != "--parent-pid")
                {
                    error = $"unknown argument '{name}'";
                    return false;
                }
                if (i + 1 >= args.Length || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int value))
                {
                    error = $"{name} needs a whole number";
                    return false;
                }
                i++;
                if (name == "--port")
                {
                    if (value > IPEndPoint.MaxPort)
                    {
                        error = $"--port must be 0 to {IPEndPoint.MaxPort}";
                        return false;
                    }
                    port = value;
                }
                else
                {
                    parentPid = value;
                }
            }
            return true;
        }
    }
}
