using System;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;

namespace CloudflareAI.TestServer
{
    /// <summary>
    /// The host lifetime when the emulator is started with --parent-pid: it ends when its parent does (ParentWatch) or on
    /// SIGTERM, and ignores SIGINT. A Ctrl+C in the terminal goes to the whole foreground process group, so the default
    /// console lifetime would stop the emulator under a test run or Demo that catches the Ctrl+C and goes on.
    /// </summary>
    internal sealed class ParentBoundLifetime : IHostLifetime, IDisposable
    {
        private readonly IHostApplicationLifetime _application;
        private PosixSignalRegistration? _interrupt;
        private PosixSignalRegistration? _terminate;

        public ParentBoundLifetime(IHostApplicationLifetime application)
        {
            _application = application;
        }

        public Task WaitForStartAsync(CancellationToken cancellationToken)
        {
            // Cancelling the default keeps the runtime from ending the process.
            _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = true);
            _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                _application.StopApplication();
            });
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
            _interrupt?.Dispose();
            _terminate?.Dispose();
        }
    }
}
