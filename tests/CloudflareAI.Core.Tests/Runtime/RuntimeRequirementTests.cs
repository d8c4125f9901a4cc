using System;
using Xunit;

namespace CloudflareAI.Tests.Runtime
{
    // PowerShell 7.0-7.3 run on .NET Core 3.1-7, whose System.Text.Json is older than the 8.0 the module is built
    // against: the module must refuse them at import with a clear message. 5.1 and 7.4+ are accepted.
    public class RuntimeRequirementTests
    {
        [Theory]
        [InlineData(".NET Framework 4.8.9232.0", "4.0.30319.42000")]   // Windows PowerShell 5.1
        [InlineData(".NET 8.0.11", "8.0.11")]                          // PowerShell 7.4
        [InlineData(".NET 9.0.0", "9.0.0")]                            // PowerShell 7.5
        [InlineData(".NET 10.0.12", "10.0.12")]                        // PowerShell 7.6
        public void Supported_runtimes_are_accepted(string description, string version)
        {
            Assert.Null(RuntimeRequirement.Check(description, Version.Parse(version)));
        }

        [Theory]
        [InlineData(".NET Core 3.1.32", "3.1.32")]                     // PowerShell 7.0
        [InlineData(".NET 5.0.17", "5.0.17")]                          // PowerShell 7.1
        [InlineData(".NET 6.0.36", "6.0.36")]                          // PowerShell 7.2
        [InlineData(".NET 7.0.20", "7.0.20")]                          // PowerShell 7.3
        public void Older_PowerShell_7_runtimes_are_refused_with_the_fix(string description, string version)
        {
            string? message = RuntimeRequirement.Check(description, Version.Parse(version));
            Assert.NotNull(message);
            Assert.Contains("PowerShell 7.4 or later", message);
            Assert.Contains("Windows PowerShell 5.1", message);
            Assert.Contains(description, message);
        }

        [Theory]
        [InlineData(".NET Framework 4.8.9232.0", true)]
        [InlineData(".NET 8.0.11", false)]
        public void Only_the_NET_Framework_needs_the_dependency_resolver(string description, bool expected)
        {
            Assert.Equal(expected, RuntimeRequirement.IsNetFramework(description));
        }
    }
}
