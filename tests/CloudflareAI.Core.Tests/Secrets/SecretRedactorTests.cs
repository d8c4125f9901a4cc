using System.Text;
using Xunit;

namespace CloudflareAI.Tests.Secrets
{
    public class SecretRedactorTests
    {
        [Fact]
        public void EverySecretIsReplaced()
        {
            var redactor = new SecretRedactor(new[] { "abc123", "zzzz", "", null });

            Assert.Equal("token *** and *** and ***", redactor.Redact("token abc123 and zzzz and abc123"));
        }

        [Fact]
        public void ValuesUnderFourCharactersAreNotMasked()
        {
            // A one-letter "token" would otherwise turn every URL and answer into h***ps://... .
            var redactor = new SecretRedactor(new[] { "t", "ab", "xyz", "  q  " });

            Assert.True(redactor.IsEmpty);
            Assert.Equal("https://api.test/xyz", redactor.Redact("https://api.test/xyz"));
            Assert.Equal("a *** b", new SecretRedactor(new[] { "wxyz" }).Redact("a wxyz b"));
        }

        [Fact]
        public void LongestFirstSoASecretContainingAnotherGoesWhole()
        {
            var redactor = new SecretRedactor(new[] { "abc", "abcdef" });

            Assert.Equal("[***]", redactor.Redact("[abcdef]"));
        }

        [Fact]
        public void EscapedFormsAreReplacedToo()
        {
            var redactor = new SecretRedactor(new[] { "a+b/c\"d" });

            Assert.Equal("x *** y", redactor.Redact("x a%2Bb%2Fc%22d y"));
            Assert.Equal("x *** y", redactor.Redact("x a+b/c\\\"d y"));
            Assert.Equal("x *** y", redactor.Redact("x a\\u002Bb/c\\u0022d y"));
        }

        [Fact]
        public void MatchingIsOrdinal()
        {
            Assert.Equal("ABC", new SecretRedactor(new[] { "abc" }).Redact("ABC"));
        }

        [Fact]
        public void NullAndEmptyText()
        {
            Assert.Equal("", SecretRedactor.None.Redact(null));
            Assert.Equal("x", SecretRedactor.None.Redact("x"));
        }

        [Fact]
        public void StreamFilterCatchesASecretSplitAcrossPieces()
        {
            var filter = new SecretStreamFilter(new SecretRedactor(new[] { "SECRET-TOKEN" }));
            var shown = new StringBuilder();

            foreach (string piece in new[] { "Your token is SEC", "RET-TO", "KEN, and SE", "cond text" }) shown.Append(filter.Push(piece));
            shown.Append(filter.Flush());

            Assert.Equal("Your token is ***, and SEcond text", shown.ToString());
        }

        [Fact]
        public void StreamFilterHoldsBackOnlyWhatCouldStartASecret()
        {
            var filter = new SecretStreamFilter(new SecretRedactor(new[] { "SECRET" }));

            Assert.Equal("Hello ", filter.Push("Hello SE"));
            Assert.Equal("SEnd", filter.Push("nd"));
            Assert.Equal("", filter.Flush());
        }

        [Fact]
        public void StreamFilterWithoutSecretsPassesEverythingAtOnce()
        {
            var filter = new SecretStreamFilter(SecretRedactor.None);

            Assert.Equal("abc", filter.Push("abc"));
            Assert.Equal("", filter.Flush());
        }
    }
}
