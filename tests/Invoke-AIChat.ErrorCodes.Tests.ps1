# The defaults that work today and the error codes Cloudflare and OpenAI added in 2026, over HTTP against the emulator:
# a retired model (5028), Workers Paid only (5035), a JSON schema with a stream (5023), invalid input (8001), the REST
# gateway's provider-credential 2009 and Unified Billing 503, insufficient_quota, and an error event inside a 200 stream.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $PSScriptRoot 'TestServer.psm1') -Force
    $script:Saved = Save-AliasEnvironment
    $script:Server = Start-TestServer -Configuration $Configuration
    $script:WorkersBase = $Server.Uri + '/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1'
    $script:GatewayBase = $Server.Uri + '/v1/${CLOUDFLARE_ACCOUNT_ID}/${CLOUDFLARE_GATEWAY_ID}/compat'
    $script:OpenAiBase = $Server.Uri + '/v1'
    $script:Default = '@cf/meta/llama-3.3-70b-instruct-fp8-fast'
    $script:RetiredModel = '@cf/meta/llama-3.1-8b-instruct'
    $script:Tokens = 'fake-cf-token-codes', 'fake-openai-key-codes'
    $script:Cmdlet = 'CloudflareAI.Commands.InvokeAIChatCommand'

    # One call with an emulator scenario; the response, the first error, every stream's text, and the requests sent.
    function Invoke-Code {
        param([string] $Scenario, [hashtable] $Parameters = @{}, [string] $BaseUrl = $script:WorkersBase,
            [string] $Provider = 'cloudflare-workers-ai', [hashtable] $Header = @{})
        $run = [guid]::NewGuid().ToString('n')
        $headers = @{ 'X-Emulator-Run' = $run } + $Header
        if ($Scenario) { $headers['X-Emulator-Scenario'] = $Scenario }
        $errs = $null
        $all = Invoke-AIChat 'PING' -Provider $Provider -BaseUrl $BaseUrl -Header $headers @Parameters -ErrorVariable errs -ErrorAction SilentlyContinue `
            -Verbose -InformationAction Continue *>&1
        $first = @($errs)[0]
        [pscustomobject]@{
            Response = @($all | Where-Object { $_ -is [CloudflareAI.ChatResponse] })[0]
            Error    = $first
            Requests = @(Get-TestServerRequest -Server $script:Server -Run $run)
            Text     = (@($all | ForEach-Object { "$_" }) + $(if ($first) { $first.Exception.Message; $first.ErrorDetails.RecommendedAction; "$($first.TargetObject)" })) -join "`n"
        }
    }

    function Assert-NoToken([string] $Text) {
        foreach ($token in $script:Tokens) { $Text | Should -Not -Match ([regex]::Escape($token)) }
    }
}

AfterAll {
    if ($script:Server) { Stop-TestServer -Server $script:Server }
    Restore-AliasEnvironment $script:Saved
}

Describe 'Invoke-AIChat: defaults that work and the 2026 error codes' {
    BeforeEach {
        Set-TestEnvironment @{
            CLOUDFLARE_API_TOKEN  = 'fake-cf-token-codes'
            CLOUDFLARE_ACCOUNT_ID = $FakeAccountId
            CLOUDFLARE_GATEWAY_ID = 'test-gateway'
            OPENAI_API_KEY        = 'fake-openai-key-codes'
        }
    }

    Context 'default models' {
        It 'answers without -Model on cloudflare-workers-ai, sending the current default' {
            $r = Invoke-Code ''
            $r.Error | Should -BeNullOrEmpty
            $r.Response.Content | Should -Be 'Hello from the CloudflareAI emulator'
            $r.Requests.Count | Should -Be 1
            ($r.Requests[0].body | ConvertFrom-Json).model | Should -BeExactly $Default
            $r.Response.Model | Should -BeExactly $Default
        }

        It 'answers without -Model on cloudflare-ai-gateway, sending workers-ai/ and the current default' {
            $r = Invoke-Code '' -BaseUrl $GatewayBase -Provider cloudflare-ai-gateway
            $r.Error | Should -BeNullOrEmpty
            ($r.Requests[0].body | ConvertFrom-Json).model | Should -BeExactly "workers-ai/$Default"
        }
    }

    Context 'a retired model (5028)' {
        It 'is ChatModelNotFound on <Provider>, sent once, and the fix names Get-AIModel and the current default' -ForEach @(
            @{ Provider = 'cloudflare-workers-ai'; Model = '@cf/meta/llama-3.1-8b-instruct'; Base = 'Workers'; Expected = '@cf/meta/llama-3.3-70b-instruct-fp8-fast' }
            @{ Provider = 'cloudflare-ai-gateway'; Model = 'workers-ai/@cf/meta/llama-3.1-8b-instruct'; Base = 'Gateway'; Expected = 'workers-ai/@cf/meta/llama-3.3-70b-instruct-fp8-fast' }
        ) {
            $base = if ($Base -eq 'Workers') { $WorkersBase } else { $GatewayBase }
            $r = Invoke-Code '' -BaseUrl $base -Provider $Provider -Parameters @{ Model = $Model }
            $r.Requests.Count | Should -Be 1
            $r.Error.FullyQualifiedErrorId | Should -Be "ChatModelNotFound,$Cmdlet"
            $r.Error.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $r.Error.Exception.Message | Should -Match 'deprecated on 2026-05-30'
            $r.Error.Exception.Message | Should -Not -Match 'AiError'
            $r.Error.Exception.ProviderCode | Should -Be '5028'
            $r.Error.Exception.Attempts | Should -Be 1
            $r.Error.ErrorDetails.RecommendedAction | Should -Match 'retired by Cloudflare'
            $r.Error.ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape("Get-AIModel -Provider $Provider"))
            $r.Error.ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape($Expected))
            Assert-NoToken $r.Text
        }

        It 'is not retried even with retries allowed' {
            $r = Invoke-Code '' -Parameters @{ Model = $RetiredModel; MaxRetries = 3; Stream = $true }
            $r.Requests.Count | Should -Be 1
            $r.Error.FullyQualifiedErrorId | Should -Be "ChatModelNotFound,$Cmdlet"
        }
    }

    Context 'Cloudflare codes' {
        It 'maps 5035 (HTTP 403) to ChatPlanRequired with the Workers Paid hint, not the token hint' {
            $r = Invoke-Code 'plan-required' -Parameters @{ Model = '@cf/moonshotai/kimi-k2.6' }
            $r.Requests.Count | Should -Be 1
            $r.Error.FullyQualifiedErrorId | Should -Be "ChatPlanRequired,$Cmdlet"
            $r.Error.CategoryInfo.Category | Should -Be 'PermissionDenied'
            $r.Error.Exception.StatusCode | Should -Be 403
            $r.Error.Exception.Attempts | Should -Be 1
            $r.Error.ErrorDetails.RecommendedAction | Should -Match 'Workers Paid'
            $r.Error.ErrorDetails.RecommendedAction | Should -Match 'Unified Billing'
            $r.Error.ErrorDetails.RecommendedAction | Should -Not -Match 'Check CLOUDFLARE_API_TOKEN'
            Assert-NoToken $r.Text
        }

        It 'maps 5023 to ChatBadRequest that says to drop -Stream' {
            $r = Invoke-Code 'schema-stream' -Parameters @{ Stream = $true }
            $r.Requests.Count | Should -Be 1
            $r.Error.FullyQualifiedErrorId | Should -Be "ChatBadRequest,$Cmdlet"
            $r.Error.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $r.Error.Exception.Message | Should -Match 'JSON Schema mode is not supported with stream mode'
            $r.Error.ErrorDetails.RecommendedAction | Should -Match 'drop -Stream'
        }

        It 'maps 8001 to ChatBadRequest carrying the server text' {
            $r = Invoke-Code 'invalid-input'
            $r.Requests.Count | Should -Be 1
            $r.Error.FullyQualifiedErrorId | Should -Be "ChatBadRequest,$Cmdlet"
            $r.Error.Exception.ProviderCode | Should -Be '8001'
            $r.Error.Exception.Message | Should -Match 'tool_choice must be auto, none or required'
            $r.Error.ErrorDetails.RecommendedAction | Should -Match 'tool_choice must be auto, none or required'
        }
    }

    Context 'AI Gateway REST API (cf-aig-gateway-id on the Workers AI URL)' {
        It 'reads 2009 as the provider rejecting its credentials, with the stored-keys hint' {
            $r = Invoke-Code 'provider-credentials' -Header @{ 'cf-aig-gateway-id' = 'test-gateway' } -Parameters @{ Model = 'openai/gpt-5-mini' }
            $r.Requests.Count | Should -Be 1
            $r.Requests[0].headers.'cf-aig-gateway-id' | Should -Be 'test-gateway'
            $r.Error.FullyQualifiedErrorId | Should -Be "ChatAuthenticationFailed,$Cmdlet"
            $r.Error.CategoryInfo.Category | Should -Be 'PermissionDenied'
            $r.Error.ErrorDetails.RecommendedAction | Should -Match 'provider rejected the credentials'
            $r.Error.ErrorDetails.RecommendedAction | Should -Match 'bring your own key'
            $r.Error.ErrorDetails.RecommendedAction | Should -Not -Match 'CLOUDFLARE_AI_GATEWAY_TOKEN'
            Assert-NoToken $r.Text
        }

        It 'keeps the gateway-token hint for 2009 on the /compat gateway' {
            $r = Invoke-Code 'provider-credentials' -BaseUrl $GatewayBase -Provider cloudflare-ai-gateway
            $r.Error.FullyQualifiedErrorId | Should -Be "ChatAuthenticationFailed,$Cmdlet"
            $r.Error.ErrorDetails.RecommendedAction | Should -Match 'CLOUDFLARE_AI_GATEWAY_TOKEN'
        }

        It 'reads a Unified Billing credential 503 as ChatAuthenticationFailed and does not retry it' {
            $r = Invoke-Code 'unified-billing-credential' -Header @{ 'cf-aig-gateway-id' = 'test-gateway' } -Parameters @{ Model = 'openai/gpt-5-mini'; MaxRetries = 3 }
            $r.Requests.Count | Should -Be 1
            $r.Error.FullyQualifiedErrorId | Should -Be "ChatAuthenticationFailed,$Cmdlet"
            $r.Error.CategoryInfo.Category | Should -Be 'PermissionDenied'
            $r.Error.Exception.StatusCode | Should -Be 503
            $r.Error.Exception.Attempts | Should -Be 1
            $r.Error.ErrorDetails.RecommendedAction | Should -Match 'Unified Billing credential'
            Assert-NoToken $r.Text
        }

        It 'still retries that 503 where it is not the REST gateway' {
            $r = Invoke-Code 'unified-billing-credential; times=1'
            $r.Error | Should -BeNullOrEmpty
            $r.Requests.Count | Should -Be 2
            $r.Response.Attempts | Should -Be 2
        }
    }

    Context 'OpenAI codes' {
        It 'maps insufficient_quota (429) to ChatQuotaExceeded, not retried' {
            $r = Invoke-Code 'insufficient-quota' -BaseUrl $OpenAiBase -Provider openai -Parameters @{ Model = 'gpt-5-mini'; MaxRetries = 3 }
            $r.Requests.Count | Should -Be 1
            $r.Error.FullyQualifiedErrorId | Should -Be "ChatQuotaExceeded,$Cmdlet"
            $r.Error.CategoryInfo.Category | Should -Be 'QuotaExceeded'
            $r.Error.Exception.StatusCode | Should -Be 429
            $r.Error.Exception.Attempts | Should -Be 1
            $r.Error.ErrorDetails.RecommendedAction | Should -Match 'insufficient_quota'
            $r.Error.ErrorDetails.RecommendedAction | Should -Not -Match 'neurons'
            Assert-NoToken $r.Text
        }

        It 'classifies an invalid_api_key error event inside a 200 stream as ChatAuthenticationFailed (streamed: <Stream>)' -ForEach @(
            @{ Stream = $true }, @{ Stream = $false }
        ) {
            $r = Invoke-Code 'stream-error' -BaseUrl $OpenAiBase -Provider openai -Parameters @{ Model = 'gpt-5-mini'; Stream = $Stream }
            $r.Requests.Count | Should -Be 1
            $r.Error.FullyQualifiedErrorId | Should -Be "ChatAuthenticationFailed,$Cmdlet"
            $r.Error.CategoryInfo.Category | Should -Be 'PermissionDenied'
            $r.Error.Exception.StatusCode | Should -Be 200
            $r.Error.Exception.Message | Should -Match 'Incorrect API key provided'
            $r.Error.ErrorDetails.RecommendedAction | Should -Match 'API key'
            Assert-NoToken $r.Text
        }

        It 'classifies an insufficient_quota event inside a 200 stream as ChatQuotaExceeded' {
            $r = Invoke-Code 'stream-error; code=insufficient_quota' -BaseUrl $OpenAiBase -Provider openai -Parameters @{ Model = 'gpt-5-mini'; Stream = $true }
            $r.Error.FullyQualifiedErrorId | Should -Be "ChatQuotaExceeded,$Cmdlet"
        }

        It 'sends -MaxTokens as max_tokens to an OpenAI-compatible server other than api.openai.com' {
            $r = Invoke-Code '' -BaseUrl $OpenAiBase -Provider openai -Parameters @{ Model = 'gpt-5-mini'; MaxTokens = 64 }
            $r.Error | Should -BeNullOrEmpty
            $body = $r.Requests[0].body | ConvertFrom-Json
            $body.max_tokens | Should -Be 64
            $body.PSObject.Properties.Name | Should -Not -Contain 'max_completion_tokens'
        }
    }
}
