<#
.SYNOPSIS
    Answers a question about this machine by letting a model call read-only PowerShell commands, each call confirmed
    before it runs.

.DESCRIPTION
    Gives the model the commands named by -Command (by default Get-Date and Get-TimeZone) as tools, with
    Invoke-AIChat -Tool and -InvokeTool Confirm: the model asks for a command with the arguments it chooses, you are
    asked before each call runs, and what the command outputs goes back to the model as compact JSON until it answers.
    Writes the CloudflareAI.ChatResponse; its Messages hold the whole exchange, tool calls and results included.

    Only commands whose verb only reads (Get, Test, Measure, Find, Resolve, Search, Select) are accepted, so even an
    answer of Yes to All cannot change anything. -Confirm:$false runs the calls without asking (for a scheduled
    runbook), and -WhatIf sends nothing and runs nothing.

    Set the variables of the alias you use, for example CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN for
    cloudflare-workers-ai, and pick a model that can call functions: Get-AIModel -Capability FunctionCalling lists them.
    Errors are the module's own, with their FullyQualifiedErrorId and RecommendedAction; no token is printed.

.PARAMETER Question
    What to ask. The model decides which of the commands to call to answer it.

.PARAMETER Command
    The read-only commands the model may call. Each must exist and have a read-only verb.

.PARAMETER Provider
    The provider alias; without it, the first available one.

.PARAMETER Model
    A model that can call functions, such as '@cf/meta/llama-4-scout-17b-16e-instruct'; quote it, because a bare @
    starts a splat.

.PARAMETER MaxToolRounds
    How many rounds of tool results the model may get before it must answer. Default 4.

.PARAMETER BaseUrl
    A base URL template instead of the alias's own, in single quotes, for example the loopback emulator in
    tests/CloudflareAI.TestServer: 'http://127.0.0.1:5000/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1'.

.EXAMPLE
    ./examples/tool-runbook.ps1 'What time is it here, and in which time zone?' -Provider cloudflare-workers-ai -Model '@cf/meta/llama-4-scout-17b-16e-instruct'

    Asks before running Get-Date and Get-TimeZone, then writes the answer.

.EXAMPLE
    ./examples/tool-runbook.ps1 'How long until midnight?' -Command Get-Date -Confirm:$false | Select-Object -ExpandProperty Messages

    Runs the calls without asking and shows the whole exchange.
#>
#Requires -Modules CloudflareAI
[CmdletBinding(SupportsShouldProcess)]
[OutputType('CloudflareAI.ChatResponse')]
param(
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty()]
    [string] $Question = 'What time is it here, and in which time zone?',

    [ValidateNotNullOrEmpty()]
    [string[]] $Command = @('Get-Date', 'Get-TimeZone'),

    [string] $Provider,

    [string] $Model,

    [ValidateRange(1, 20)]
    [int] $MaxToolRounds = 4,

    [string] $BaseUrl
)

$readOnlyVerbs = 'Get', 'Test', 'Measure', 'Find', 'Resolve', 'Search', 'Select'
$tools = foreach ($name in $Command) {
    $found = Get-Command -Name $name -CommandType Cmdlet, Function -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $found) { throw "The command '$name' was not found; -Command takes the names of commands in this session." }
    if ($found.Verb -notin $readOnlyVerbs) {
        throw "The command '$name' has the verb '$($found.Verb)'; this runbook gives a model only commands that read ($($readOnlyVerbs -join ', '))."
    }
    $found
}

$chat = @{
    Prompt        = $Question
    SystemPrompt  = 'Answer with the help of the tools; call a tool only when its output is needed.'
    Tool          = $tools
    InvokeTool    = 'Confirm'
    MaxToolRounds = $MaxToolRounds
}
foreach ($name in 'Provider', 'Model', 'BaseUrl') {
    if ($PSBoundParameters.ContainsKey($name)) { $chat[$name] = $PSBoundParameters[$name] }
}
# -WhatIf and -Confirm given to this script reach Invoke-AIChat through its preference variables.
Invoke-AIChat @chat
