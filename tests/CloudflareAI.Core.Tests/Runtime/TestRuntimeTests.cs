using System;
using System.Runtime.InteropServices;
using System.Text.Json;
using Xunit;

namespace CloudflareAI.Tests.Runtime
{
    // The suite runs twice: on the SDK's .NET 10, and self-contained on .NET 8, the runtime PowerShell 7.4 carries with
    // its System.Text.Json 8.0. These prove each run is on the runtime it claims, so a green net8.0 line means something.
    public class TestRuntimeTests
    {
        [Fact]
        public void The_suite_runs_on_the_runtime_of_its_target_framework()
        {
#if NET10_0
            int expected = 10;
#elif NET8_0
            int expected = 8;
#else
            int expected = -1;
#endif
            Assert.Equal(expected, System.Environment.Version.Major);
            Assert.StartsWith($".NET {expected}.", RuntimeInformation.FrameworkDescription, StringComparison.Ordinal);
        }

        [Fact]
        public void System_Text_Json_is_the_runtime_s_own_major_version()
        {
            // On .NET 8 the framework's System.Text.Json 8.0 serves the core (as in PowerShell 7.4), not a newer copy.
            Version version = typeof(JsonSerializer).Assembly.GetName().Version!;
            Assert.Equal(System.Environment.Version.Major, version.Major);
        }
    }
}
