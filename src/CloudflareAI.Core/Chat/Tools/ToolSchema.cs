using System;
using System.Collections.Generic;

namespace CloudflareAI.Chat.Tools
{
    /// <summary>
    /// The JSON Schema of a command's arguments: string, integer, number and boolean parameters, arrays of them, and enums
    /// from a ValidateSet; Mandatory parameters are required. Any other type cannot be written as JSON by a model, so such a
    /// parameter is left out and named in <see cref="SchemaResult.Skipped"/>.
    /// </summary>
    internal static class ToolSchema
    {
        /// <summary>Builds the schema of <paramref name="parameters"/>.</summary>
        /// <param name="parameters">The parameters of one parameter set, common parameters already left out.</param>
        public static SchemaResult Build(IEnumerable<ToolParameter> parameters)
        {
            var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
            var required = new List<object?>();
            var skipped = new List<string>();
            foreach (ToolParameter parameter in parameters)
            {
                Dictionary<string, object?>? property = Describe(parameter.Type, parameter.AllowedValues);
                if (property == null)
                {
                    skipped.Add($"{parameter.Name} ({parameter.Type.Name})");
                    continue;
                }
                if (!string.IsNullOrWhiteSpace(parameter.Description)) property["description"] = parameter.Description!.Trim();
                properties[parameter.Name] = property;
                if (parameter.Mandatory) required.Add(parameter.Name);
            }

            var schema = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["type"] = "object",
                ["properties"] = properties,
            };
            if (required.Count > 0) schema["required"] = required;
            return new SchemaResult(schema, skipped);
        }

        /// <summary>The JSON type name of <paramref name="type"/>, or null when it is none of string, integer, number, boolean.</summary>
        public static string? JsonType(Type type)
        {
            Type plain = Nullable.GetUnderlyingType(type) ?? type;
            if (plain == typeof(string) || plain == typeof(char)) return "string";
            if (plain == typeof(bool)) return "boolean";
            if (plain == typeof(int) || plain == typeof(long) || plain == typeof(short) || plain == typeof(byte) || plain == typeof(sbyte)
                || plain == typeof(uint) || plain == typeof(ushort) || plain == typeof(ulong))
            {
                return "integer";
            }
            if (plain == typeof(double) || plain == typeof(float) || plain == typeof(decimal)) return "number";
            return null;
        }

        private static Dictionary<string, object?>? Describe(Type type, IReadOnlyList<string>? allowed)
        {
            if (type.IsArray && type.GetArrayRank() == 1)
            {
                Dictionary<string, object?>? items = Scalar(type.GetElementType()!, allowed);
                if (items == null) return null;
                return new Dictionary<string, object?>(StringComparer.Ordinal) { ["type"] = "array", ["items"] = items };
            }
            return Scalar(type, allowed);
        }

        private static Dictionary<string, object?>? Scalar(Type type, IReadOnlyList<string>? allowed)
        {
            string? json = JsonType(type);
            if (json == null) return null;
            var property = new Dictionary<string, object?>(StringComparer.Ordinal) { ["type"] = json };
            // A ValidateSet on a string parameter is what the model may choose from.
            if (allowed != null && allowed.Count > 0 && json == "string") property["enum"] = new List<object?>(allowed);
            return property;
        }
    }
}
