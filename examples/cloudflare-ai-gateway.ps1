<#
.SYNOPSIS
    Asks a model through an authenticated Cloudflare AI Gateway (the cloudflare-ai-gateway alias), with optional
    caching and log metadata, and writes each answer as an object.

.DESCRIPTION
    Sends each prompt with Invoke-AIChat -Provider cloudflare-ai-gateway and writes one CloudflareAI.ChatResponse per
    prompt. Besides the answer (Content), the object carries the gateway's CacheStatus (HIT or MISS) and GatewayLogId,
    which finds the request in the gateway's logs.

    Set CLOUDFLARE_ACCOUNT_ID, CLOUDFLARE_GATEWAY_ID and a token:
    - CLOUDFLARE_AI_GATEWAY_TOKEN, the gateway's authentication token, sent as cf-aig-authorization (or give
      CLOUDFLARE_API_TOKEN the AI Gateway Run permission and it is used for both roles);
    - CLOUDFLARE_API_TOKEN for workers-ai/... models (the default): through the gateway it is Workers AI's provider key,
      sent as Authorization.
    For another provider's model, such as 'openai/gpt-5-mini', pass that provider's key with -ProviderKey, or leave it
    out to let the gateway use its stored keys (BYOK) or Unified Billing.

    Errors are handled by their FullyQualifiedErrorId: a setup error, a refused token (ChatAuthenticationFailed; for
    the gateway token the hint names code 2009) and a used-up quota stop the script with the module's error and its
    RecommendedAction; any other failed request is written as a non-terminating error and the next prompt goes on.
    No token is printed.

.PARAMETER Prompt
    The questions to ask. Each one is a separate request. Accepts pipeline input.

.PARAMETER Model
    The model as the gateway's Unified API names it, '{provider}/{model}': 'workers-ai/@cf/meta/llama-3.3-70b-instruct-fp8-fast'
    (the default), 'openai/gpt-5-mini', 'google-ai-studio/gemini-2.5-flash'.

.PARAMETER ProviderKey
    The key of the model's provider, as a SecureString, for models other than workers-ai/... when the gateway has no
    stored key for it. It replaces only Authorization; the gateway token is unchanged.

.PARAMETER CacheTtlSec
    Caches the answer in the gateway for this many seconds (cf-aig-cache-ttl). An identical request within that time
    is answered from the cache (CacheStatus HIT).

.PARAMETER SkipCache
    Bypasses the gateway's cache for these requests (cf-aig-skip-cache).

.PARAMETER Metadata
    Up to five key/value pairs that tag the requests in the gateway's logs (cf-aig-metadata), for example
    @{ team = 'docs'; job = 'nightly' }.

.PARAMETER SystemPrompt
    The system message put before each prompt.

.PARAMETER MaxTokens
    The most tokens each answer may have. Default 512.

.PARAMETER BaseUrl
    A base URL template to use instead of the alias's own, in single quotes, for example the loopback emulator in
    tests/CloudflareAI.TestServer: 'http://127.0.0.1:5000/v1/${CLOUDFLARE_ACCOUNT_ID}/${CLOUDFLARE_GATEWAY_ID}/compat'.
    The alias's tokens and headers still apply.

.EXAMPLE
    $env:CLOUDFLARE_ACCOUNT_ID = '023e105f4ecef8ad9ca31a8372d0c353'
    $env:CLOUDFLARE_GATEWAY_ID = 'my-gateway'
    $env:CLOUDFLARE_AI_GATEWAY_TOKEN = Get-Secret -Name CloudflareGatewayToken -AsPlainText
    $env:CLOUDFLARE_API_TOKEN = Get-Secret -Name CloudflareApiToken -AsPlainText
    ./examples/cloudflare-ai-gateway.ps1 'What is the speed of light in km/s?' -CacheTtlSec 3600 |
        Select-Object Content, CacheStatus, GatewayLogId

.EXAMPLE
    ./examples/cloudflare-ai-gateway.ps1 'Name three uses of a reverse proxy.' -Model 'openai/gpt-5-mini' `
        -ProviderKey (Get-Secret -Name OpenAIKey) -Metadata @{ team = 'platform' }

    OpenAI through the gateway with your own key for this call.

.EXAMPLE
    ./examples/cloudflare-ai-gateway.ps1 'Hello' -Model 'anthropic/claude-sonnet-4-5' -WhatIf

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

    [securestring] $ProviderKey,

    [ValidateRange(60, 2678400)]
    [int] $CacheTtlSec,

    [switch] $SkipCache,

    [ValidateCount(1, 5)]
    [hashtable] $Metadata,

    [string] $SystemPrompt = 'You are a concise assistant. Answer in plain text.',

    [ValidateRange(1, 131072)]
    [int] $MaxTokens = 512,

    [ValidateNotNullOrEmpty()]
    [string] $BaseUrl
)

begin {
    Set-StrictMode -Version 3.0

    # Header values are templates to the module: a literal '$' in metadata must be written '$$'.
    $headers = @{}
    if ($PSBoundParameters.ContainsKey('CacheTtlSec')) { $headers['cf-aig-cache-ttl'] = [string]$CacheTtlSec }
    if ($SkipCache) { $headers['cf-aig-skip-cache'] = 'true' }
    if ($Metadata) {
        $json = ConvertTo-Json -InputObject $Metadata -Compress
        $headers['cf-aig-metadata'] = $json.Replace('$', '$$')
    }

    $chat = @{
        Provider     = 'cloudflare-ai-gateway'
        SystemPrompt = $SystemPrompt
        MaxTokens    = $MaxTokens
        Header       = $headers
        ErrorAction  = 'Stop'
    }
    if ($Model) { $chat.Model = $Model }
    if ($ProviderKey) { $chat.ApiKey = $ProviderKey }
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
            $response = Invoke-AIChat @chat -Prompt $text
            if ($response) {
                Write-Verbose "Gateway log id $($response.GatewayLogId), cache $($response.CacheStatus)."
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
