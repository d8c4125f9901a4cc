using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace CloudflareAI.Tests.Chat.Requests
{
    public class MessageCoalescerTests
    {
        private static ChatMessage M(string role, object? content) => new ChatMessage(role, content);

        private static IDictionary<string, object?> Text(string text) => new Dictionary<string, object?> { ["type"] = "text", ["text"] = text };

        private static IDictionary<string, object?> Image(string url) =>
            new Dictionary<string, object?> { ["type"] = "image_url", ["image_url"] = new Dictionary<string, object?> { ["url"] = url } };

        // The cases of the original Go implementation's merge test: how many messages a role sequence leaves.
        [Theory]
        [InlineData("", 0)]
        [InlineData("system", 1)]
        [InlineData("system,system", 1)]
        [InlineData("user,user", 1)]
        [InlineData("system,user,user", 2)]
        [InlineData("system,user", 2)]
        public void UpstreamCountTable(string roles, int expected)
        {
            var messages = roles.Split(',').Where(r => r.Length > 0).Select((r, i) => M(r, "m" + i)).ToList();

            Assert.Equal(expected, MessageCoalescer.Coalesce(messages).Count);
        }

        [Fact]
        public void AdjacentSystemStringsAreJoinedWithOneLineFeed()
        {
            var result = MessageCoalescer.Coalesce(new[]
            {
                M("system", "AGENT-INSTRUCTION: you are helpful."),
                M("system", "TOOLSET-INSTRUCTION: use tools wisely."),
                M("user", "PING-MARKER"),
            });

            Assert.Equal(2, result.Count);
            Assert.Equal("system", result[0].Role);
            Assert.Equal("AGENT-INSTRUCTION: you are helpful.\nTOOLSET-INSTRUCTION: use tools wisely.", result[0].Content);
            Assert.Equal("PING-MARKER", result[1].Content);
        }

        [Fact]
        public void ExactSeparatorIsALineFeedWithNothingTrimmed()
        {
            var result = MessageCoalescer.Coalesce(new[] { M("user", "A"), M("user", "B") });

            Assert.Equal("A\nB", Assert.Single(result).Content);
        }

        [Fact]
        public void WhitespaceIsKeptAsGiven()
        {
            var result = MessageCoalescer.Coalesce(new[] { M("system", " A \n"), M("system", "\tB") });

            Assert.Equal(" A \n\n\tB", Assert.Single(result).Content);
        }

        [Fact]
        public void NonAdjacentSystemMessagesStaySeparate()
        {
            var result = MessageCoalescer.Coalesce(new[] { M("system", "a"), M("user", "b"), M("system", "c") });

            Assert.Equal(new[] { "system", "user", "system" }, result.Select(m => m.Role));
        }

        [Fact]
        public void AssistantAndToolEndARunAndPassThroughUnchanged()
        {
            var assistant = M("assistant", "x");
            var tool = M("tool", "y");
            var result = MessageCoalescer.Coalesce(new[] { M("user", "a"), assistant, M("user", "b"), M("user", "c"), tool, M("tool", "z") });

            Assert.Equal(new[] { "user", "assistant", "user", "tool", "tool" }, result.Select(m => m.Role));
            Assert.Same(assistant, result[1]);
            Assert.Equal("b\nc", result[2].Content);
            Assert.Same(tool, result[3]);
        }

        [Fact]
        public void AssistantMessagesAreNeverMerged()
        {
            var result = MessageCoalescer.Coalesce(new[] { M("assistant", "a"), M("assistant", "b") });

            Assert.Equal(2, result.Count);
        }

        [Fact]
        public void EmptyStringsAddNothingAndNoSeparator()
        {
            var result = MessageCoalescer.Coalesce(new[] { M("system", ""), M("system", "A"), M("system", ""), M("system", null), M("system", "B") });

            Assert.Equal("A\nB", Assert.Single(result).Content);
        }

        [Fact]
        public void ARunOfEmptyStringsIsOneEmptyMessage()
        {
            var result = MessageCoalescer.Coalesce(new[] { M("user", ""), M("user", "") });

            Assert.Equal("", Assert.Single(result).Content);
        }

        [Fact]
        public void MixedStringsAndPartsKeepEverythingInOrder()
        {
            var image = Image("data:image/png;base64,AAAA");
            var result = MessageCoalescer.Coalesce(new[]
            {
                M("user", "first"),
                M("user", new object?[] { Text("second"), image }),
                M("user", ""),
                M("user", "third"),
            });

            var parts = Assert.IsAssignableFrom<IReadOnlyList<object?>>(Assert.Single(result).Content);
            Assert.Equal(4, parts.Count);
            Assert.Equal("first", ((IDictionary<string, object?>)parts[0]!)["text"]);
            Assert.Equal("text", ((IDictionary<string, object?>)parts[0]!)["type"]);
            Assert.Equal("second", ((IDictionary<string, object?>)parts[1]!)["text"]);
            Assert.Same(image, parts[2]);
            Assert.Equal("third", ((IDictionary<string, object?>)parts[3]!)["text"]);
        }

        [Fact]
        public void SystemRunWithPartsKeepsNonTextPartsToo()
        {
            var image = Image("x");
            var result = MessageCoalescer.Coalesce(new[] { M("system", new object?[] { Text("a"), image }), M("system", "b") });

            var parts = Assert.IsAssignableFrom<IReadOnlyList<object?>>(Assert.Single(result).Content);
            Assert.Equal(3, parts.Count);
            Assert.Same(image, parts[1]);
        }

        [Fact]
        public void RoleLetterCaseDoesNotSplitARun()
        {
            var result = MessageCoalescer.Coalesce(new[] { M("System", "a"), M("system", "b") });

            Assert.Equal("a\nb", Assert.Single(result).Content);
        }

        [Fact]
        public void EmptySystemMessagesAreDroppedBeforeCoalescing()
        {
            var result = MessageCoalescer.Prepare(new[] { M("system", ""), M("system", null), M("user", "a"), M("user", "") },
                coalesce: false, omitEmptySystemMessages: true);

            Assert.Equal(new[] { "user", "user" }, result.Select(m => m.Role));
        }

        [Fact]
        public void DroppingAnEmptySystemMessageCanMakeUserMessagesAdjacent()
        {
            var result = MessageCoalescer.Prepare(new[] { M("user", "a"), M("system", ""), M("user", "b") },
                coalesce: true, omitEmptySystemMessages: true);

            Assert.Equal("a\nb", Assert.Single(result).Content);
        }

        [Fact]
        public void WithoutTheRulesTheHistoryIsUntouched()
        {
            var messages = new[] { M("system", ""), M("system", "a"), M("system", "b") };

            Assert.Same(messages, MessageCoalescer.Prepare(messages, coalesce: false, omitEmptySystemMessages: false));
        }
    }
}
