using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using Xunit;

namespace CloudflareAI.Tests.Chat.Tools
{
    public class ToolSchemaTests
    {
        private static string Json(object value)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer)) JsonValueWriter.Write(writer, value);
            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        [Theory]
        [InlineData(typeof(string), "string")]
        [InlineData(typeof(char), "string")]
        [InlineData(typeof(bool), "boolean")]
        [InlineData(typeof(int), "integer")]
        [InlineData(typeof(long), "integer")]
        [InlineData(typeof(short), "integer")]
        [InlineData(typeof(byte), "integer")]
        [InlineData(typeof(sbyte), "integer")]
        [InlineData(typeof(uint), "integer")]
        [InlineData(typeof(ushort), "integer")]
        [InlineData(typeof(ulong), "integer")]
        [InlineData(typeof(int?), "integer")]
        [InlineData(typeof(double), "number")]
        [InlineData(typeof(float), "number")]
        [InlineData(typeof(decimal), "number")]
        public void EverySupportedTypeHasItsJsonType(Type type, string json)
        {
            SchemaResult result = ToolSchema.Build(new[] { new ToolParameter("P", type) });

            Assert.Equal("{\"type\":\"object\",\"properties\":{\"P\":{\"type\":\"" + json + "\"}}}", Json(result.Schema));
            Assert.Empty(result.Skipped);
        }

        [Theory]
        [InlineData(typeof(string[]), "string")]
        [InlineData(typeof(int[]), "integer")]
        [InlineData(typeof(double[]), "number")]
        [InlineData(typeof(bool[]), "boolean")]
        public void ArraysOfSupportedTypesAreArraysWithItems(Type type, string item)
        {
            SchemaResult result = ToolSchema.Build(new[] { new ToolParameter("List", type) });

            Assert.Equal("{\"type\":\"object\",\"properties\":{\"List\":{\"type\":\"array\",\"items\":{\"type\":\"" + item + "\"}}}}", Json(result.Schema));
        }

        [Fact]
        public void ValidateSetBecomesAnEnumAlsoForArrays()
        {
            SchemaResult result = ToolSchema.Build(new[]
            {
                new ToolParameter("Unit", typeof(string)) { AllowedValues = new[] { "Celsius", "Fahrenheit" } },
                new ToolParameter("Units", typeof(string[])) { AllowedValues = new[] { "a", "b" } },
            });

            Assert.Equal("{\"type\":\"object\",\"properties\":{\"Unit\":{\"type\":\"string\",\"enum\":[\"Celsius\",\"Fahrenheit\"]},"
                + "\"Units\":{\"type\":\"array\",\"items\":{\"type\":\"string\",\"enum\":[\"a\",\"b\"]}}}}", Json(result.Schema));
        }

        [Fact]
        public void MandatoryParametersAreRequiredInTheirOrderAndDescriptionsAreKept()
        {
            SchemaResult result = ToolSchema.Build(new[]
            {
                new ToolParameter("Path", typeof(string)) { Mandatory = true, Description = "  The file to read.\n" },
                new ToolParameter("Tail", typeof(int)),
                new ToolParameter("Encoding", typeof(string)) { Mandatory = true },
            });

            Assert.Equal("{\"type\":\"object\",\"properties\":{\"Path\":{\"type\":\"string\",\"description\":\"The file to read.\"},"
                + "\"Tail\":{\"type\":\"integer\"},\"Encoding\":{\"type\":\"string\"}},\"required\":[\"Path\",\"Encoding\"]}", Json(result.Schema));
        }

        [Theory]
        [InlineData(typeof(DateTime))]
        [InlineData(typeof(object))]
        [InlineData(typeof(DayOfWeek))]
        [InlineData(typeof(Uri))]
        [InlineData(typeof(object[]))]
        [InlineData(typeof(DateTime[]))]
        [InlineData(typeof(int[,]))]
        [InlineData(typeof(string[][]))]
        [InlineData(typeof(List<string>))]
        [InlineData(typeof(System.Collections.Hashtable))]
        public void OtherTypesAreLeftOutAndNamedEvenWhenMandatory(Type type)
        {
            SchemaResult result = ToolSchema.Build(new[]
            {
                new ToolParameter("Name", typeof(string)),
                new ToolParameter("Odd", type) { Mandatory = true },
            });

            Assert.Equal("{\"type\":\"object\",\"properties\":{\"Name\":{\"type\":\"string\"}}}", Json(result.Schema));
            Assert.Equal(new[] { $"Odd ({type.Name})" }, result.Skipped);
        }

        [Fact]
        public void NoParametersIsAnEmptyObjectSchema()
        {
            Assert.Equal("{\"type\":\"object\",\"properties\":{}}", Json(ToolSchema.Build(Array.Empty<ToolParameter>()).Schema));
        }
    }
}
