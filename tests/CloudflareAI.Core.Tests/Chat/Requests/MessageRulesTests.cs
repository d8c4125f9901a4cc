using System.Collections;
using System.Collections.Generic;
using Xunit;

namespace CloudflareAI.Tests.Chat.Requests
{
    // What a message may be before it is sent: a known role, and content that neither nests past the limit nor holds itself.
    public class MessageRulesTests
    {
        [Theory]
        [InlineData("system")]
        [InlineData("developer")]
        [InlineData("user")]
        [InlineData("assistant")]
        [InlineData("tool")]
        public void The_five_roles_are_accepted(string role)
        {
            Assert.Null(MessageRules.CheckRole(role));
            MessageRules.Validate(new[] { new ChatMessage(role, "x") });
        }

        [Theory]
        [InlineData("robot")]
        [InlineData("User ")]
        [InlineData("function")]
        [InlineData("")]
        [InlineData(null)]
        public void Any_other_role_is_ChatMessageInvalid_naming_it_and_the_allowed_set(string? role)
        {
            var e = Assert.Throws<CloudflareAIException>(() => MessageRules.Validate(new[] { new ChatMessage("user", "a"), new ChatMessage(role!, "b") }));
            Assert.Equal(ErrorIds.ChatMessageInvalid, e.ErrorId);
            Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
            Assert.StartsWith("Message 2 ", e.Message);
            Assert.Contains("'system', 'developer', 'user', 'assistant' or 'tool'", e.Message);
            if (!string.IsNullOrWhiteSpace(role)) Assert.Contains("'" + role + "'", e.Message);
        }

        private static object Nest(int levels)
        {
            object value = "leaf";
            for (int i = 0; i < levels; i++) value = new List<object?> { value };
            return value;
        }

        [Fact]
        public void Content_nested_to_the_limit_passes_and_one_level_more_does_not()
        {
            Assert.Null(MessageRules.CheckContent(Nest(MessageRules.MaxContentDepth)));
            Assert.Contains("more than 32 levels", MessageRules.CheckContent(Nest(MessageRules.MaxContentDepth + 1)));
        }

        [Fact]
        public void A_list_that_contains_itself_is_a_cycle_not_a_stack_overflow()
        {
            var list = new ArrayList();
            list.Add("a");
            list.Add(list);
            Assert.Contains("contains itself", MessageRules.CheckContent(list));
        }

        [Fact]
        public void A_dictionary_that_contains_itself_further_down_is_a_cycle()
        {
            var outer = new Hashtable();
            var parts = new List<object?> { new Dictionary<string, object?> { ["type"] = "text", ["inner"] = outer } };
            outer["parts"] = parts;
            var e = Assert.Throws<CloudflareAIException>(() => MessageRules.Validate(new[] { new ChatMessage("user", outer) }));
            Assert.Equal(ErrorIds.ChatMessageInvalid, e.ErrorId);
            Assert.Contains("contains itself", e.Message);
        }

        [Fact]
        public void The_same_part_twice_side_by_side_is_not_a_cycle()
        {
            var part = new Dictionary<string, object?> { ["type"] = "text", ["text"] = "x" };
            Assert.Null(MessageRules.CheckContent(new List<object?> { part, part }));
        }

        [Fact]
        public void Strings_and_scalars_are_fine()
        {
            Assert.Null(MessageRules.CheckContent("a long string is not a list"));
            Assert.Null(MessageRules.CheckContent(null));
            Assert.Null(MessageRules.CheckContent(42));
        }
    }
}
