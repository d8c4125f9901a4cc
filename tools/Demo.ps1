<#
.SYNOPSIS
    build.ps1 -Task Demo: imports the built module in this fresh pwsh, streams a chat through the cloudflare-workers-ai
    alias against the bundled loopback emulator, then shows the preflight for the real environment variables.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [string] $Configuration = 'Release'
)
$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
Import-Module $ModulePath
Import-Module (Join-Path $root 'tests/TestServer.psm1')

function Write-Title([string] $Text) { Write-Host "`n=== $Text" -ForegroundColor Cyan }

Write-Title 'Get-AIProviderAlias: the built-in aliases'
Get-AIProviderAlias | Format-Table -AutoSize | Out-Host

Write-Title 'Invoke-AIChat -Stream through cloudflare-workers-ai, against the LOCAL EMULATOR (not Cloudflare)'
$server = Start-TestServer -Configuration $Configuration
$savedAccount = $env:CLOUDFLARE_ACCOUNT_ID
try {
    # A demo account ID for the emulator only; the real one (if any) is restored below.
    $env:CLOUDFLARE_ACCOUNT_ID = '0123456789abcdef0123456789abcdef'
    $demoKey = ConvertTo-SecureString 'demo-token-for-the-local-emulator' -AsPlainText -Force
    $baseUrl = "$($server.Uri)/client/v4/accounts/`${CLOUDFLARE_ACCOUNT_ID}/ai/v1"
    Write-Host "Emulator at $($server.Uri); base URL template: $baseUrl" -ForegroundColor DarkGray
    Write-Host '[local emulator] ' -NoNewline -ForegroundColor Yellow
    $answer = Invoke-AIChat 'Say hello to a PowerShell user.' -Provider cloudflare-workers-ai -BaseUrl $baseUrl -ApiKey $demoKey `
        -SystemPrompt 'You are brief.' -Stream -Header @{ 'X-Emulator-Greeting' = 'Hello from the CloudflareAI emulator, streamed word by word.' }
    Write-Title 'The ChatResponse object that went to the pipeline'
    $answer | Select-Object Provider, Model, FinishReason, Attempts, @{ n = 'Tokens'; e = { $_.Usage.TotalTokens } }, Duration | Format-List | Out-Host
}
finally {
    $env:CLOUDFLARE_ACCOUNT_ID = $savedAccount
    Stop-TestServer -Server $server
}

Write-Title 'Test-AIProviderEnvironment for your real variables (nothing is sent anywhere)'
Test-AIProviderEnvironment cloudflare-workers-ai, cloudflare-ai-gateway | Format-List | Out-Host
Write-Host 'Set the variables it names, then: Invoke-AIChat ''Hello'' -Provider cloudflare-workers-ai' -ForegroundColor DarkGray
