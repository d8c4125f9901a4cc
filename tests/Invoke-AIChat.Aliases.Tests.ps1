# Every alias end to end against the loopback emulator, over real HTTP: POST, the exact path under the
# alias's own path, the exact auth headers, the model sent verbatim, system messages coalesced where the alias says so,
# and the streamed greeting reassembled exactly.
BeforeDiscovery {
    # The expected table (tests/data/aliases.json, written out by hand and shared with the xunit tests), not the
    # module's, so a catalog mistake fails. The path under the emulator is the alias's own path; an alias without a base
    # URL (azure) is given Azure's. Any -BaseUrl on openai coalesces, as for a self-hosted server.
    $script:AliasRows = foreach ($row in (Get-Content -Raw -LiteralPath (Join-Path $PSScriptRoot 'data/aliases.json') | ConvertFrom-Json).aliases) {
        $extra = $null
        if ($row.headers) {
            $extra = @{}
            foreach ($h in $row.headers.PSObject.Properties) { $extra[$h.Name] = $h.Value -replace '\$\{CLOUDFLARE_GATEWAY_ID\}', 'test-gateway' }
        }
        @{
            Name = $row.name
            Path = if ($row.baseUrl) { $row.baseUrl -replace '^https?://[^/]+', '' } else { '/openai/v1' }
            Token = $row.token
            Coalesces = $row.coalesces -or $row.name -eq 'openai'
            Model = $row.testModel
            ApiKeyHeader = $row.tokenHeader -eq 'api-key'
            ExtraHeader = $extra
        }
    }
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
