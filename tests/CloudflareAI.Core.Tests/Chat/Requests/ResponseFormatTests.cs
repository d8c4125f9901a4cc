using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace CloudflareAI.Tests.Chat.Requests
{
    public class ResponseFormatTests
    {
        private static JsonElement Written(ResponseFormat format, bool stream = false)
        {
            ChatRequest request = Endpoints.Request(stream);
            request.ResponseFormat = format;
            return JsonDocument.Parse(ChatRequestBody.Write(request, request.Messages)).RootElement;
        }

        [Fact]
        public void JsonModeIsAJsonObjectFormat()
        {
            JsonElement format = Written(ResponseFormat.JsonObject).GetProperty("response_format");

            Assert.Equal("{\"type\":\"json_object\"}", format.GetRawText());
        }

        [Fact]
        public void ASchemaGoesInTheOpenAiShapeWithStrictAndTheDefaultName()
        {
            var schema = new Hashtable { ["type"] = "object", ["properties"] = new Hashtable { ["name"] = new Hashtable { ["type"] = "string" } } };

            JsonElement format = Written(ResponseFormat.ForSchema(schema)).GetProperty("response_format");

            Assert.Equal("json_schema", format.GetProperty("type").GetString());
            JsonElement wrapper = format.GetProperty("json_schema");
            Assert.Equal(new[] { "name", "schema", "strict" }, wrapper.EnumerateObject().Select(p => p.Name));
            Assert.Equal("response", wrapper.GetProperty("name").GetString());
            Assert.True(wrapper.GetProperty("strict").GetBoolean());
            Assert.Equal("string", wrapper.GetProperty("schema").GetProperty("properties").GetProperty("name").GetProperty("type").GetString());
        }

        [Fact]
        public void ASchemaGivenAsJsonTextIsSentAsThatObjectWithTheGivenName()
        {
            JsonElement wrapper = Written(ResponseFormat.ForSchema("{ \"type\": \"array\", \"items\": { \"type\": \"integer\" } }", "numbers"))
                .GetProperty("response_format").GetProperty("json_schema");

            Assert.Equal("numbers", wrapper.GetProperty("name").GetString());
            Assert.Equal("{\"type\":\"array\",\"items\":{\"type\":\"integer\"}}", wrapper.GetProperty("schema").GetRawText());
        }

        [Theory]
        [InlineData("not json")]
        [InlineData("[1, 2]")]
        [InlineData("\"a string\"")]
        public void TextThatIsNotAJsonObjectIsAParameterError(string schema)
        {
            CloudflareAIException e = Assert.Throws<CloudflareAIException>(() => ResponseFormat.ForSchema(schema));

            Assert.Equal(ErrorIds.ParameterInvalid, e.ErrorId);
            Assert.Contains("-JsonSchema", e.Message);
            Assert.Contains("-JsonSchema", e.RecommendedAction);
        }

        [Fact]
        public void ANumberJsonCannotHoldIsAParameterErrorBeforeSending()
        {
            var schema = new Hashtable { ["type"] = "number", ["maximum"] = double.NaN };

            CloudflareAIException e = Assert.Throws<CloudflareAIException>(() => ResponseFormat.ForSchema(schema));

            Assert.Equal(ErrorIds.ParameterInvalid, e.ErrorId);
        }

        [Theory]
        [InlineData("has space")]
        [InlineData("")]
        [InlineData("dots.not.allowed")]
        public void ASchemaNameOutsideTheAllowedCharactersIsAParameterError(string name)
        {
            CloudflareAIException e = Assert.Throws<CloudflareAIException>(() => ResponseFormat.ForSchema(new Hashtable { ["type"] = "object" }, name));

            Assert.Equal(ErrorIds.ParameterInvalid, e.ErrorId);
            Assert.Contains("-SchemaName", e.Message);
        }

        [Fact]
        public void StreamingWithAFormatIsRefusedOnCloudflareOnly()
        {
            ChatException e = Assert.Throws<ChatException>(() => ResponseFormat.RefuseStreaming(ResponseFormat.JsonObject, stream: true, Endpoints.Cloudflare()));

            Assert.Equal(ErrorIds.ChatBadRequest, e.ErrorId);
            Assert.Contains("Drop -Stream", e.RecommendedAction);
            ResponseFormat.RefuseStreaming(ResponseFormat.JsonObject, stream: true, Endpoints.OpenAi());
            ResponseFormat.RefuseStreaming(ResponseFormat.JsonObject, stream: false, Endpoints.Cloudflare());
            ResponseFormat.RefuseStreaming(null, stream: true, Endpoints.Cloudflare());
        }

        [Fact]
        public void ReasoningEffortIsWrittenOnlyWhenSet()
        {
            ChatRequest request = Endpoints.Request();
            Assert.False(JsonDocument.Parse(ChatRequestBody.Write(request, request.Messages)).RootElement.TryGetProperty("reasoning_effort", out _));

            request.ReasoningEffort = "high";
            Assert.Equal("high", JsonDocument.Parse(ChatRequestBody.Write(request, request.Messages)).RootElement.GetProperty("reasoning_effort").GetString());
        }
    }
}
