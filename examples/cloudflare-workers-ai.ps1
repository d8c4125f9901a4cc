<#
.SYNOPSIS
    Asks Cloudflare Workers AI one or more questions through the cloudflare-workers-ai alias and writes each answer as
    an object.

.DESCRIPTION
    Sends each prompt with Invoke-AIChat -Provider cloudflare-workers-ai and writes one CloudflareAI.ChatResponse per
    prompt: the answer is in Content (the default view prints it), with Model, FinishReason, Usage, Duration and
    Attempts beside it.

    Set CLOUDFLARE_ACCOUNT_ID (the 32-character account ID from the Workers AI page of the dashboard) and
    CLOUDFLARE_API_TOKEN (an API token made from the 'Workers AI' template: Workers AI Read and Edit).

    Errors are handled by their FullyQualifiedErrorId:
    - a setup error (a variable missing or unfit, a bad -BaseUrl template) and errors that every other prompt would
      meet too (ChatAuthenticationFailed, ChatQuotaExceeded) stop the script with the module's error, whose
      ErrorDetails.RecommendedAction says what to do;
    - any other failed request (after the module's own retries) is written as a non-terminating error and the next
      prompt goes on, so -ErrorAction works as with any cmdlet.
    No token is printed: the module redacts secrets in every stream.

.PARAMETER Prompt
    The questions to ask. Each one is a separate request. Accepts pipeline input.

.PARAMETER Model
    A Workers AI model, such as '@cf/meta/llama-3.3-70b-instruct-fp8-fast'; quote it, because a bare @ starts a splat
    in PowerShell. Without it, the alias's default model is used (@cf/meta/llama-3.3-70b-instruct-fp8-fast).

.PARAMETER SystemPrompt
    The system message put before each prompt.

.PARAMETER MaxTokens
    The most tokens each answer may have. Many Workers AI models stop at 256 unless told otherwise; a cut answer
    comes with a warning and FinishReason 'length'. Default 512.

.PARAMETER Stream
    Shows each answer as it arrives; the ChatResponse still goes to the pipeline.

.PARAMETER BaseUrl
    A base URL template to use instead of the alias's own, in single quotes, for example a proxy in front of Cloudflare
    or the loopback emulator in tests/CloudflareAI.TestServer:
    'http://127.0.0.1:5000/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1'. The alias's token and rules still apply.

.EXAMPLE
    $env:CLOUDFLARE_ACCOUNT_ID = '023e105f4ecef8ad9ca31a8372d0c353'
    $env:CLOUDFLARE_API_TOKEN = Get-Secret -Name CloudflareApiToken -AsPlainText
    ./examples/cloudflare-workers-ai.ps1 'Explain PowerShell splatting in two sentences.'

.EXAMPLE
    'What is DNS?', 'What is BGP?' | ./examples/cloudflare-workers-ai.ps1 -MaxTokens 200 |
        Select-Object @{ Name = 'Question'; Expression = { $_.Messages[-2].Content } }, Content

    Two questions, one request each; if one fails, its error is written and the other still answers.

.EXAMPLE
    ./examples/cloudflare-workers-ai.ps1 'Hello' -WhatIf

    Shows the URL that would be called, with no token and no request.

.OUTPUTS
    CloudflareAI.ChatResponse
#>

#Requires -Modules CloudflareAI
[CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Low')]
[OutputType('CloudflareAI.ChatResponse')]
param(
    [Parameter(Mandatory, Position = 0, ValueFromPipeline)]
    [ValidateNotNullOrEmpty()]
    [string[]] $Prompt,

    [ValidateNotNullOrEmpty()]
    [string] $Model,

    [string] $SystemPrompt = 'You are a concise assistant. Answer in plain text.',

    [ValidateRange(1, 131072)]
    [int] $MaxTokens = 512,

    [switch] $Stream,

    [ValidateNotNullOrEmpty()]
    [string] $BaseUrl
)

begin {
    Set-StrictMode -Version 3.0

    $chat = @{
        Provider     = 'cloudflare-workers-ai'
        SystemPrompt = $SystemPrompt
        MaxTokens    = $MaxTokens
        Stream       = $Stream
        # Every failure reaches the catch below, where its ErrorId decides what happens.
        ErrorAction  = 'Stop'
    }
    if ($Model) { $chat.Model = $Model }
    if ($BaseUrl) { $chat.BaseUrl = $BaseUrl }

    # Errors that no later prompt can escape: stop instead of failing the same way for every prompt.
    $fatal = @(
        'ProviderAliasNotFound', 'ProviderEnvironmentVariableMissing', 'ProviderEnvironmentVariableInvalid',
        'UrlTemplateInvalid', 'ModelNotSpecified', 'InsecureEndpoint', 'ChatAuthenticationFailed', 'ChatQuotaExceeded'
    )
}

process {
    foreach ($text in $Prompt) {
        try {
            # -WhatIf and -Confirm reach Invoke-AIChat through the preference variables this script sets.
            Invoke-AIChat @chat -Prompt $text
        }
        catch {
            $errorId = ($_.FullyQualifiedErrorId -split ',')[0]
            if ($_.FullyQualifiedErrorId -notlike '*,CloudflareAI.Commands.InvokeAIChatCommand') { throw }
            if ($errorId -in $fatal) { $PSCmdlet.ThrowTerminatingError($_) }
            # One prompt failed (transient errors were already retried): report it and go on with the next.
            $PSCmdlet.WriteError($_)
        }
    }
}
