using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace CloudflareAI.PowerShell
{
    /// <summary>
    /// Binds -Message: hashtables or objects with role and content, ChatMessages (an earlier response's Messages), or a
    /// whole earlier ChatResponse, also a deserialized one, become one <see cref="ChatHistory"/>. An input that is not a
    /// conversation becomes a history that carries its ChatMessageInvalid error instead of failing the binding.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ChatHistoryTransformationAttribute : ArgumentTransformationAttribute
    {
        /// <inheritdoc/>
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            if (inputData == null) return null;
            if ((inputData is PSObject wrapped ? wrapped.BaseObject : inputData) is ChatHistory already) return already;
            object[] items = Items(inputData);
            try
            {
                var messages = MessageConverter.Convert(items);
                MessageRules.Validate(messages);
                return new ChatHistory(messages, null, items);
            }
            catch (ArgumentException e)
            {
                return new ChatHistory(new ChatMessage[0], MessageRules.Invalid(e.Message, e), items);
            }
            catch (CloudflareAIException e)
            {
                return new ChatHistory(new ChatMessage[0], e, items);
            }
        }

        /// <summary>The items as an object[] parameter would bind them: a list is its elements, anything else one item.</summary>
        private static object[] Items(object inputData)
        {
            object value = inputData is PSObject ps ? ps.BaseObject : inputData;
            if (value is object[] array) return array;
            if (value is string || value is IDictionary || !(value is IEnumerable sequence)) return new[] { inputData };
            var items = new List<object>();
            foreach (object? item in sequence) items.Add(item!);
            return items.ToArray();
        }
    }
}
