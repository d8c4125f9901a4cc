using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace CloudflareAI.Tests.Chat.Responses
{
    public class StructuredContentTests
    {
        private static object? Data(string content)
        {
            Assert.True(StructuredContent.TryParse(content, out JsonElement value, out string? problem), problem);
            return StructuredContent.ToData(value);
        }

        [Fact]
        public void PlainJsonBecomesDictionariesArraysAndPlainValues()
        {
            var data = (Dictionary<string, object?>)Data("{\"colours\":[\"red\",\"green\"],\"count\":2,\"ratio\":0.5,\"big\":12345678901,\"ok\":true,\"none\":null,\"nested\":{\"a\":1}}")!;

            Assert.Equal(new object?[] { "red", "green" }, (object?[])data["colours"]!);
            Assert.Equal(2L, data["count"]);
            Assert.Equal(0.5, data["ratio"]);
            Assert.Equal(12345678901L, data["big"]);
            Assert.Equal(true, data["ok"]);
            Assert.Null(data["none"]);
            Assert.Equal(1L, ((Dictionary<string, object?>)data["nested"]!)["a"]);
        }

        [Theory]
        [InlineData("```json\n{\"a\":1}\n```")]
        [InlineData("  ```JSON\r\n{\"a\":1}\r\n```  ")]
        [InlineData("```\n{\"a\":1}\n```")]
        [InlineData("Here is the JSON you asked for:\n```json\n{\"a\":1}\n```\nAnything else?")]
        [InlineData("```json {\"a\":1}```")]
        public void AFencedAnswerIsUnwrapped(string content)
        {
            var data = (Dictionary<string, object?>)Data(content)!;

            Assert.Equal(1L, data["a"]);
        }

        [Fact]
        public void AJsonStringThatHoldsAFenceIsNotCut()
        {
            var data = (Dictionary<string, object?>)Data("{\"code\":\"```js\\nx()\\n```\"}")!;

            Assert.Equal("```js\nx()\n```", data["code"]);
        }

        [Theory]
        [InlineData("Sure! Red, green and blue.")]
        [InlineData("{\"a\":1,}")]
        [InlineData("")]
        [InlineData("```json\n{\"a\":\n```")]
        public void TextThatIsNotJsonIsNotParsedAndSaysWhy(string content)
        {
            Assert.False(StructuredContent.TryParse(content, out _, out string? problem));
            Assert.False(string.IsNullOrEmpty(problem));
        }

        [Fact]
        public void ObjectsGoThroughTheCallersFactoryInOrder()
        {
            var made = new List<string>();
            object? data = StructuredContent.ToData(JsonDocument.Parse("{\"b\":{\"x\":1},\"a\":[{\"y\":2}]}").RootElement, properties =>
            {
                made.Add(string.Join(",", properties.Select(p => p.Key)));
                return "object " + made.Count;
            });

            Assert.Equal(new[] { "x", "y", "b,a" }, made);
            Assert.Equal("object 3", data);
        }

        [Fact]
        public void APreviewIsTheFirst200Characters()
        {
            string preview = StructuredContent.Preview(new string('x', 500));

            Assert.Equal(new string('x', 200) + "...", preview);
            Assert.Equal("short", StructuredContent.Preview("  short  "));
        }
    }
}
