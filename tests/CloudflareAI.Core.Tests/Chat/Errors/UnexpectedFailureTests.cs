using System;
using Xunit;

namespace CloudflareAI.Tests.Chat.Errors
{
    public class UnexpectedFailureTests
    {
        [Fact]
        public void TheMessageIsMaskedAndMadeSafeForTheTerminalAndAnInnerExceptionWithASecretDropped()
        {
            var inner = new InvalidOperationException("boom \u001b[2J near fake-secret-9876");
            var e = UnexpectedFailure.From(inner, new SecretRedactor(new[] { "fake-secret-9876" }));
            Assert.Equal(ErrorIds.ChatResponseInvalid, e.ErrorId);
            Assert.DoesNotContain("fake-secret-9876", e.Message);
            Assert.Equal(-1, e.Message.IndexOf((char)0x1b));
            Assert.StartsWith("The request failed unexpectedly: boom", e.Message);
            Assert.Null(e.InnerException);
        }

        [Fact]
        public void AnInnerExceptionWithoutASecretIsKept()
        {
            var inner = new InvalidOperationException("boom");
            var e = UnexpectedFailure.From(inner, new SecretRedactor(new[] { "fake-secret-9876" }));
            Assert.Same(inner, e.InnerException);
            Assert.Equal("The request failed unexpectedly: boom", e.Message);
            Assert.Equal("The request failed unexpectedly: cancelled", UnexpectedFailure.From(null, SecretRedactor.None).Message);
        }
    }
}
