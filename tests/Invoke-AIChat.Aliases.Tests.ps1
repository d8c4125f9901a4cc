# Every alias end to end against the loopback emulator, over real HTTP: POST, the exact path under the
# alias's own path, the exact auth headers, the model sent verbatim, system messages coalesced where the alias says so,
# and the streamed greeting reassembled exactly.
BeforeDiscovery {
    # The expected table (docs/providers/overview.md) is written out here, not read from the module, so a catalog
    # mistake fails.
    $script:AliasRows = @(
        @{ Name = 'cloudflare-workers-ai'; Path = '/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1'; Token = 'CLOUDFLARE_API_TOKEN'; Coalesces = $true; Model = '@cf/meta/llama-3.3-70b-instruct-fp8-fast' }
        @{ Name = 'cloudflare-ai-gateway'; Path = '/v1/${CLOUDFLARE_ACCOUNT_ID}/${CLOUDFLARE_GATEWAY_ID}/compat'; Token = 'CLOUDFLARE_API_TOKEN'; Coalesces = $true; Model = 'workers-ai/@cf/meta/llama-3.3-70b-instruct-fp8-fast' }
        @{ Name = 'cloudflare-ai-gateway-rest'; Path = '/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1'; Token = 'CLOUDFLARE_API_TOKEN'; Coalesces = $true; Model = '@cf/meta/llama-3.3-70b-instruct-fp8-fast'; ExtraHeader = @{ 'cf-aig-gateway-id' = 'test-gateway' } }
        @{ Name = 'openai'; Path = '/v1'; Token = 'OPENAI_API_KEY'; Coalesces = $true; Model = 'gpt-4o-mini' } # any -BaseUrl on openai coalesces
        @{ Name = 'requesty'; Path = '/v1'; Token = 'REQUESTY_API_KEY'; Coalesces = $false; Model = 'openai/gpt-4o-mini' }
        @{ Name = 'azure'; Path = '/openai/v1'; Token = 'AZURE_API_KEY'; Coalesces = $false; Model = 'my-deployment'; ApiKeyHeader = $true }
        @{ Name = 'xai'; Path = '/v1'; Token = 'XAI_API_KEY'; Coalesces = $false; Model = 'grok-3' }
        @{ Name = 'nebius'; Path = '/v1'; Token = 'NEBIUS_API_KEY'; Coalesces = $true; Model = 'Qwen/Qwen3-32B' }
        @{ Name = 'nvidia'; Path = '/v1'; Token = 'NVIDIA_API_KEY'; Coalesces = $true; Model = 'meta/llama-3.1-8b-instruct' }
        @{ Name = 'openrouter'; Path = '/api/v1'; Token = 'OPENROUTER_API_KEY'; Coalesces = $true; Model = 'qwen/qwen3-32b' }
        @{ Name = 'atlascloud'; Path = '/v1'; Token = 'ATLASCLOUD_API_KEY'; Coalesces = $false; Model = 'deepseek-ai/DeepSeek-V3' }
        @{ Name = 'mistral'; Path = '/v1'; Token = 'MISTRAL_API_KEY'; Coalesces = $false; Model = 'mistral-small-latest' }
        @{ Name = 'ollama'; Path = '/v1'; Token = $null; Coalesces = $false; Model = 'llama3.2' }
        @{ Name = 'minimax'; Path = '/v1'; Token = 'MINIMAX_API_KEY'; Coalesces = $false; Model = 'MiniMax-M1' }
        @{ Name = 'baseten'; Path = '/v1'; Token = 'BASETEN_API_KEY'; Coalesces = $true; Model = 'deepseek-ai/DeepSeek-V3-0324' }
        @{ Name = 'ovhcloud'; Path = '/v1'; Token = 'OVH_AI_ENDPOINTS_ACCESS_TOKEN'; Coalesces = $true; Model = 'Qwen3-32B' }
        @{ Name = 'groq'; Path = '/openai/v1'; Token = 'GROQ_API_KEY'; Coalesces = $false; Model = 'llama-3.1-8b-instant' }
        @{ Name = 'fireworks'; Path = '/inference/v1'; Token = 'FIREWORKS_API_KEY'; Coalesces = $true; Model = 'accounts/fireworks/models/llama-v3p1-8b-instruct' }
        @{ Name = 'deepseek'; Path = '/v1'; Token = 'DEEPSEEK_API_KEY'; Coalesces = $false; Model = 'deepseek-chat' }
        @{ Name = 'cerebras'; Path = '/v1'; Token = 'CEREBRAS_API_KEY'; Coalesces = $true; Model = 'llama3.1-8b' }
        @{ Name = 'together'; Path = '/v1'; Token = 'TOGETHER_API_KEY'; Coalesces = $true; Model = 'meta-llama/Llama-3.3-70B-Instruct-Turbo' }
        @{ Name = 'huggingface'; Path = '/v1'; Token = 'HF_TOKEN'; Coalesces = $true; Model = 'Qwen/Qwen3-32B:cerebras' }
        @{ Name = 'moonshot'; Path = '/v1'; Token = 'MOONSHOT_API_KEY'; Coalesces = $false; Model = 'kimi-k2-0711-preview' }
        @{ Name = 'vercel'; Path = '/v1'; Token = 'AI_GATEWAY_API_KEY'; Coalesces = $true; Model = 'openai/gpt-5' }
        @{ Name = 'github-copilot'; Path = ''; Token = 'GITHUB_TOKEN'; Coalesces = $false; Model = 'gpt-4o'; ExtraHeader = @{ 'copilot-integration-id' = 'copilot-developer-cli' } }
        @{ Name = 'opencode-go'; Path = '/zen/go/v1'; Token = 'OPENCODE_API_KEY'; Coalesces = $false; Model = 'kimi-k2' }
        @{ Name = 'opencode-zen'; Path = '/zen/v1'; Token = 'OPENCODE_API_KEY'; Coalesces = $false; Model = 'qwen3-coder' }
    )
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $PSScriptRoot 'TestServer.psm1') -Force
    $script:Saved = Save-AliasEnvironment
    $script:Server = Start-TestServer -Configuration $Configuration
    $script:Greeting = 'Hello from Cloudflare Workers AI — ¡hola! 👋 你好'
    $script:GreetingHeader = [Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($script:Greeting))
}

AfterAll {
    if ($script:Server) { Stop-TestServer -Server $script:Server }
    Restore-AliasEnvironment $script:Saved
}

Describe 'Invoke-AIChat against every alias (<Name>)' -ForEach $AliasRows {
    BeforeEach {
        Clear-AliasEnvironment
        $env:CLOUDFLARE_ACCOUNT_ID = $FakeAccountId
        $env:CLOUDFLARE_GATEWAY_ID = 'test-gateway'
        $script:Key = "fake-$Name-key"
        if ($Token) { [System.Environment]::SetEnvironmentVariable($Token, $script:Key) }
        $script:Run = [guid]::NewGuid().ToString('n')
        $script:BaseUrl = $Server.Uri + $Path
        $script:ExpectedPath = ($Path -replace '\$\{CLOUDFLARE_ACCOUNT_ID\}', $FakeAccountId -replace '\$\{CLOUDFLARE_GATEWAY_ID\}', 'test-gateway') + '/chat/completions'
    }

    It 'streams the greeting back exactly and sends the right request' {
        # 6>&1 takes the streamed text (Information records tagged PSHOST) off the console and into the output.
        $out = Invoke-AIChat 'PING-MARKER' -Provider $Name -Model $Model -BaseUrl $BaseUrl -Stream `
            -SystemPrompt 'A' -Message @(@{ role = 'system'; content = 'B' }) `
            -Header @{ 'X-Emulator-Run' = $Run; 'X-Emulator-Greeting-Base64' = $GreetingHeader } -ErrorAction Stop 6>&1
        $r = @($out | Where-Object { $_ -is [CloudflareAI.ChatResponse] })
        $r.Count | Should -Be 1
        $r = $r[0]
        $info = @($out | Where-Object { $_ -is [System.Management.Automation.InformationRecord] })

        $r.PSObject.TypeNames[0] | Should -Be 'CloudflareAI.ChatResponse'
        $r.Content | Should -BeExactly $Greeting
        $r.Provider | Should -Be $Name
        $r.FinishReason | Should -Be 'stop'
        $r.Attempts | Should -Be 1
        $streamed = -join ($info | Where-Object { $_.Tags -contains 'PSHOST' } | ForEach-Object { $_.MessageData.Message })
        $streamed | Should -BeExactly $Greeting

        $requests = @(Get-TestServerRequest -Server $Server -Run $Run)
        $requests.Count | Should -Be 1
        $req = $requests[0]
        $req.method | Should -Be 'POST'
        $req.path | Should -BeExactly $ExpectedPath
        if ($Token -and -not $ApiKeyHeader) { $req.headers.authorization | Should -BeExactly "Bearer $Key" }
        elseif ($ApiKeyHeader) {
            $req.headers.'api-key' | Should -BeExactly $Key
            $req.headers.PSObject.Properties.Name | Should -Not -Contain 'authorization'
        }
        else { $req.headers.PSObject.Properties.Name | Should -Not -Contain 'authorization' }
        if ($Name -eq 'cloudflare-ai-gateway') { $req.headers.'cf-aig-authorization' | Should -BeExactly "Bearer $Key" }
        else { $req.headers.PSObject.Properties.Name | Should -Not -Contain 'cf-aig-authorization' }
        if ($ExtraHeader) {
            foreach ($h in $ExtraHeader.GetEnumerator()) { $req.headers.($h.Key) | Should -BeExactly $h.Value }
        }
        # Only the REST gateway names its gateway in a header; the others pick nothing by header.
        if ($Name -ne 'cloudflare-ai-gateway-rest') { $req.headers.PSObject.Properties.Name | Should -Not -Contain 'cf-aig-gateway-id' }
        $req.headers.'user-agent' | Should -Match '^CloudflareAI/\d+\.\d+\.\d+'

        $body = $req.body | ConvertFrom-Json
        $body.model | Should -BeExactly $Model
        $body.stream | Should -BeTrue
        $systems = @($body.messages | Where-Object role -eq 'system')
        if ($Coalesces) {
            $systems.Count | Should -Be 1
            $systems[0].content | Should -BeExactly "A`nB"
        }
        else {
            $systems.Count | Should -Be 2
            $systems.content | Should -Be @('A', 'B')
        }
        $body.messages[-1].role | Should -Be 'user'
        $body.messages[-1].content | Should -BeExactly 'PING-MARKER'
    }

    It 'returns the answer as an object without -Stream' {
        $r = Invoke-AIChat 'PING-MARKER' -Provider $Name -Model $Model -BaseUrl $BaseUrl `
            -Header @{ 'X-Emulator-Run' = $Run; 'X-Emulator-Greeting-Base64' = $GreetingHeader } -ErrorAction Stop
        $r.Content | Should -BeExactly $Greeting
        $r.ToString() | Should -BeExactly $Greeting
        $r.Usage.TotalTokens | Should -BeGreaterThan 0
        $r.Messages.Count | Should -Be 2
        $r.Messages[0].Role | Should -Be 'user'
        $r.Messages[1].Role | Should -Be 'assistant'
        ($body = (Get-TestServerRequest -Server $Server -Run $Run)[0].body | ConvertFrom-Json).PSObject.Properties.Name | Should -Not -Contain 'stream'
    }
}
