<#
.SYNOPSIS
    Asks a model through Cloudflare AI Gateway's REST API (the cloudflare-ai-gateway-rest alias), with optional
    caching, log metadata and an event id, and writes each answer as an object.

.DESCRIPTION
    Sends each prompt with Invoke-AIChat -Provider cloudflare-ai-gateway-rest and writes one CloudflareAI.ChatResponse
    per prompt. Besides the answer (Content), the object's Gateway property holds what the gateway sent back: LogId
    (finds the request in the gateway's logs), CacheStatus (HIT or MISS), EventId, and for routed models the model
    that answered.

    Set CLOUDFLARE_ACCOUNT_ID, CLOUDFLARE_GATEWAY_ID and CLOUDFLARE_API_TOKEN. The token is sent in Authorization and
    needs the AI Gateway Run permission, and the Workers AI permissions for @cf/ models. The gateway id goes in the
    cf-aig-gateway-id header. Third-party models ('openai/gpt-5-mini') use the gateway's stored keys or Unified
    Billing; no provider key is sent.

    Errors are handled by their FullyQualifiedErrorId: a setup error (including a gateway control the gateway cannot
    take, ParameterInvalid), a refused token (ChatAuthenticationFailed) and a used-up quota stop the script with the
    module's error and its RecommendedAction; any other failed request is written as a non-terminating error and the
    next prompt goes on. No token is printed.

.PARAMETER Prompt
    The questions to ask. Each one is a separate request. Accepts pipeline input.

.PARAMETER Model
    The model: '@cf/meta/llama-3.3-70b-instruct-fp8-fast' (the default) or another Workers AI model,
    'openai/gpt-5-mini' or another provider's, 'custom/<name>' for a model alias of the gateway, 'dynamic/<route>',
    or 'cloudflare/auto' for the Auto Router.

.PARAMETER CacheTtlSec
    Caches the answer in the gateway for this many seconds, 60 to 2592000 (-GatewayCacheTtl). An identical request
    within that time is answered from the cache (CacheStatus HIT).

.PARAMETER SkipCache
    Bypasses the gateway's cache for these requests (-GatewaySkipCache).

.PARAMETER CacheKey
    The key under which the gateway caches the answer (-GatewayCacheKey); a later request with the same key is a HIT.

.PARAMETER Metadata
    Up to five key/value pairs (strings, numbers, booleans) that tag the requests in the gateway's logs
    (-GatewayMetadata), for example @{ team = 'docs'; job = 'nightly' }.

.PARAMETER EventId
    Your own trace id for the requests (-GatewayEventId); the gateway sends it back in Gateway.EventId.

.PARAMETER SystemPrompt
    The system message put before each prompt.

.PARAMETER MaxTokens
    The most tokens each answer may have. Default 512.

.PARAMETER BaseUrl
    A base URL template to use instead of the alias's own, in single quotes, for example the loopback emulator in
    tests/CloudflareAI.TestServer: 'http://127.0.0.1:5000/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1'.
    The alias's token and its cf-aig-gateway-id header still apply.

.EXAMPLE
    $env:CLOUDFLARE_ACCOUNT_ID = '023e105f4ecef8ad9ca31a8372d0c353'
    $env:CLOUDFLARE_GATEWAY_ID = 'my-gateway'
    $env:CLOUDFLARE_API_TOKEN = Get-Secret -Name CloudflareApiToken -AsPlainText
    ./examples/cloudflare-ai-gateway-rest.ps1 'What is the speed of light in km/s?' -CacheTtlSec 3600 -CacheKey 'faq:light' |
        Select-Object Content, @{ n = 'Cache'; e = { $_.Gateway.CacheStatus } }, @{ n = 'LogId'; e = { $_.Gateway.LogId } }

.EXAMPLE
    Get-Content ./questions.txt | ./examples/cloudflare-ai-gateway-rest.ps1 -Model 'openai/gpt-5-mini' `
        -Metadata @{ team = 'platform'; job = 'nightly' } -EventId "nightly-$(Get-Date -Format yyyyMMdd)"

    OpenAI through the gateway, paid with the gateway's stored key or Unified Billing, tagged for the logs.

.EXAMPLE
    ./examples/cloudflare-ai-gateway-rest.ps1 'Hello' -Model 'cloudflare/auto' -WhatIf

    Shows the URL that would be called, and sends nothing.

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

    [ValidateRange(60, 2592000)]
    [int] $CacheTtlSec,

    [switch] $SkipCache,

    [ValidateNotNullOrEmpty()]
    [string] $CacheKey,

    [hashtable] $Metadata,

    [ValidateNotNullOrEmpty()]
    [string] $EventId,

    [string] $SystemPrompt = 'You are a concise assistant. Answer in plain text.',

    [ValidateRange(1, 131072)]
    [int] $MaxTokens = 512,

    [ValidateNotNullOrEmpty()]
    [string] $BaseUrl
)

begin {
    Set-StrictMode -Version 3.0

    $chat = @{
        Provider     = 'cloudflare-ai-gateway-rest'
        SystemPrompt = $SystemPrompt
        MaxTokens    = $MaxTokens
        ErrorAction  = 'Stop'
    }
    # The module checks the gateway controls (range, at most five flat metadata entries) before anything is sent.
    if ($PSBoundParameters.ContainsKey('CacheTtlSec')) { $chat.GatewayCacheTtl = $CacheTtlSec }
    if ($SkipCache) { $chat.GatewaySkipCache = $true }
    if ($CacheKey) { $chat.GatewayCacheKey = $CacheKey }
    if ($Metadata) { $chat.GatewayMetadata = $Metadata }
    if ($EventId) { $chat.GatewayEventId = $EventId }
    if ($Model) { $chat.Model = $Model }
    if ($BaseUrl) { $chat.BaseUrl = $BaseUrl }

    # Errors that no later prompt can escape: stop instead of failing the same way for every prompt.
    $fatal = @(
        'ProviderAliasNotFound', 'ProviderEnvironmentVariableMissing', 'ProviderEnvironmentVariableInvalid',
        'UrlTemplateInvalid', 'ModelNotSpecified', 'InsecureEndpoint', 'ParameterInvalid', 'GatewayOptionNotSupported',
        'ChatAuthenticationFailed', 'ChatQuotaExceeded'
    )
}

process {
    foreach ($text in $Prompt) {
        try {
            $response = Invoke-AIChat @chat -Prompt $text
            if ($response) {
                if ($response.Gateway) {
                    Write-Verbose "Gateway log id $($response.Gateway.LogId), cache $($response.Gateway.CacheStatus)."
                }
                $response
            }
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
