using System.Collections;
using System.Collections.Generic;
using Xunit;

namespace CloudflareAI.Tests.Chat
{
    /// <summary>-JsonSchema, -SchemaName, -ResponseFormat, -ExtraBody and -ReasoningEffort from binding to the request.</summary>
    public class ChatSettingsStructuredTests
    {
        private static ChatRequest Validated(ChatSettings settings)
        {
            settings.Validate();
            return settings.Request("m", new ChatMessage[0], "hi");
        }

        [Fact]
        public void NothingGivenMeansATextAnswerAndNoExtraFields()
        {
            ChatRequest request = Validated(new ChatSettings());

            Assert.Null(request.ResponseFormat);
            Assert.Null(request.ExtraBody);
            Assert.Null(request.ReasoningEffort);
        }

        [Fact]
        public void ASchemaWithItsNameBecomesTheResponseFormat()
        {
            ChatRequest request = Validated(new ChatSettings { JsonSchema = new Hashtable { ["type"] = "object" }, SchemaName = "colours", ResponseFormat = "Json" });

            Assert.True(request.ResponseFormat!.HasSchema);
            Assert.Equal("colours", request.ResponseFormat.SchemaName);
        }

        [Fact]
        public void JsonModeIsTheJsonObjectFormat()
        {
            Assert.Same(ResponseFormat.JsonObject, Validated(new ChatSettings { ResponseFormat = "json" }).ResponseFormat);
        }

        [Fact]
        public void ASchemaNameWithoutASchemaIsAParameterError()
        {
            var e = Assert.Throws<CloudflareAIException>(() => new ChatSettings { SchemaName = "lonely" }.Validate());

            Assert.Equal(ErrorIds.ParameterInvalid, e.ErrorId);
        }

        [Fact]
        public void ExtraBodyIsCheckedByValidateAndSentWithTheRequest()
        {
            var reserved = new ChatSettings { ExtraBody = new[] { new KeyValuePair<string, object?>("messages", "x") } };
            Assert.Equal(ErrorIds.ParameterInvalid, Assert.Throws<CloudflareAIException>(() => reserved.Validate()).ErrorId);

            ChatRequest request = Validated(new ChatSettings { ExtraBody = new[] { new KeyValuePair<string, object?>("top_k", 5) } });
            Assert.Equal(new[] { "top_k" }, request.ExtraBody!.Keys);
        }

        [Fact]
        public void ReasoningEffortIsSentInLowerCase()
        {
            Assert.Equal("high", Validated(new ChatSettings { ReasoningEffort = "High" }).ReasoningEffort);
        }

        [Fact]
        public void TheEndpointCheckRefusesAJsonStreamOnCloudflareOnly()
        {
            var settings = new ChatSettings { ResponseFormat = "Json", Stream = true };
            settings.Validate();

            Assert.Equal(ErrorIds.ChatBadRequest, Assert.Throws<ChatException>(() => settings.CheckEndpoint(Endpoints.Cloudflare())).ErrorId);
            settings.CheckEndpoint(Endpoints.OpenAi());
        }
    }
}
