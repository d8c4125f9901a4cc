using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;

namespace CloudflareAI.PowerShell
{
    /// <summary>
    /// Runs when the module is imported. Refuses runtimes older than .NET 8 (PowerShell 7.0-7.3) with a clear message,
    /// and on Windows PowerShell 5.1 resolves System.Text.Json and its companions from dependencies/ by simple name:
    /// 5.1 has no binding redirects, and the requests often come from the dependencies themselves with other versions.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string ModuleDirectory = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? string.Empty;
        private static readonly string DependencyDirectory = Path.Combine(ModuleDirectory, "dependencies");

        /// <inheritdoc/>
        public void OnImport()
        {
            string? refusal = RuntimeRequirement.Check(RuntimeInformation.FrameworkDescription, System.Environment.Version);
            if (refusal != null) throw new PlatformNotSupportedException(refusal);

            if (RuntimeRequirement.IsNetFramework(RuntimeInformation.FrameworkDescription))
            {
                AppDomain.CurrentDomain.AssemblyResolve += ResolveDependency;
            }
        }

        /// <inheritdoc/>
        public void OnRemove(PSModuleInfo module)
        {
            AppDomain.CurrentDomain.AssemblyResolve -= ResolveDependency;
        }

        private static Assembly? ResolveDependency(object? sender, ResolveEventArgs args)
        {
            // Answer only for our own assemblies and the ones in dependencies/, so other modules' requests are untouched.
            var requester = args.RequestingAssembly;
            if (requester != null)
            {
                string location = requester.IsDynamic ? string.Empty : requester.Location;
                if (!location.StartsWith(ModuleDirectory, StringComparison.OrdinalIgnoreCase)) return null;
            }

            string simpleName = new AssemblyName(args.Name).Name ?? string.Empty;
            string candidate = Path.Combine(DependencyDirectory, simpleName + ".dll");
            return File.Exists(candidate) ? Assembly.LoadFrom(candidate) : null;
        }
    }
}
