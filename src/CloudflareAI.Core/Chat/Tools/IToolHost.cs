using System.Threading;
using System.Threading.Tasks;

namespace CloudflareAI.Chat.Tools
{
    /// <summary>
    /// Runs the tools a model calls; the cmdlet supplies it (asking first through ShouldProcess when told to). The tool
    /// loop calls it only for tools that were declared and whose arguments are a JSON object.
    /// </summary>
    internal interface IToolHost
    {
        /// <summary>Runs <paramref name="call"/>.</summary>
        /// <returns>The text for the tool message: the output as JSON, or <see cref="ToolResultText.Error"/>; null when the tool
        /// cannot run here (it has no implementation), which ends the loop with the model's answer and its calls.</returns>
        Task<string?> RunAsync(ToolCall call, CancellationToken cancellationToken);
    }
}
