using System;
using System.Collections;
using System.Management.Automation;

namespace CloudflareAI.Commands
{
    /// <summary>
    /// New-AITool: a tool for Invoke-AIChat -Tool from a name, a description, its parameters and a script block. The
    /// parameters are a hashtable of names to JSON types ('string', 'integer', 'number', 'boolean', or one of them with
    /// '[]'), to JSON Schema hashtables (required = $false makes one optional), or a whole object schema.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "AITool")]
    [OutputType(typeof(AITool))]
    public sealed class NewAIToolCommand : PSCmdlet
    {
        /// <summary>The name the model calls the tool by.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidatePattern("^[A-Za-z0-9_-]{1,64}$")]
        public string Name { get; set; } = string.Empty;

        /// <summary>What the tool does, in words the model reads.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Description { get; set; } = string.Empty;

        /// <summary>The tool's parameters: names to types or schemas, or a whole object schema.</summary>
        [Parameter]
        [ValidateNotNull]
        public Hashtable? Parameter { get; set; }

        /// <summary>Runs the tool; the model's arguments bind to its parameters by name.</summary>
        [Parameter(Position = 2)]
        public ScriptBlock? ScriptBlock { get; set; }

        /// <inheritdoc/>
        protected override void EndProcessing()
        {
            try
            {
                WriteObject(new AITool(Name, Description, ToolSchemaHashtable.FromParameter(Parameter), ScriptBlock));
            }
            catch (ArgumentException e)
            {
                ThrowTerminatingError(new ErrorRecord(e, ErrorIds.ParameterInvalid, ErrorCategory.InvalidArgument, Parameter)
                {
                    ErrorDetails = new ErrorDetails(e.Message)
                    {
                        RecommendedAction = "Give -Parameter as @{ City = 'string'; Days = @{ type = 'integer'; description = 'How many days'; required = $false } }, or as a whole schema @{ type = 'object'; properties = @{ ... }; required = @('City') }.",
                    },
                });
            }
        }
    }
}
