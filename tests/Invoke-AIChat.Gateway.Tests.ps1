# AI Gateway over real HTTP against the loopback emulator: the cloudflare-ai-gateway-rest alias, the -Gateway* controls
# and what the gateway says back (ChatResponse.Gateway, -Verbose).
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $PSScriptRoot 'TestServer.psm1') -Force
    $script:Saved = Save-AliasEnvironment
    $script:Server = Start-TestServer -Configuration $Configuration
    $script:RestBase = $Server.Uri + '/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1'
    $script:CompatBase = $Server.Uri + '/v1/${CLOUDFLARE_ACCOUNT_ID}/${CLOUDFLARE_GATEWAY_ID}/compat'
    $script:Token = 'fake-rest-gateway-token-DO-NOT-PRINT-7731'
    $script:UuidV7 = '^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'

    function Set-RestEnvironment {
        Set-TestEnvironment @{
            CLOUDFLARE_API_TOKEN  = $script:Token
            CLOUDFLARE_ACCOUNT_ID = $FakeAccountId
            CLOUDFLARE_GATEWAY_ID = 'rest-gateway'
        }
    }

    function New-Run { [guid]::NewGuid().ToString('n') }

    function Get-Run([string] $Run) { @(Get-TestServerRequest -Server $script:Server -Run $Run) }
}

AfterAll {
    if ($script:Server) { Stop-TestServer -Server $script:Server }
    Restore-AliasEnvironment $script:Saved
}

Describe 'The cloudflare-ai-gateway-rest alias' {
    BeforeEach { Set-RestEnvironment }

    It 'posts to the Workers AI path with cf-aig-gateway-id from CLOUDFLARE_GATEWAY_ID and the token in Authorization only' {
        $run = New-Run
        $r = Invoke-AIChat 'PING' -Provider cloudflare-ai-gateway-rest -BaseUrl $RestBase -Header @{ 'X-Emulator-Run' = $run } -ErrorAction Stop
        $r.Provider | Should -Be 'cloudflare-ai-gateway-rest'
        $r.Model | Should -BeExactly '@cf/meta/llama-3.3-70b-instruct-fp8-fast'
        $req = Get-Run $run
        $req.Count | Should -Be 1
        $req[0].method | Should -Be 'POST'
        $req[0].path | Should -BeExactly "/client/v4/accounts/$FakeAccountId/ai/v1/chat/completions"
        $req[0].headers.'cf-aig-gateway-id' | Should -BeExactly 'rest-gateway'
        $req[0].headers.authorization | Should -BeExactly "Bearer $Token"
        $req[0].headers.PSObject.Properties.Name | Should -Not -Contain 'cf-aig-authorization'
        ($req[0].body | ConvertFrom-Json).model | Should -BeExactly '@cf/meta/llama-3.3-70b-instruct-fp8-fast'
    }

    It 'is not ready without CLOUDFLARE_GATEWAY_ID, and Test-AIProviderEnvironment and Get-AIProviderAlias name it' {
        $env:CLOUDFLARE_GATEWAY_ID = $null
        $t = Test-AIProviderEnvironment cloudflare-ai-gateway-rest
        $t.IsReady | Should -BeFalse
        $t.RequiredVariables | Should -Be @('CLOUDFLARE_ACCOUNT_ID', 'CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_GATEWAY_ID')
        $t.MissingVariables | Should -Be @('CLOUDFLARE_GATEWAY_ID')
        $t.Problems[0] | Should -Match "^CLOUDFLARE_GATEWAY_ID is not set\. .*\`$env:CLOUDFLARE_GATEWAY_ID = '\.\.\.'$"
        Test-AIProviderEnvironment cloudflare-ai-gateway-rest -Quiet | Should -BeFalse
        $a = Get-AIProviderAlias cloudflare-ai-gateway-rest
        $a.IsAvailable | Should -BeFalse
        $a.MissingVariables | Should -Be @('CLOUDFLARE_GATEWAY_ID')
        (Get-AIProviderAlias -Available).Name | Should -Not -Contain 'cloudflare-ai-gateway-rest'
        # Workers AI, which uses the same URL without the header, is ready all the same.
        (Get-AIProviderAlias -Available).Name | Should -Contain 'cloudflare-workers-ai'

        $run = New-Run
        { Invoke-AIChat 'PING' -Provider cloudflare-ai-gateway-rest -BaseUrl $RestBase -Header @{ 'X-Emulator-Run' = $run } } |
            Should -Throw -ErrorId 'ProviderEnvironmentVariableMissing,CloudflareAI.Commands.InvokeAIChatCommand'
        Get-Run $run | Should -BeNullOrEmpty
    }

    It 'is ready with the three variables, and the compat gateway token alone does not make it so' {
        Test-AIProviderEnvironment cloudflare-ai-gateway-rest -Quiet | Should -BeTrue
        (Get-AIProviderAlias -Available).Name | Should -Contain 'cloudflare-ai-gateway-rest'
        Set-TestEnvironment @{ CLOUDFLARE_AI_GATEWAY_TOKEN = 'fake-aig-only'; CLOUDFLARE_ACCOUNT_ID = $FakeAccountId; CLOUDFLARE_GATEWAY_ID = 'rest-gateway' }
        (Test-AIProviderEnvironment cloudflare-ai-gateway-rest).MissingVariables | Should -Be @('CLOUDFLARE_API_TOKEN')
        Test-AIProviderEnvironment cloudflare-ai-gateway -Quiet | Should -BeTrue
    }

    It 'comes after cloudflare-ai-gateway in auto-selection: with every Cloudflare variable set, Workers AI is picked first' {
        # -BaseUrl without -Provider means the openai alias, so this asks without it: -WhatIf sends nothing.
        $verbose = @(Invoke-AIChat 'PING' -WhatIf -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $verbose | Should -Contain "No -Provider given: using 'cloudflare-workers-ai', the first available alias in the auto-selection order."
        # Nothing in the order between the compat gateway and the REST gateway.
        $order = (Get-AIProviderAlias).Name
        $order.IndexOf('cloudflare-ai-gateway-rest') | Should -Be ($order.IndexOf('cloudflare-ai-gateway') + 1)
    }
}

Describe 'The -Gateway* controls' {
    BeforeEach { Set-RestEnvironment }

    It 'sends each control as its cf-aig-* header on <Provider>' -ForEach @(
        @{ Provider = 'cloudflare-ai-gateway-rest'; Base = 'Rest' }
        @{ Provider = 'cloudflare-ai-gateway'; Base = 'Compat' }
    ) {
        $base = if ($Base -eq 'Rest') { $RestBase } else { $CompatBase }
        $run = New-Run
        $r = Invoke-AIChat 'PING' -Provider $Provider -BaseUrl $base -Header @{ 'X-Emulator-Run' = $run } `
            -GatewayCacheTtl 3600 -GatewaySkipCache -GatewayCacheKey 'faq:dns' -GatewayEventId 'trace-42' `
            -GatewayMetadata @{ team = 'docs'; run = 7; nightly = $true; cost = '$5' } -ErrorAction Stop
        $r | Should -Not -BeNullOrEmpty
        $h = (Get-Run $run)[0].headers
        $h.'cf-aig-cache-ttl' | Should -BeExactly '3600'
        $h.'cf-aig-skip-cache' | Should -BeExactly 'true'
        $h.'cf-aig-cache-key' | Should -BeExactly 'faq:dns'
        $h.'cf-aig-event-id' | Should -BeExactly 'trace-42'
        # Compact JSON (a hashtable has no order, so compare the parsed object); '$5' is not a template here.
        $h.'cf-aig-metadata' | Should -Not -Match '\s'
        $meta = $h.'cf-aig-metadata' | ConvertFrom-Json
        @($meta.PSObject.Properties).Count | Should -Be 4
        $meta.team | Should -BeExactly 'docs'
        $meta.run | Should -Be 7
        $meta.run | Should -BeOfType [long]
        $meta.nightly | Should -BeTrue
        $meta.nightly | Should -BeOfType [bool]
        $meta.cost | Should -BeExactly '$5'
        $r.Gateway.EventId | Should -BeExactly 'trace-42'
    }

    It 'sends no cf-aig-* control header when none is given' {
        $run = New-Run
        $null = Invoke-AIChat 'PING' -Provider cloudflare-ai-gateway-rest -BaseUrl $RestBase -Header @{ 'X-Emulator-Run' = $run } -ErrorAction Stop
        $names = (Get-Run $run)[0].headers.PSObject.Properties.Name | Where-Object { $_ -like 'cf-aig-*' }
        @($names) | Should -Be @('cf-aig-gateway-id')
    }

    It 'refuses <Parameter> on openai with GatewayOptionNotSupported before sending' -ForEach @(
        @{ Parameter = 'GatewayCacheTtl'; Value = 600 }
        @{ Parameter = 'GatewaySkipCache'; Value = [switch]$true }
        @{ Parameter = 'GatewayCacheKey'; Value = 'k' }
        @{ Parameter = 'GatewayMetadata'; Value = @{ team = 'docs' } }
        @{ Parameter = 'GatewayEventId'; Value = 'e' }
    ) {
        $env:OPENAI_API_KEY = 'fake-openai-key'
        $run = New-Run
        $p = @{ $Parameter = $Value }
        $e = $null
        try { Invoke-AIChat 'PING' -Provider openai -Model gpt-4o-mini -BaseUrl ($Server.Uri + '/v1') -Header @{ 'X-Emulator-Run' = $run } @p } catch { $e = $_ }
        $e | Should -Not -BeNullOrEmpty
        $e.FullyQualifiedErrorId | Should -Be 'GatewayOptionNotSupported,CloudflareAI.Commands.InvokeAIChatCommand'
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e.Exception.Message | Should -Match "-$Parameter"
        $e.ErrorDetails.RecommendedAction | Should -Match 'cloudflare-ai-gateway-rest'
        Get-Run $run | Should -BeNullOrEmpty
    }

    It 'refuses the controls on cloudflare-workers-ai too: the same URL without cf-aig-gateway-id is no gateway' {
        { Invoke-AIChat 'PING' -Provider cloudflare-workers-ai -BaseUrl $RestBase -GatewaySkipCache } |
            Should -Throw -ErrorId 'GatewayOptionNotSupported,CloudflareAI.Commands.InvokeAIChatCommand'
    }

    It 'refuses <Case> in -GatewayMetadata with ParameterInvalid before sending' -ForEach @(
        @{ Case = 'six entries'; Metadata = @{ a = 1; b = 2; c = 3; d = 4; e = 5; f = 6 }; Said = '6 entries' }
        @{ Case = 'a nested hashtable'; Metadata = @{ team = 'docs'; owner = @{ name = 'x' } }; Said = "'owner' is a nested" }
        @{ Case = 'a nested array'; Metadata = @{ tags = @('a', 'b') }; Said = "'tags' is a nested" }
        @{ Case = 'a [pscustomobject]'; Metadata = @{ who = [pscustomobject]@{ n = 1 } }; Said = "'who' is a nested" }
        @{ Case = 'a $null value'; Metadata = @{ gone = $null }; Said = "'gone' is null" }
    ) {
        $run = New-Run
        $e = $null
        try { Invoke-AIChat 'PING' -Provider cloudflare-ai-gateway-rest -BaseUrl $RestBase -Header @{ 'X-Emulator-Run' = $run } -GatewayMetadata $Metadata } catch { $e = $_ }
        $e.FullyQualifiedErrorId | Should -Be 'ParameterInvalid,CloudflareAI.Commands.InvokeAIChatCommand'
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e.Exception.Message | Should -Match ([regex]::Escape($Said))
        $e.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        $e.TargetObject | Should -Be '-GatewayMetadata'
        Get-Run $run | Should -BeNullOrEmpty
    }

    It 'refuses a cache key with a line break with ParameterInvalid, and a TTL outside 60..2592000 at binding' {
        { Invoke-AIChat 'PING' -Provider cloudflare-ai-gateway-rest -BaseUrl $RestBase -GatewayCacheKey "a`nb" } |
            Should -Throw -ErrorId 'ParameterInvalid,CloudflareAI.Commands.InvokeAIChatCommand'
        { Invoke-AIChat 'PING' -Provider cloudflare-ai-gateway-rest -BaseUrl $RestBase -GatewayCacheTtl 59 } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,CloudflareAI.Commands.InvokeAIChatCommand'
        { Invoke-AIChat 'PING' -Provider cloudflare-ai-gateway-rest -BaseUrl $RestBase -GatewayCacheTtl 2592001 } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,CloudflareAI.Commands.InvokeAIChatCommand'
    }

    It 'shows the controls with -WhatIf and sends nothing' {
        $run = New-Run
        $out = Invoke-AIChat 'PING' -Provider cloudflare-ai-gateway-rest -BaseUrl $RestBase -Header @{ 'X-Emulator-Run' = $run } -GatewayCacheTtl 600 -WhatIf
        $out | Should -BeNullOrEmpty
        Get-Run $run | Should -BeNullOrEmpty
    }
}

Describe 'What the gateway says back' {
    BeforeEach { Set-RestEnvironment }

    It 'fills ChatResponse.Gateway from the cf-aig-* headers: one UUIDv7 for log, request and event, MISS then HIT for a cache key' {
        $key = 'key-' + (New-Run)
        $first = Invoke-AIChat 'PING' -Provider cloudflare-ai-gateway-rest -BaseUrl $RestBase -GatewayCacheKey $key -ErrorAction Stop
        $g = $first.Gateway
        $g.PSObject.TypeNames[0] | Should -Be 'CloudflareAI.GatewayInfo'
        $g.LogId | Should -Match $UuidV7
        $g.RequestId | Should -BeExactly $g.LogId
        $g.EventId | Should -BeExactly $g.LogId
        $g.CacheStatus | Should -Be 'MISS'
        $first.GatewayLogId | Should -BeExactly $g.LogId
        $first.CacheStatus | Should -Be 'MISS'
        $g.Headers['cf-aig-log-id'] | Should -BeExactly $g.LogId
        @($g.Headers.Keys | Where-Object { $_ -notlike 'cf-aig-*' }) | Should -BeNullOrEmpty
        $g.Step | Should -BeNullOrEmpty
        $g.RoutedModel | Should -BeNullOrEmpty

        $second = Invoke-AIChat 'PING' -Provider cloudflare-ai-gateway-rest -BaseUrl $RestBase -GatewayCacheKey $key -ErrorAction Stop
        $second.Gateway.CacheStatus | Should -Be 'HIT'
        $second.CacheStatus | Should -Be 'HIT'
        $second.Gateway.LogId | Should -Not -Be $g.LogId
    }

    It 'names the Auto Router''s choice for cloudflare/auto' {
        $r = Invoke-AIChat 'PING' -Provider cloudflare-ai-gateway-rest -BaseUrl $RestBase -Model 'cloudflare/auto' -ErrorAction Stop
        $r.Gateway.RoutedModel | Should -BeExactly '@cf/meta/llama-3.3-70b-instruct-fp8-fast'
        $r.Gateway.RoutingReason | Should -BeExactly 'cost_optimal_within_pool'
        $r.Gateway.RoutingDecisionId | Should -Match $UuidV7
    }

    It 'names the model, provider and step that served a model alias (custom/...)' {
        $r = Invoke-AIChat 'PING' -Provider cloudflare-ai-gateway-rest -BaseUrl $RestBase -Model 'custom/support-bot' -ErrorAction Stop
        $r.Gateway.Model | Should -BeExactly '@cf/meta/llama-3.3-70b-instruct-fp8-fast'
        $r.Gateway.Provider | Should -BeExactly 'workers-ai'
        $r.Gateway.Step | Should -Be 0
    }

    It 'has no Gateway for a plain Workers AI answer' {
        $r = Invoke-AIChat 'PING' -Provider cloudflare-workers-ai -BaseUrl $RestBase -ErrorAction Stop
        $r.Gateway | Should -BeNullOrEmpty
        $r.GatewayLogId | Should -BeNullOrEmpty
        $r.CacheStatus | Should -BeNullOrEmpty
    }

    It 'fills Gateway on the compat gateway too, with a UUIDv7 log id' {
        $r = Invoke-AIChat 'PING' -Provider cloudflare-ai-gateway -BaseUrl $CompatBase -ErrorAction Stop
        $r.Gateway.LogId | Should -Match $UuidV7
        $r.Gateway.CacheStatus | Should -Be 'MISS'
    }

    It 'names the cache status and log ID in -Verbose, for a streamed answer too' {
        foreach ($stream in $false, $true) {
            $p = @{}
            if ($stream) { $p.Stream = $true }
            $out = Invoke-AIChat 'PING' -Provider cloudflare-ai-gateway-rest -BaseUrl $RestBase -Verbose @p 4>&1 6>$null
            $r = @($out | Where-Object { $_ -is [CloudflareAI.ChatResponse] })[0]
            $verbose = @($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
            $verbose | Should -Contain "AI Gateway: cache status MISS, log ID $($r.Gateway.LogId)."
        }
    }

    It 'never prints the token in any stream, with every control, -Verbose -Debug, errors and a server that echoes the token' {
        $DebugPreference = 'Continue'
        try {
            $all = & {
                Invoke-AIChat 'ok' -Provider cloudflare-ai-gateway-rest -BaseUrl $RestBase -Verbose -Debug -GatewayCacheKey 'k' -GatewayMetadata @{ a = 1 } -GatewayEventId 'e' -GatewayCacheTtl 60 -GatewaySkipCache |
                    Format-List * | Out-String
                Invoke-AIChat 'ok' -Provider cloudflare-ai-gateway-rest -BaseUrl $RestBase -Verbose -Debug -Header @{ 'X-Emulator-Scenario' = 'echo-token-success' } |
                    ForEach-Object { $_ | Format-List * | Out-String; $_.Gateway | Format-List * | Out-String; $_.Gateway.Headers | Out-String }
                Invoke-AIChat 'echo' -Provider cloudflare-ai-gateway-rest -BaseUrl $RestBase -Verbose -Debug -Header @{ 'X-Emulator-Scenario' = 'echo-token' } -ErrorAction Continue
                Invoke-AIChat 'whatif' -Provider cloudflare-ai-gateway-rest -BaseUrl $RestBase -WhatIf -Verbose -Debug -GatewayCacheKey 'k'
                try { Invoke-AIChat 'bad' -Provider openai -Model m -GatewaySkipCache } catch { $_ }
            } *>&1 | ForEach-Object { $_; if ($_ -is [System.Management.Automation.ErrorRecord]) { $_.FullyQualifiedErrorId; $_.Exception.Message; $_.ErrorDetails.RecommendedAction; $_.TargetObject } } |
                Out-String -Width 1000
        }
        finally { $DebugPreference = 'SilentlyContinue' }
        $all | Should -Match 'Authentication error' -Because 'the echoing server must have been reached'
        $all | Should -Match 'AI Gateway: cache status'
        $all | Should -Match 'GatewayOptionNotSupported'
        $all | Should -Match '\*\*\*'
        $all.Contains($Token) | Should -BeFalse
    }
}
