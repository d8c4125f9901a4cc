using Xunit;

namespace CloudflareAI.PowerShell.Tests.Pipeline
{
    public class WriteGateTests
    {
        [Fact]
        public void DebugAloneSendsVerboseLinesAndWarningsToTheDebugStream()
        {
            var gate = new WriteGate(verbose: false, debug: true, debugGiven: true);
            Assert.True(gate.VerboseAsDebug);
            Assert.True(gate.WarningAsDebug);
            Assert.True(gate.ShowsVerbose);
            Assert.False(gate.Verbose);
        }

        [Fact]
        public void DebugWithVerboseKeepsVerboseLinesVerboseAndWarningsDebug()
        {
            var gate = new WriteGate(verbose: true, debug: true, debugGiven: true, verboseGiven: true);
            Assert.False(gate.VerboseAsDebug);
            Assert.True(gate.WarningAsDebug);
            Assert.True(gate.ShowsVerbose);
        }

        [Fact]
        public void WarningActionKeepsWarningsWarningsUnderDebug()
        {
            var gate = new WriteGate(verbose: false, debug: true, debugGiven: true, warningActionGiven: true);
            Assert.False(gate.WarningAsDebug);
            Assert.True(gate.VerboseAsDebug);
        }

        [Fact]
        public void ThePreferenceVariableAloneReroutesNothing()
        {
            var gate = new WriteGate(verbose: false, debug: true);
            Assert.False(gate.VerboseAsDebug);
            Assert.False(gate.WarningAsDebug);
            Assert.False(gate.ShowsVerbose);
            Assert.True(gate.Debug);
        }

        [Theory]
        [InlineData(false, false, false)]
        [InlineData(true, false, true)]
        public void VerboseLinesAreBuiltOnlyWhenShown(bool verbose, bool debug, bool shown)
        {
            Assert.Equal(shown, new WriteGate(verbose, debug).ShowsVerbose);
        }
    }
}
