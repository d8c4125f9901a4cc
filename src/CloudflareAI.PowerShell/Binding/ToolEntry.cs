
namespace CloudflareAI.PowerShell
{
    /// <summary>One -Tool item: what the model is told, and what runs it (a CommandInfo or a ScriptBlock; null for a hashtable).</summary>
    internal sealed class ToolEntry
    {
        public ToolEntry(ToolDefinition definition, object? runnable)
        {
            Definition = definition;
            Runnable = runnable;
        }

        public ToolDefinition Definition { get; }

        public object? Runnable { get; }
    }
}
