using System;
using System.Collections;
using System.Collections.Generic;

namespace CloudflareAI.PowerShell
{
    /// <summary>New-AITool -Parameter as a JSON Schema object: the short form (names to type names or schemas) or a whole schema.</summary>
    internal static class ToolSchemaHashtable
    {
        private static readonly string[] TypeNames = { "string", "integer", "number", "boolean" };

        public static Hashtable FromParameter(Hashtable? parameter)
        {
            if (parameter == null || parameter.Count == 0) return new Hashtable { ["type"] = "object", ["properties"] = new Hashtable() };
            if (Lookup(parameter, "type") is string type && Lookup(parameter, "properties") != null)
            {
                if (!string.Equals(type, "object", StringComparison.OrdinalIgnoreCase)) throw new ArgumentException("A whole -Parameter schema must have type 'object'.");
                return parameter;
            }

            var properties = new Hashtable();
            var required = new List<object>();
            foreach (DictionaryEntry entry in parameter)
            {
                string name = entry.Key?.ToString() ?? string.Empty;
                if (name.Length == 0) throw new ArgumentException("A -Parameter entry has an empty name.");
                object? value = entry.Value is System.Management.Automation.PSObject ps ? ps.BaseObject : entry.Value;
                bool isRequired = true;
                Hashtable property;
                switch (value)
                {
                    case string typeName:
                        property = FromTypeName(name, typeName);
                        break;
                    case IDictionary schema:
                        property = new Hashtable();
                        foreach (DictionaryEntry part in schema)
                        {
                            if (string.Equals(part.Key as string, "required", StringComparison.OrdinalIgnoreCase))
                            {
                                isRequired = LanguagePrimitivesIsTrue(part.Value);
                                continue;
                            }
                            property[part.Key] = part.Value;
                        }
                        if (!(Lookup(property, "type") is string)) throw new ArgumentException($"The -Parameter entry '{name}' has no type.");
                        break;
                    default:
                        throw new ArgumentException($"The -Parameter entry '{name}' is a {value?.GetType().Name ?? "null"}; give a type name such as 'string' or a schema hashtable.");
                }
                properties[name] = property;
                if (isRequired) required.Add(name);
            }
            var result = new Hashtable { ["type"] = "object", ["properties"] = properties };
            if (required.Count > 0) result["required"] = required.ToArray();
            return result;
        }

        private static Hashtable FromTypeName(string name, string typeName)
        {
            string text = typeName.Trim().ToLowerInvariant();
            bool array = text.EndsWith("[]", StringComparison.Ordinal);
            if (array) text = text.Substring(0, text.Length - 2);
            if (Array.IndexOf(TypeNames, text) < 0)
            {
                throw new ArgumentException($"The -Parameter entry '{name}' has the type '{typeName}'; the types are string, integer, number and boolean, each also with [] for a list.");
            }
            return array ? new Hashtable { ["type"] = "array", ["items"] = new Hashtable { ["type"] = text } } : new Hashtable { ["type"] = text };
        }

        private static bool LanguagePrimitivesIsTrue(object? value) => System.Management.Automation.LanguagePrimitives.IsTrue(value);

        private static object? Lookup(IDictionary dictionary, string key)
        {
            foreach (DictionaryEntry entry in dictionary)
            {
                if (entry.Key is string name && string.Equals(name, key, StringComparison.OrdinalIgnoreCase)) return entry.Value;
            }
            return null;
        }
    }
}
