# Runs every script in examples/ in a child pwsh (Invoke-ChildPwsh, from the repo root), as a user, a CI job or a runbook host
# would, against the loopback emulator, and checks its objects, errors, messages and exit code. The scripts get the
# emulator's address only through their -BaseUrl parameter; the child finds the built module on PSModulePath, which is
# what their #Requires -Modules CloudflareAI line asks for.
BeforeDiscovery {
    $ExampleScripts = @(Get-ChildItem -Path (Join-Path (Split-Path $PSScriptRoot -Parent) 'examples') -Filter *.ps1 | ForEach-Object Name | Sort-Object)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $PSScriptRoot 'TestServer.psm1') -Force

    $script:Saved = Save-AliasEnvironment
    # CI markers change what ci-preflight.ps1 prints, and colour codes would get in the way of matching text.
    $script:SavedOther = @{}
    foreach ($name in 'PSModulePath', 'GITHUB_ACTIONS', 'TF_BUILD', 'NO_COLOR') {
        $script:SavedOther[$name] = [System.Environment]::GetEnvironmentVariable($name)
    }
    $env:GITHUB_ACTIONS = $null
    $env:TF_BUILD = $null
    $env:NO_COLOR = '1'

    $moduleRoot = (Resolve-Path -LiteralPath $ModulePath).Path
    if ((Split-Path $moduleRoot -Leaf) -ne 'CloudflareAI') { throw "Expected the module folder to be named CloudflareAI: $moduleRoot" }
    $env:PSModulePath = (Split-Path $moduleRoot -Parent) + [System.IO.Path]::PathSeparator + $env:PSModulePath

    $script:Server = Start-TestServer -Configuration $Configuration
    $script:WorkersBase = $Server.Uri + '/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1'
    $script:GatewayBase = $Server.Uri + '/v1/${CLOUDFLARE_ACCOUNT_ID}/${CLOUDFLARE_GATEWAY_ID}/compat'
    $script:Greeting = 'Hello from the CloudflareAI emulator'
    $script:WorkersToken = 'fake-examples-workers-token'
    $script:GatewayToken = 'fake-examples-gateway-token'
    $script:Work = Join-Path ([System.IO.Path]::GetTempPath()) ('cfai-examples-' + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory -Path $Work

    function ConvertTo-Literal([string] $Text) { "'" + $Text.Replace("'", "''") + "'" }

    # Runs a script the way a CI step or a scheduled task does: pwsh -File with string arguments.
    function Invoke-ExampleFile {
        param([string] $Name, [string[]] $ArgumentList = @())
        Invoke-ChildPwsh -File (Join-Path 'examples' $Name) -ArgumentList $ArgumentList
    }

    # Runs a script the way a calling script does: objects and ErrorRecords come back (through CLIXML files).
    function Invoke-ExampleScript {
        param([string] $Name, [hashtable] $Parameters = @{}, [object[]] $InputObject)
        $id = [guid]::NewGuid().ToString('n')
        $inFile = Join-Path $Work "$id.in.xml"
        $outFile = Join-Path $Work "$id.out.xml"
        @{ Parameters = $Parameters; HasInput = $PSBoundParameters.ContainsKey('InputObject'); InputObject = $InputObject } |
            Export-Clixml -LiteralPath $inFile -Depth 5
        $command = @"
`$in = Import-Clixml -LiteralPath $(ConvertTo-Literal $inFile)
`$p = `$in.Parameters
# What the script writes to its error stream, as a caller sees it (-ErrorVariable would also hold errors the script
# handled itself), and a terminating error if it throws one.
`$all = [System.Collections.Generic.List[object]]::new()
`$thrown = `$null
try {
    if (`$in.HasInput) { `$in.InputObject | & ./examples/$Name @p 2>&1 | ForEach-Object { `$all.Add(`$_) } }
    else { & ./examples/$Name @p 2>&1 | ForEach-Object { `$all.Add(`$_) } }
}
catch { `$thrown = `$_ }
`$out = @(`$all | Where-Object { `$_ -isnot [System.Management.Automation.ErrorRecord] })
`$records = @(@(`$all | Where-Object { `$_ -is [System.Management.Automation.ErrorRecord] }) + @(`$thrown) | Where-Object { `$_ })
[pscustomobject]@{
    Output = @(`$out)
    Errors = @(`$records | ForEach-Object {
        [pscustomobject]@{
            FullyQualifiedErrorId = `$_.FullyQualifiedErrorId
            Message               = `$_.ToString()
            RecommendedAction     = if (`$_.ErrorDetails) { `$_.ErrorDetails.RecommendedAction } else { `$null }
        }
    })
} | Export-Clixml -LiteralPath $(ConvertTo-Literal $outFile) -Depth 5
"@
        $run = Invoke-ChildPwsh -Command $command -Encoded
        if (-not (Test-Path -LiteralPath $outFile)) {
            throw "The child pwsh wrote no result (exit code $($run.ExitCode)): $($run.Text)"
        }
        $result = Import-Clixml -LiteralPath $outFile
        [pscustomobject]@{
            ExitCode = $run.ExitCode
            Output   = @($result.Output)
            Errors   = @($result.Errors)
            Text     = $run.Text + "`n" + (Get-Content -LiteralPath $outFile -Raw)
        }
    }

    function Get-Request { @(Get-TestServerRequest -Server $Server) }
}

AfterAll {
    if ($script:Server) { Stop-TestServer -Server $script:Server }
    if ($script:Work -and (Test-Path -LiteralPath $script:Work)) { Remove-Item -LiteralPath $script:Work -Recurse -Force }
    foreach ($entry in $script:SavedOther.GetEnumerator()) { [System.Environment]::SetEnvironmentVariable($entry.Key, $entry.Value) }
    Restore-AliasEnvironment $script:Saved
}

Describe 'Help of the examples' {
    It 'gives <_> comment-based help: synopsis, description, examples and every parameter described' -ForEach $ExampleScripts {
        $path = Join-Path $RepoRoot "examples/$_"
        $help = Get-Help -Name $path -Full
        # Without comment-based help (a comment before the <# #> block hides it), Get-Help makes the synopsis up from the syntax.
        $help.Synopsis | Should -Not -BeLike "$_ *"
        $help.Synopsis.Length | Should -BeGreaterThan 30
        (@($help.description) | ForEach-Object Text) -join ' ' | Should -Not -BeNullOrEmpty
        @($help.examples.example).Count | Should -BeGreaterOrEqual 2
        $own = (Get-Command -Name $path).Parameters.Keys |
            Where-Object { $_ -notin [System.Management.Automation.PSCmdlet]::CommonParameters -and $_ -notin 'WhatIf', 'Confirm' }
        $undescribed = foreach ($name in $own) {
            $parameter = @($help.parameters.parameter) | Where-Object { $_.name -eq $name }
            if (-not ($parameter -and ((@($parameter.description) | ForEach-Object Text) -join '').Trim())) { $name }
        }
        @($undescribed) | Should -BeNullOrEmpty
    }
}

Describe 'examples/cloudflare-workers-ai.ps1' {
    BeforeEach {
        Clear-TestServerRequest -Server $Server
        Set-TestEnvironment @{ CLOUDFLARE_ACCOUNT_ID = $FakeAccountId; CLOUDFLARE_API_TOKEN = $WorkersToken }
    }

    It 'answers each prompt through the cloudflare-workers-ai alias and writes ChatResponse objects' {
        $run = Invoke-ExampleScript -Name cloudflare-workers-ai.ps1 -Parameters @{
            Prompt    = @('What is DNS?', 'What is BGP?')
            Model     = '@cf/meta/llama-3.3-70b-instruct-fp8-fast'
            MaxTokens = 100
            BaseUrl   = $WorkersBase
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output.Count | Should -Be 2
        $run.Output[0].PSObject.TypeNames | Should -Contain 'Deserialized.CloudflareAI.ChatResponse'
        $run.Output.Content | Should -Be @($Greeting, $Greeting)
        $run.Output.Provider | Should -Be @('cloudflare-workers-ai', 'cloudflare-workers-ai')
        $run.Output | ForEach-Object { @($_.Messages)[-2].Content } | Should -Be @('What is DNS?', 'What is BGP?')

        $requests = Get-Request
        $requests.Count | Should -Be 2
        foreach ($request in $requests) {
            $request.path | Should -BeExactly "/client/v4/accounts/$FakeAccountId/ai/v1/chat/completions"
            $request.headers.authorization | Should -BeExactly "Bearer $WorkersToken"
            $body = $request.body | ConvertFrom-Json
            $body.model | Should -BeExactly '@cf/meta/llama-3.3-70b-instruct-fp8-fast'
            $body.max_tokens | Should -Be 100
            $body.messages[0].role | Should -Be 'system'
        }
        $run.Text | Should -Not -Match ([regex]::Escape($WorkersToken))
    }

    It 'run with -File, exits with code 1 and names the variable to set when CLOUDFLARE_API_TOKEN is missing' {
        $env:CLOUDFLARE_API_TOKEN = $null
        $run = Invoke-ExampleFile -Name cloudflare-workers-ai.ps1 -ArgumentList @('-Prompt', 'Hello', '-BaseUrl', $WorkersBase)
        $run.ExitCode | Should -Be 1
        $run.StdErr | Should -Match 'not set: CLOUDFLARE_API_TOKEN\.'
        $run.StdErr | Should -Match ([regex]::Escape("`$env:CLOUDFLARE_API_TOKEN = '...'"))
        Get-Request | Should -BeNullOrEmpty
    }

    It 'passes -WhatIf through: shows the resolved URL and sends nothing' {
        $run = Invoke-ExampleFile -Name cloudflare-workers-ai.ps1 -ArgumentList @('-Prompt', 'Hello', '-BaseUrl', $WorkersBase, '-WhatIf')
        $run.ExitCode | Should -Be 0
        $run.StdOut | Should -Match ([regex]::Escape("What if: Performing the operation `"POST $($Server.Uri)/client/v4/accounts/$FakeAccountId/ai/v1/chat/completions`""))
        Get-Request | Should -BeNullOrEmpty
        "$($run.StdOut)$($run.StdErr)" | Should -Not -Match ([regex]::Escape($WorkersToken))
    }
}

Describe 'examples/cloudflare-ai-gateway.ps1' {
    BeforeEach {
        Clear-TestServerRequest -Server $Server
        Set-TestEnvironment @{
            CLOUDFLARE_ACCOUNT_ID       = $FakeAccountId
            CLOUDFLARE_GATEWAY_ID       = 'examples-gateway'
            CLOUDFLARE_API_TOKEN        = $WorkersToken
            CLOUDFLARE_AI_GATEWAY_TOKEN = $GatewayToken
        }
    }

    It 'sends the gateway token and the Workers AI key in their own headers, with cache and metadata headers' {
        $run = Invoke-ExampleScript -Name cloudflare-ai-gateway.ps1 -Parameters @{
            Prompt      = 'What is the speed of light in km/s?'
            CacheTtlSec = 3600
            Metadata    = @{ team = 'docs' }
            BaseUrl     = $GatewayBase
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output.Count | Should -Be 1
        $run.Output[0].Content | Should -Be $Greeting
        $run.Output[0].Provider | Should -Be 'cloudflare-ai-gateway'
        $run.Output[0].CacheStatus | Should -Be 'MISS'
        # The emulator's log ids are lowercase UUIDv7, as AI Gateway's are since 2026-10 (the module never checks the shape).
        $run.Output[0].GatewayLogId | Should -Match '^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'

        $request = @(Get-Request)
        $request.Count | Should -Be 1
        $request[0].path | Should -BeExactly "/v1/$FakeAccountId/examples-gateway/compat/chat/completions"
        $request[0].headers.'cf-aig-authorization' | Should -BeExactly "Bearer $GatewayToken"
        $request[0].headers.authorization | Should -BeExactly "Bearer $WorkersToken"
        $request[0].headers.'cf-aig-cache-ttl' | Should -Be '3600'
        $request[0].headers.'cf-aig-metadata' | Should -BeExactly '{"team":"docs"}'
        ($request[0].body | ConvertFrom-Json).model | Should -BeExactly 'workers-ai/@cf/meta/llama-3.3-70b-instruct-fp8-fast'
        $run.Text | Should -Not -Match ([regex]::Escape($WorkersToken))
        $run.Text | Should -Not -Match ([regex]::Escape($GatewayToken))
    }

    It 'stops before sending a workers-ai/ model when only the gateway token is set, naming CLOUDFLARE_API_TOKEN' {
        $env:CLOUDFLARE_API_TOKEN = $null
        $run = Invoke-ExampleScript -Name cloudflare-ai-gateway.ps1 -Parameters @{ Prompt = @('one', 'two'); BaseUrl = $GatewayBase }
        $run.Output | Should -BeNullOrEmpty
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ProviderEnvironmentVariableMissing,*'
        $run.Errors[0].Message | Should -Match 'CLOUDFLARE_API_TOKEN'
        $run.Errors[0].RecommendedAction | Should -Not -BeNullOrEmpty
        Get-Request | Should -BeNullOrEmpty
        $run.Text | Should -Not -Match ([regex]::Escape($GatewayToken))
    }
}

Describe 'examples/cloudflare-ai-gateway-rest.ps1' {
    BeforeEach {
        Clear-TestServerRequest -Server $Server
        Set-TestEnvironment @{
            CLOUDFLARE_ACCOUNT_ID = $FakeAccountId
            CLOUDFLARE_GATEWAY_ID = 'examples-rest-gateway'
            CLOUDFLARE_API_TOKEN  = $WorkersToken
        }
    }

    It 'sends the gateway id header, the token in Authorization and the gateway controls, and writes what the gateway said' {
        $key = 'examples-' + [guid]::NewGuid().ToString('n')
        $run = Invoke-ExampleScript -Name cloudflare-ai-gateway-rest.ps1 -Parameters @{
            Prompt      = @('What is DNS?', 'What is DNS?')
            CacheTtlSec = 3600
            CacheKey    = $key
            Metadata    = @{ team = 'docs' }
            EventId     = 'examples-event'
            BaseUrl     = $WorkersBase
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output.Count | Should -Be 2
        $run.Output[0].PSObject.TypeNames | Should -Contain 'Deserialized.CloudflareAI.ChatResponse'
        $run.Output.Content | Should -Be @($Greeting, $Greeting)
        $run.Output.Provider | Should -Be @('cloudflare-ai-gateway-rest', 'cloudflare-ai-gateway-rest')
        # The same cache key: the second answer comes from the gateway's cache.
        $run.Output.Gateway.CacheStatus | Should -Be @('MISS', 'HIT')
        $run.Output.Gateway.EventId | Should -Be @('examples-event', 'examples-event')
        $run.Output[0].Gateway.LogId | Should -Match '^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'

        $requests = @(Get-Request)
        $requests.Count | Should -Be 2
        foreach ($request in $requests) {
            $request.path | Should -BeExactly "/client/v4/accounts/$FakeAccountId/ai/v1/chat/completions"
            $request.headers.'cf-aig-gateway-id' | Should -BeExactly 'examples-rest-gateway'
            $request.headers.authorization | Should -BeExactly "Bearer $WorkersToken"
            $request.headers.PSObject.Properties.Name | Should -Not -Contain 'cf-aig-authorization'
            $request.headers.'cf-aig-cache-ttl' | Should -Be '3600'
            $request.headers.'cf-aig-cache-key' | Should -BeExactly $key
            $request.headers.'cf-aig-metadata' | Should -BeExactly '{"team":"docs"}'
            $request.headers.'cf-aig-event-id' | Should -BeExactly 'examples-event'
            ($request.body | ConvertFrom-Json).model | Should -BeExactly '@cf/meta/llama-3.3-70b-instruct-fp8-fast'
        }
        $run.Text | Should -Not -Match ([regex]::Escape($WorkersToken))
    }

    It 'stops with the module''s ParameterInvalid before any request when the metadata has six entries' {
        $run = Invoke-ExampleScript -Name cloudflare-ai-gateway-rest.ps1 -Parameters @{
            Prompt   = @('one', 'two')
            Metadata = @{ a = 1; b = 2; c = 3; d = 4; e = 5; f = 6 }
            BaseUrl  = $WorkersBase
        }
        $run.Output | Should -BeNullOrEmpty
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ParameterInvalid,*'
        $run.Errors[0].Message | Should -Match '6 entries'
        $run.Errors[0].RecommendedAction | Should -Not -BeNullOrEmpty
        Get-Request | Should -BeNullOrEmpty
    }

    It 'run with -File, exits with code 1 and names CLOUDFLARE_GATEWAY_ID when it is missing' {
        $env:CLOUDFLARE_GATEWAY_ID = $null
        $run = Invoke-ExampleFile -Name cloudflare-ai-gateway-rest.ps1 -ArgumentList @('-Prompt', 'Hello', '-BaseUrl', $WorkersBase)
        $run.ExitCode | Should -Be 1
        $run.StdErr | Should -Match 'not set: CLOUDFLARE_GATEWAY_ID\.'
        $run.StdErr | Should -Match ([regex]::Escape("`$env:CLOUDFLARE_GATEWAY_ID = '...'"))
        Get-Request | Should -BeNullOrEmpty
        "$($run.StdOut)$($run.StdErr)" | Should -Not -Match ([regex]::Escape($WorkersToken))
    }

    It 'passes -WhatIf through with a routed model: shows the resolved URL and sends nothing' {
        $run = Invoke-ExampleFile -Name cloudflare-ai-gateway-rest.ps1 -ArgumentList @('-Prompt', 'Hello', '-Model', 'cloudflare/auto', '-BaseUrl', $WorkersBase, '-WhatIf')
        $run.ExitCode | Should -Be 0
        $run.StdOut | Should -Match ([regex]::Escape("What if: Performing the operation `"POST $($Server.Uri)/client/v4/accounts/$FakeAccountId/ai/v1/chat/completions`""))
        Get-Request | Should -BeNullOrEmpty
        "$($run.StdOut)$($run.StdErr)" | Should -Not -Match ([regex]::Escape($WorkersToken))
    }
}

Describe 'examples/ci-preflight.ps1' {
    BeforeEach {
        Clear-TestServerRequest -Server $Server
        $env:GITHUB_ACTIONS = $null
    }
    AfterEach { $env:GITHUB_ACTIONS = $null }

    It 'exits with code 0 when the environment is ready, and -Probe sends one one-token request' {
        Set-TestEnvironment @{ CLOUDFLARE_ACCOUNT_ID = $FakeAccountId; CLOUDFLARE_API_TOKEN = $WorkersToken }
        $run = Invoke-ExampleFile -Name ci-preflight.ps1 -ArgumentList @('-Provider', 'cloudflare-workers-ai', '-Probe', '-BaseUrl', $WorkersBase)
        $run.ExitCode | Should -Be 0
        $run.StdOut | Should -Match '(?m)^Name\s+: cloudflare-workers-ai\s+IsReady\s+: True\s+Probe\s+: Passed\s*$'
        $run.StdErr | Should -BeNullOrEmpty
        $requests = @(Get-Request)
        $requests.Count | Should -Be 1
        ($requests[0].body | ConvertFrom-Json).max_tokens | Should -Be 1
        $requests[0].headers.authorization | Should -BeExactly "Bearer $WorkersToken"
        "$($run.StdOut)$($run.StdErr)" | Should -Not -Match ([regex]::Escape($WorkersToken))
    }

    It 'exits with code 1 and names exactly the variable to set when CLOUDFLARE_API_TOKEN is missing' {
        Set-TestEnvironment @{ CLOUDFLARE_ACCOUNT_ID = $FakeAccountId }
        $run = Invoke-ExampleFile -Name ci-preflight.ps1 -ArgumentList @('-Provider', 'cloudflare-workers-ai')
        $run.ExitCode | Should -Be 1
        $run.StdOut | Should -Match 'ERROR: cloudflare-workers-ai: CLOUDFLARE_API_TOKEN is not set\.'
        $run.StdErr | Should -Match 'Set these variables for the job \(tokens as secrets\): CLOUDFLARE_API_TOKEN\.'
        $run.StdOut | Should -Not -Match 'CLOUDFLARE_ACCOUNT_ID is not set'
        $run.StdOut | Should -Not -Match ([regex]::Escape($FakeAccountId))
        Get-Request | Should -BeNullOrEmpty
    }

    It 'writes GitHub Actions annotations and names an unfit value under GITHUB_ACTIONS' {
        Set-TestEnvironment @{ CLOUDFLARE_ACCOUNT_ID = $FakeAccountId; CLOUDFLARE_GATEWAY_ID = 'prod/gw'; CLOUDFLARE_AI_GATEWAY_TOKEN = $GatewayToken }
        $env:GITHUB_ACTIONS = 'true'
        $run = Invoke-ExampleFile -Name ci-preflight.ps1 -ArgumentList @('-Provider', 'cloudflare-ai-gateway')
        $run.ExitCode | Should -Be 1
        $run.StdOut | Should -Match '(?m)^::error title=CloudflareAI preflight::cloudflare-ai-gateway: CLOUDFLARE_GATEWAY_ID contains'
        $run.StdErr | Should -Match 'Set these variables for the job \(tokens as secrets\): CLOUDFLARE_GATEWAY_ID\.'
        "$($run.StdOut)$($run.StdErr)" | Should -Not -Match ([regex]::Escape($GatewayToken))
    }

    It 'with -Probe, fails the job when a workers-ai/ model has no provider key although the gateway is ready' {
        Set-TestEnvironment @{ CLOUDFLARE_ACCOUNT_ID = $FakeAccountId; CLOUDFLARE_GATEWAY_ID = 'examples-gateway'; CLOUDFLARE_AI_GATEWAY_TOKEN = $GatewayToken }
        $run = Invoke-ExampleFile -Name ci-preflight.ps1 -ArgumentList @('-Provider', 'cloudflare-ai-gateway', '-Probe', '-BaseUrl', $GatewayBase)
        $run.ExitCode | Should -Be 1
        $run.StdOut | Should -Match 'ERROR: cloudflare-ai-gateway: .*CLOUDFLARE_API_TOKEN'
        $run.StdErr | Should -Match 'CloudflareAI preflight failed for cloudflare-ai-gateway\.'
        Get-Request | Should -BeNullOrEmpty
        "$($run.StdOut)$($run.StdErr)" | Should -Not -Match ([regex]::Escape($GatewayToken))
    }

    It 'with -Probe, fails the job with the ErrorId when the request fails' {
        Set-TestEnvironment @{ CLOUDFLARE_ACCOUNT_ID = $FakeAccountId; CLOUDFLARE_API_TOKEN = $WorkersToken }
        # A loopback port with nothing listening: the connection is refused at once.
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $port = $listener.LocalEndpoint.Port
        $listener.Stop()
        $closed = "http://127.0.0.1:$port" + '/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1'
        $run = Invoke-ExampleFile -Name ci-preflight.ps1 -ArgumentList @('-Probe', '-MaxRetries', '0', '-BaseUrl', $closed)
        $run.ExitCode | Should -Be 1
        $run.StdOut | Should -Match 'ERROR: cloudflare-workers-ai: the probe request failed \(ChatConnectionFailed\)'
        $run.StdOut | Should -Match '(?m)^Name\s+: cloudflare-workers-ai\s+IsReady\s+: False\s+Probe\s+: Failed\s*$'
        "$($run.StdOut)$($run.StdErr)" | Should -Not -Match ([regex]::Escape($WorkersToken))
    }

    It 'with -Online, exits with code 0 when the host accepts the token, sending only read-only GETs' {
        Set-TestEnvironment @{ OPENAI_API_KEY = $WorkersToken }
        $run = Invoke-ExampleFile -Name ci-preflight.ps1 -ArgumentList @('-Provider', 'openai', '-Online', '-BaseUrl', ($Server.Uri + '/v1'))
        $run.ExitCode | Should -Be 0
        $run.StdOut | Should -Match '(?m)^Online\s+: Passed\s*$'
        $run.StdErr | Should -BeNullOrEmpty
        $requests = @(Get-Request)
        $requests.Count | Should -Be 1
        $requests[0].method | Should -Be 'GET'
        $requests[0].path | Should -Be '/v1/models'
        "$($run.StdOut)$($run.StdErr)" | Should -Not -Match ([regex]::Escape($WorkersToken))
    }

    It 'with -Online, fails the job with the check and its fix when Cloudflare refuses the token' {
        $revoked = 'fake-examples-revoked-token'
        Set-TestEnvironment @{ CLOUDFLARE_ACCOUNT_ID = $FakeAccountId; CLOUDFLARE_API_TOKEN = $revoked }
        $run = Invoke-ExampleFile -Name ci-preflight.ps1 -ArgumentList @('-Provider', 'cloudflare-workers-ai', '-Online', '-Probe', '-BaseUrl', $WorkersBase)
        $run.ExitCode | Should -Be 1
        $run.StdOut | Should -Match 'ERROR: cloudflare-workers-ai: Token: Cloudflare does not accept CLOUDFLARE_API_TOKEN'
        $run.StdOut | Should -Match '(?m)^Online\s+: Failed\s*$'
        # A failed online check makes the environment not ready, so no chat probe is sent.
        $run.StdOut | Should -Match '(?m)^Probe\s+: NotRun\s*$'
        @(Get-Request | Where-Object method -EQ 'POST') | Should -BeNullOrEmpty
        "$($run.StdOut)$($run.StdErr)" | Should -Not -Match ([regex]::Escape($revoked))
    }
}

Describe 'examples/summarize-batch.ps1' {
    BeforeEach {
        Clear-TestServerRequest -Server $Server
        Set-TestEnvironment @{ CLOUDFLARE_ACCOUNT_ID = $FakeAccountId; CLOUDFLARE_API_TOKEN = $WorkersToken }
    }

    It 'summarises items in parallel, writes one result per item in input order, and reports failed items without stopping' {
        $items = @(
            'A short incident.'
            [pscustomobject]@{ Id = 'ticket-42'; Text = 'A longer incident report. ' * 8 }
            ''
            'x' * 600
            'The longest incident report in the batch. ' * 10
            'A middling incident, with some detail. ' * 4
        )
        $run = Invoke-ExampleScript -Name summarize-batch.ps1 -InputObject $items -Parameters @{
            ThrottleLimit = 4
            MaxCharacters = 500
            BaseUrl       = $WorkersBase
            # The first request to arrive gets a 404 (not retried); each request is held until all four have arrived.
            Header        = @{ 'X-Emulator-Scenario' = 'not-found; times=1'; 'X-Emulator-Run' = 'batch'; 'X-Emulator-Gather' = '4' }
        }

        $run.Output.Count | Should -Be 6
        $run.Output.Id | Should -Be @('item-1', 'ticket-42', 'item-3', 'item-4', 'item-5', 'item-6')
        $run.Output[0].PSObject.TypeNames | Should -Contain 'Deserialized.CloudflareAI.Example.BatchSummary'
        $run.Output[2].Status | Should -Be 'Failed'
        $run.Output[2].ErrorId | Should -Be 'ItemEmpty'
        $run.Output[3].Status | Should -Be 'Failed'
        $run.Output[3].ErrorId | Should -Be 'ItemTooLong'

        # Four items were sent; the emulator failed exactly one of them, and that one alone.
        $sent = @($run.Output | Where-Object { $_.Id -notin 'item-3', 'item-4' })
        $failed = @($sent | Where-Object Status -EQ 'Failed')
        $failed.Count | Should -Be 1
        $failed[0].ErrorId | Should -Be 'ChatModelNotFound'
        $failed[0].Retryable | Should -BeFalse
        $failed[0].RecommendedAction | Should -Not -BeNullOrEmpty
        $succeeded = @($sent | Where-Object Status -EQ 'Succeeded')
        $succeeded.Count | Should -Be 3
        $succeeded.Summary | Should -Be @($Greeting, $Greeting, $Greeting)

        # The emulator counts prompt tokens from the text's length, so each answer was matched to its own item:
        # the longer the item's text, the more tokens its result reports.
        $lengths = @{ 'item-1' = $items[0].Length; 'ticket-42' = $items[1].Text.Length; 'item-5' = $items[4].Length; 'item-6' = $items[5].Length }
        $byLength = @($succeeded | Sort-Object { $lengths[$_.Id] })
        for ($i = 1; $i -lt $byLength.Count; $i++) {
            $byLength[$i].TotalTokens | Should -BeGreaterThan $byLength[$i - 1].TotalTokens
        }

        # One non-terminating error at the end names the failed items.
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -Be 'BatchItemsFailed,summarize-batch.ps1'
        $named = ($run.Output | Where-Object Status -EQ 'Failed' | ForEach-Object { "$($_.Id) ($($_.ErrorId))" }) -join ', '
        $named | Should -Match 'item-3 \(ItemEmpty\), item-4 \(ItemTooLong\)'
        $run.Errors[0].Message | Should -BeExactly "3 of 6 item(s) failed: $named."


        # -ThrottleLimit 4: all four requests were in flight together, or the emulator, which held each one until all
        # four had arrived, would have answered none of them.
        $requests = @(Get-TestServerRequest -Server $Server -Run batch)
        $requests.Count | Should -Be 4
        (Get-TestServerStatus -Server $Server -Run batch).run.peakInFlight | Should -Be 4
        $requests | ForEach-Object { ($_.body | ConvertFrom-Json).messages[0].content } | Select-Object -Unique |
            Should -BeLike 'Summarise the text*'
        $run.Text | Should -Not -Match ([regex]::Escape($WorkersToken))
    }

    It 'summarises files from -Path and fails a path that does not exist as one item' {
        $folder = Join-Path $Work ([guid]::NewGuid().ToString('n'))
        $null = New-Item -ItemType Directory -Path $folder
        Set-Content -LiteralPath (Join-Path $folder 'a.log') -Value 'Disk full on build agent 7.' -NoNewline
        Set-Content -LiteralPath (Join-Path $folder 'b.log') -Value 'Certificate for api.example.com expires in 3 days.' -NoNewline
        $missing = Join-Path $folder 'missing.log'
        $run = Invoke-ExampleScript -Name summarize-batch.ps1 -Parameters @{
            Path    = @((Join-Path $folder '*.log'), $missing)
            BaseUrl = $WorkersBase
        }
        $run.Output.Id | Should -Be @('a.log', 'b.log', $missing)
        $run.Output.Status | Should -Be @('Succeeded', 'Succeeded', 'Failed')
        $run.Output[2].ErrorId | Should -Be 'PathNotFound'
        $run.Errors.FullyQualifiedErrorId | Should -Be 'BatchItemsFailed,summarize-batch.ps1'
        $prompts = @(Get-Request) | ForEach-Object { ($_.body | ConvertFrom-Json).messages[-1].content } | Sort-Object
        $prompts | Should -Be @('Certificate for api.example.com expires in 3 days.', 'Disk full on build agent 7.')
    }

    It 'stops before any request, with the module''s ErrorId, when a variable is missing' {
        $env:CLOUDFLARE_ACCOUNT_ID = $null
        $run = Invoke-ExampleScript -Name summarize-batch.ps1 -InputObject @('one', 'two') -Parameters @{ BaseUrl = $WorkersBase }
        $run.Output | Should -BeNullOrEmpty
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -Be 'ProviderEnvironmentVariableMissing,summarize-batch.ps1'
        $run.Errors[0].Message | Should -Match 'CLOUDFLARE_ACCOUNT_ID'
        Get-Request | Should -BeNullOrEmpty
    }
}

Describe 'examples/tool-runbook.ps1' {
    BeforeEach {
        Clear-TestServerRequest -Server $Server
        Set-TestEnvironment @{ CLOUDFLARE_ACCOUNT_ID = $FakeAccountId; CLOUDFLARE_API_TOKEN = $WorkersToken }
    }

    It 'lets the model call two read-only commands with -Confirm:$false, each once, and answers with their output' {
        $run = Invoke-ExampleScript -Name tool-runbook.ps1 -Parameters @{
            Provider = 'cloudflare-workers-ai'; Model = '@emulator/tool-caller'; BaseUrl = $WorkersBase; Confirm = $false
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output.Count | Should -Be 1
        $requests = Get-Request
        $requests.Count | Should -Be 2
        $first = $requests[0].body | ConvertFrom-Json
        @($first.tools.function.name) | Should -Be @('Get-Date', 'Get-TimeZone')
        $results = @(($requests[1].body | ConvertFrom-Json).messages | Where-Object role -EQ 'tool')
        $results.Count | Should -Be 2
        $results[0].content | ConvertFrom-Json | Should -BeOfType [datetime]
        ($results[1].content | ConvertFrom-Json).Id | Should -Be ([System.TimeZoneInfo]::Local.Id)
        $run.Output[0].Content | Should -BeExactly ('Tool results: ' + ($results.content -join ' | '))
        @($run.Output[0].Messages | ForEach-Object Role) | Should -Be @('system', 'user', 'assistant', 'tool', 'tool', 'assistant')
        $run.Text | Should -Not -Match ([regex]::Escape($WorkersToken))
    }

    It 'run with -File where nobody can confirm, runs no command and says why' {
        $run = Invoke-ExampleFile -Name tool-runbook.ps1 -ArgumentList @('-Provider', 'cloudflare-workers-ai', '-Model', '@emulator/tool-caller', '-BaseUrl', $WorkersBase, '-Command', 'Get-Date')
        $run.ExitCode | Should -Be 0
        $run.StdOut | Should -Match 'Get-Date was not run: -InvokeTool Confirm could not ask'
        $run.StdOut | Should -Match ([regex]::Escape('Tool results: {"error":"The tool was not run: nobody could confirm it."}'))
    }

    It 'passes -WhatIf through: sends nothing and runs nothing' {
        $run = Invoke-ExampleFile -Name tool-runbook.ps1 -ArgumentList @('-Provider', 'cloudflare-workers-ai', '-Model', '@emulator/tool-caller', '-BaseUrl', $WorkersBase, '-WhatIf')
        $run.ExitCode | Should -Be 0
        $run.StdOut | Should -Match 'What if: Performing the operation "POST '
        Get-Request | Should -BeNullOrEmpty
    }

    It 'refuses a command that can change something before any request' {
        $run = Invoke-ExampleScript -Name tool-runbook.ps1 -Parameters @{ Command = 'Remove-Item'; BaseUrl = $WorkersBase; Confirm = $false }
        $run.Errors[0].Message | Should -Match "has the verb 'Remove'"
        Get-Request | Should -BeNullOrEmpty
    }
}
