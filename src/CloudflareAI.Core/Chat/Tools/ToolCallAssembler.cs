using System.Collections.Generic;
using System.Text;

namespace CloudflareAI.Chat.Tools
{
    /// <summary>
    /// Builds whole tool calls from streamed deltas. Each delta names its call by <c>index</c>; the first delta of a call
    /// carries its ID and name, later ones add pieces of the arguments text, which may be cut anywhere (inside a name, an
    /// escape or a character). Calls come out in index order.
    /// </summary>
    internal sealed class ToolCallAssembler
    {
        private readonly SortedDictionary<int, Pending> calls = new SortedDictionary<int, Pending>();

        /// <summary>True once any delta arrived.</summary>
        public bool HasCalls => calls.Count > 0;

        /// <summary>Adds one delta.</summary>
        /// <param name="index">The call's index; a delta without one belongs to the call of the delta before it (or 0).</param>
        /// <param name="id">The call's ID, on its first delta.</param>
        /// <param name="name">The tool's name, on its first delta (some hosts cut it into pieces too).</param>
        /// <param name="arguments">The next piece of the arguments text.</param>
        public void Add(int? index, string? id, string? name, string? arguments)
        {
            int key = index ?? LastIndex;
            LastIndex = key;
            if (!calls.TryGetValue(key, out Pending? call))
            {
                call = new Pending();
                calls.Add(key, call);
            }
            // A host that repeats the ID on every delta sends the same one; the first is kept as sent.
            if (!string.IsNullOrEmpty(id) && call.Id == null) call.Id = id;
            if (!string.IsNullOrEmpty(name))
            {
                if (call.Name.Length == 0 || !call.Name.ToString().Equals(name)) call.Name.Append(name);
            }
            if (!string.IsNullOrEmpty(arguments)) call.Arguments.Append(arguments);
        }

        /// <summary>The calls so far, in index order; a call without an ID gets one made from its index.</summary>
        public List<ToolCall> ToList()
        {
            var list = new List<ToolCall>(calls.Count);
            foreach (KeyValuePair<int, Pending> pair in calls)
            {
                list.Add(new ToolCall(pair.Value.Id ?? "call_" + pair.Key, pair.Value.Name.ToString(), pair.Value.Arguments.ToString()));
            }
            return list;
        }

        private int LastIndex { get; set; }

        private sealed class Pending
        {
            public string? Id;
            public readonly StringBuilder Name = new StringBuilder();
            public readonly StringBuilder Arguments = new StringBuilder();
        }
    }
}
