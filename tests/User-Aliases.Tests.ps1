# User aliases over the built module: the providers file in a temporary folder (never the user's own), Register- and
# Unregister-AIProviderAlias, Source, overrides, autoSelect, gateway user aliases, a broken file, completion, two
# writers at once, and the shipped schema checked by a standard JSON Schema validator.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $PSScriptRoot 'TestServer.psm1') -Force
    $script:Saved = Save-AliasEnvironment
    $script:SavedOther = @{}
    foreach ($name in 'CLOUDFLAREAI_PROVIDERS_FILE', 'VLLM_PORT', 'WORK_ACCOUNT_ID', 'WORK_GATEWAY_ID', 'WORK_AIG_TOKEN', 'WORK_API_TOKEN', 'LAB_KEY') {
        $script:SavedOther[$name] = [System.Environment]::GetEnvironmentVariable($name)
    }
    $script:Server = Start-TestServer -Configuration $Configuration
    $script:Port = ([uri]$Server.Uri).Port
    $script:Root = Join-Path ([System.IO.Path]::GetTempPath()) ("cloudflareai-users-" + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory -Path $Root
    $script:ModuleManifest = (Get-ChildItem -Path $ModulePath -Recurse -Filter 'CloudflareAI.psd1' | Select-Object -First 1).FullName
    $script:Schema = Join-Path (Split-Path $ModuleManifest -Parent) 'CloudflareAI.providers.schema.json'

    # A new providers file of its own for each test.
    function New-ProvidersFile([string] $Text) {
        $folder = Join-Path $Root ([guid]::NewGuid().ToString('n'))
        $path = Join-Path $folder 'providers.json'
        if ($PSBoundParameters.ContainsKey('Text')) {
            $null = New-Item -ItemType Directory -Path $folder
            [System.IO.File]::WriteAllText($path, $Text)
        }
        $env:CLOUDFLAREAI_PROVIDERS_FILE = $path
        $path
    }

    # Runs a script in a fresh pwsh with the built module imported (it inherits this session's providers file).
    function Invoke-FreshPwsh([string] $Script) {
        Invoke-ChildPwsh -ImportModule -Command "`$ErrorActionPreference = 'Stop'; $Script"
    }
}

AfterAll {
    if ($script:Server) { Stop-TestServer -Server $script:Server }
    foreach ($entry in $script:SavedOther.GetEnumerator()) { [System.Environment]::SetEnvironmentVariable($entry.Key, $entry.Value) }
    Restore-AliasEnvironment $script:Saved
    if ($script:Root -and (Test-Path $script:Root)) { Remove-Item -LiteralPath $script:Root -Recurse -Force }
}

Describe 'Register-AIProviderAlias and Invoke-AIChat in a fresh pwsh' {
    It 'registers my-vllm and the next fresh process reaches the emulator through it' {
        $path = New-ProvidersFile
        $env:VLLM_PORT = $Port
        Clear-TestServerRequest -Server $Server
        $register = Invoke-FreshPwsh "Register-AIProviderAlias my-vllm -BaseUrl 'http://127.0.0.1:`${VLLM_PORT}/v1' -DefaultModel m | Out-Null"
        $register.ExitCode | Should -Be 0 -Because $register.Text
        Test-Path -LiteralPath $path | Should -BeTrue

        $chat = Invoke-FreshPwsh "Invoke-AIChat hi -Provider my-vllm | ForEach-Object Content"
        $chat.ExitCode | Should -Be 0 -Because $chat.Text
        $chat.Text | Should -Match 'Hello from the CloudflareAI emulator'
        $requests = @(Get-TestServerRequest -Server $Server)
        $requests.Count | Should -Be 1
        $requests[0].path | Should -Be '/v1/chat/completions'
        ($requests[0].body | ConvertFrom-Json).model | Should -Be 'm'
        $requests[0].headers.PSObject.Properties.Name | Should -Not -Contain 'authorization'
    }

    It 'writes a file that names the shipped schema and holds only the fields given' {
        $path = New-ProvidersFile
        Register-AIProviderAlias lab -BaseUrl 'http://127.0.0.1:${VLLM_PORT}/v1' -TokenVariable LAB_KEY -TokenHeader api-key `
            -Header @{ 'X-Team' = 'ml' } -CoalesceSystemMessages -Description 'Lab server' | Out-Null
        $json = Get-Content -LiteralPath $path -Raw | ConvertFrom-Json
        $json.'$schema' | Should -Be ([System.Uri]::new($Schema)).AbsoluteUri
        $entry = $json.providers[0]
        $entry.PSObject.Properties.Name | Should -Be @('name', 'baseUrl', 'tokenVariable', 'tokenHeader', 'headers', 'coalescesSystemMessages', 'description')
        $entry.headers.'X-Team' | Should -Be 'ml'
        $entry.coalescesSystemMessages | Should -BeTrue
    }

    It 'refuses a literal Authorization value with ProviderConfigInvalid naming file, entry and header, writes nothing and never shows the value' {
        $path = New-ProvidersFile
        $secret = 'sk-live-FAKE-0123456789abcdef'
        $all = Register-AIProviderAlias work -BaseUrl 'https://llm.example/v1' -Header @{ Authorization = "Bearer $secret" } -ErrorVariable errs -ErrorAction SilentlyContinue -Verbose *>&1
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'ProviderConfigInvalid,CloudflareAI.Commands.RegisterAIProviderAliasCommand'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $errs[0].Exception.Message | Should -Match ([regex]::Escape($path))
        $errs[0].Exception.Message | Should -Match "entry 'work'"
        $errs[0].Exception.Message | Should -Match "header 'Authorization' holds a literal value"
        $errs[0].ErrorDetails.RecommendedAction | Should -Match '\$\{'
        ($all | Out-String) + ($errs | Out-String) | Should -Not -Match $secret
        Test-Path -LiteralPath $path | Should -BeFalse
    }

    It 'refuses a bad template, a bad name and an existing name without -Force' {
        $null = New-ProvidersFile
        Register-AIProviderAlias bad -BaseUrl 'http://h:${PORT/v1' -ErrorVariable e1 -ErrorAction SilentlyContinue
        $e1[0].FullyQualifiedErrorId | Should -BeLike 'UrlTemplateInvalid,*'
        Register-AIProviderAlias 'My_Alias' -BaseUrl 'http://127.0.0.1:1/v1' -ErrorVariable e2 -ErrorAction SilentlyContinue
        $e2[0].FullyQualifiedErrorId | Should -BeLike 'ParameterInvalid,*'
        Register-AIProviderAlias dup -BaseUrl 'http://127.0.0.1:1/v1' | Out-Null
        Register-AIProviderAlias dup -BaseUrl 'http://127.0.0.1:2/v1' -ErrorVariable e3 -ErrorAction SilentlyContinue
        $e3[0].FullyQualifiedErrorId | Should -Be 'ProviderAliasExists,CloudflareAI.Commands.RegisterAIProviderAliasCommand'
        (Register-AIProviderAlias dup -BaseUrl 'http://127.0.0.1:2/v1' -Force).BaseUrlTemplate | Should -Be 'http://127.0.0.1:2/v1'
        Register-AIProviderAlias openai -BaseUrl 'https://api.openai.com/v1' -DefaultModel gpt-5-mini -ErrorVariable e4 -ErrorAction SilentlyContinue
        $e4[0].FullyQualifiedErrorId | Should -BeLike 'ProviderAliasExists,*'
    }

    It '-WhatIf writes nothing' {
        $path = New-ProvidersFile
        Register-AIProviderAlias what -BaseUrl 'http://127.0.0.1:1/v1' -WhatIf | Should -BeNullOrEmpty
        Test-Path -LiteralPath $path | Should -BeFalse
    }
}

Describe 'Two writers at once' {
    It 'two child processes registering different names at the same moment lose neither entry' {
        $path = New-ProvidersFile
        $manifest = $ModuleManifest.Replace("'", "''")
        $null = New-Item -ItemType Directory -Path (Split-Path $path)
        $barrier = Join-Path (Split-Path $path) 'go'
        $count = 25
        $jobs = foreach ($who in 'a', 'b') {
            # Each child imports the module, says it is ready, waits for the parent's go, then registers as fast as it can.
            $script = "Import-Module '$manifest'; Register-AIProviderAlias '$who-0' -BaseUrl 'http://127.0.0.1:1/v1' -WhatIf 6>`$null | Out-Null; " +
                "[IO.File]::WriteAllText('$barrier.$who', ''); while (-not [IO.File]::Exists('$barrier')) { [Threading.Thread]::Sleep(5) }; " +
                "1..$count | ForEach-Object { Register-AIProviderAlias ('$who-' + `$_) -BaseUrl 'http://127.0.0.1:1/v1' -ErrorAction Stop | Out-Null }"
            $process = Invoke-ChildPwsh -PassThru -Command $script -Environment @{ CLOUDFLAREAI_PROVIDERS_FILE = $path }
            [pscustomobject]@{ Process = $process; Error = $process.StandardError.ReadToEndAsync(); Output = $process.StandardOutput.ReadToEndAsync() }
        }
        # Both are loaded and waiting: let them go together.
        $ready = { (Test-Path -LiteralPath "$barrier.a") -and (Test-Path -LiteralPath "$barrier.b") }
        for ($i = 0; $i -lt 1200 -and -not (& $ready) -and -not ($jobs.Process | Where-Object HasExited); $i++) { Start-Sleep -Milliseconds 100 }
        & $ready | Should -BeTrue -Because "both children should have started: $($jobs | ForEach-Object { if ($_.Process.HasExited) { $_.Error.Result } })"
        [System.IO.File]::WriteAllText($barrier, '')
        foreach ($job in $jobs) {
            $job.Process.WaitForExit(120000) | Should -BeTrue
            $job.Process.ExitCode | Should -Be 0 -Because $job.Error.Result
        }
        $names = (Get-Content -LiteralPath $path -Raw | ConvertFrom-Json).providers.name | Sort-Object
        $expected = foreach ($who in 'a', 'b') { 1..$count | ForEach-Object { "$who-$_" } }
        $names | Should -Be ($expected | Sort-Object)
        # Only the file, its lock and the test's markers remain: no temporary file left behind.
        (Get-ChildItem -LiteralPath (Split-Path $path) -Force).Name | Sort-Object | Should -Be @('go', 'go.a', 'go.b', 'providers.json', 'providers.json.lock')
    }
}

Describe 'Get-AIProviderAlias, availability, completion' {
    BeforeAll {
        $script:File = New-ProvidersFile (@{
                providers = @(
                    @{ name = 'my-vllm'; baseUrl = 'http://127.0.0.1:${VLLM_PORT}/v1'; defaultModel = 'm'; description = 'vLLM here' }
                    @{ name = 'cloudflare-workers-ai'; defaultModel = '@cf/openai/gpt-oss-120b' }
                )
            } | ConvertTo-Json -Depth 5)
    }
    BeforeEach { $env:CLOUDFLAREAI_PROVIDERS_FILE = $File }

    It 'shows Source User, Builtin and Builtin+User, and the table view has the Source column' {
        (Get-AIProviderAlias my-vllm).Source | Should -Be 'User'
        (Get-AIProviderAlias openai).Source | Should -Be 'Builtin'
        $cf = Get-AIProviderAlias cloudflare-workers-ai
        $cf.Source | Should -Be 'Builtin+User'
        $cf.DefaultModel | Should -Be '@cf/openai/gpt-oss-120b'
        $cf.BaseUrlTemplate | Should -Be 'https://api.cloudflare.com/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1'
        (Get-AIProviderAlias my-* | Format-Table | Out-String -Width 200) | Should -Match 'Source[\s\S]+my-vllm\s+\w+\s+User'
        (Get-AIProviderAlias | Where-Object Source -ne Builtin).Name | Should -Be @('cloudflare-workers-ai', 'my-vllm')
    }

    It 'counts a user alias available by the one rule, in Get-AIProviderAlias -Available and Test-AIProviderEnvironment' {
        Remove-Item Env:VLLM_PORT -ErrorAction SilentlyContinue
        (Get-AIProviderAlias -Available).Name | Should -Not -Contain 'my-vllm'
        $result = Test-AIProviderEnvironment my-vllm
        $result.IsReady | Should -BeFalse
        $result.MissingVariables | Should -Be @('VLLM_PORT')
        $env:VLLM_PORT = $Port
        (Get-AIProviderAlias -Available).Name | Should -Contain 'my-vllm'
        Test-AIProviderEnvironment my-vllm -Quiet | Should -BeTrue
    }

    It 'completes user aliases after -Provider and -Name, and only file entries for Unregister-AIProviderAlias' {
        $line = 'Invoke-AIChat hi -Provider my-'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('my-vllm')
        $line = 'Get-AIProviderAlias my-'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('my-vllm')
        $line = 'Unregister-AIProviderAlias '
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('my-vllm', 'cloudflare-workers-ai')
    }

    It 'sends the overridden default model of a built-in alias' {
        Set-TestEnvironment @{ CLOUDFLARE_ACCOUNT_ID = $FakeAccountId; CLOUDFLARE_API_TOKEN = 'fake-cf-token' }
        $run = [guid]::NewGuid().ToString('n')
        $r = Invoke-AIChat 'PING' -Provider cloudflare-workers-ai -BaseUrl ($Server.Uri + '/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1') -Header @{ 'X-Emulator-Run' = $run }
        $r.Model | Should -Not -BeNullOrEmpty
        (((Get-TestServerRequest -Server $Server -Run $run)[0]).body | ConvertFrom-Json).model | Should -Be '@cf/openai/gpt-oss-120b'
    }

    It 're-reads the file when it changes, within the same process' {
        $path = New-ProvidersFile '{ "providers": [ { "name": "first", "baseUrl": "http://127.0.0.1:1/v1" } ] }'
        (Get-AIProviderAlias first).Source | Should -Be 'User'
        [System.IO.File]::WriteAllText($path, '{ "providers": [ { "name": "second", "baseUrl": "http://127.0.0.1:1/v1" } ] }')
        (Get-Item -LiteralPath $path).LastWriteTimeUtc = [datetime]::UtcNow.AddMinutes(1)
        (Get-AIProviderAlias second).Source | Should -Be 'User'
        Get-AIProviderAlias first -ErrorAction SilentlyContinue -ErrorVariable errs | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'ProviderAliasNotFound,*'
    }
}

Describe 'Auto-selection, token headers and gateway user aliases' {
    BeforeEach { Clear-AliasEnvironment; $env:VLLM_PORT = $Port }

    It 'autoSelect puts a user alias first: Invoke-AIChat without -Provider uses it' {
        $null = New-ProvidersFile (@{ autoSelect = @('my-vllm', 'cloudflare-workers-ai'); providers = @(@{ name = 'my-vllm'; baseUrl = 'http://127.0.0.1:${VLLM_PORT}/v1'; defaultModel = 'm' }) } | ConvertTo-Json -Depth 5)
        $env:CLOUDFLARE_ACCOUNT_ID = $FakeAccountId
        $env:CLOUDFLARE_API_TOKEN = 'fake-cf-token'
        $out = Invoke-AIChat 'PING' -Verbose 4>&1
        ($out | Where-Object { $_ -is [CloudflareAI.ChatResponse] }).Provider | Should -Be 'my-vllm'
        ($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match "using 'my-vllm'"
        # With the user alias not available, the next one in the file's order is used.
        Remove-Item Env:VLLM_PORT
        Invoke-AIChat 'PING' -WhatIf -Verbose 4>&1 | Out-String | Should -Match "using 'cloudflare-workers-ai'"
    }

    It 'an autoSelect that leaves every available alias out ends in ProviderNotConfigured' {
        $null = New-ProvidersFile '{ "autoSelect": [ "azure" ] }'
        $env:OPENAI_API_KEY = 'fake-openai'
        { Invoke-AIChat 'PING' -Model x -ErrorAction Stop } | Should -Throw -ErrorId 'ProviderNotConfigured,CloudflareAI.Commands.InvokeAIChatCommand'
    }

    It 'sends the token in the tokenHeader as it is, and header templates from the environment' {
        $null = New-ProvidersFile (@{ providers = @(@{ name = 'lab'; baseUrl = 'http://127.0.0.1:${VLLM_PORT}/v1'; tokenVariable = 'LAB_KEY'; tokenHeader = 'api-key'; headers = @{ 'X-Lab-Auth' = 'Token ${LAB_KEY}' } }) } | ConvertTo-Json -Depth 5)
        $env:LAB_KEY = 'fake-lab-key-42'
        $run = [guid]::NewGuid().ToString('n')
        $out = Invoke-AIChat 'PING' -Provider lab -Model m -Header @{ 'X-Emulator-Run' = $run } -Verbose -Debug *>&1 -Confirm:$false
        $request = (Get-TestServerRequest -Server $Server -Run $run)[0]
        $request.headers.'api-key' | Should -Be 'fake-lab-key-42'
        $request.headers.'x-lab-auth' | Should -Be 'Token fake-lab-key-42'
        $request.headers.PSObject.Properties.Name | Should -Not -Contain 'authorization'
        ($out | Out-String) | Should -Not -Match 'fake-lab-key-42'
    }

    It 'a user alias with isGateway takes the -Gateway* parameters; one without refuses them' {
        $null = New-ProvidersFile (@{ providers = @(
                    @{ name = 'work-gateway'; baseUrl = 'http://127.0.0.1:${VLLM_PORT}/v1/${WORK_ACCOUNT_ID}/${WORK_GATEWAY_ID}/compat'; tokenVariable = 'WORK_API_TOKEN'; isGateway = $true
                        headers = @{ 'cf-aig-authorization' = 'Bearer ${WORK_AIG_TOKEN}' } }
                    @{ name = 'plain'; baseUrl = 'http://127.0.0.1:${VLLM_PORT}/v1' }
                ) } | ConvertTo-Json -Depth 5)
        $env:WORK_ACCOUNT_ID = 'acct2'; $env:WORK_GATEWAY_ID = 'gw2'; $env:WORK_AIG_TOKEN = 'fake-aig-2'; $env:WORK_API_TOKEN = 'fake-api-2'
        (Get-AIProviderAlias work-gateway).IsGateway | Should -BeTrue
        $run = [guid]::NewGuid().ToString('n')
        $r = Invoke-AIChat 'PING' -Provider work-gateway -Model 'workers-ai/@cf/meta/llama-3.3-70b-instruct-fp8-fast' -GatewayCacheTtl 600 -GatewayEventId 'ev-1' -Header @{ 'X-Emulator-Run' = $run }
        $request = (Get-TestServerRequest -Server $Server -Run $run)[0]
        $request.path | Should -Be '/v1/acct2/gw2/compat/chat/completions'
        $request.headers.'cf-aig-cache-ttl' | Should -Be '600'
        $request.headers.'cf-aig-event-id' | Should -Be 'ev-1'
        $request.headers.'cf-aig-authorization' | Should -Be 'Bearer fake-aig-2'
        $request.headers.authorization | Should -Be 'Bearer fake-api-2'
        { Invoke-AIChat 'PING' -Provider plain -Model m -GatewayCacheTtl 600 -ErrorAction Stop } |
            Should -Throw -ErrorId 'GatewayOptionNotSupported,CloudflareAI.Commands.InvokeAIChatCommand'
    }
}

Describe 'A broken providers file' {
    It 'warns once per change naming file and line, keeps the built-ins, and fails a command naming a user alias with ProviderConfigInvalid' {
        $path = New-ProvidersFile "{`n  `"providers`": [`n    { `"name`": `"my-vllm`", `"baseUrl`": 5 }`n  ]`n}"
        $first = Get-AIProviderAlias cloudflare-workers-ai 3>&1
        $warnings = @($first | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
        $warnings.Count | Should -Be 1
        $warnings[0].Message | Should -Match ([regex]::Escape("$path, line 3"))
        ($first | Where-Object { $_ -is [CloudflareAI.ProviderAlias] }).Name | Should -Be 'cloudflare-workers-ai'
        # The same file again: no second warning, in any cmdlet.
        @(Test-AIProviderEnvironment openai 3>&1 | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }).Count | Should -Be 0

        $err = $null
        try { Invoke-AIChat hi -Provider my-vllm -ErrorAction Stop 3>$null } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'ProviderConfigInvalid,CloudflareAI.Commands.InvokeAIChatCommand'
        $err.Exception.Message | Should -Match "'my-vllm' is not a built-in alias"
        $err.Exception.Message | Should -Match "line 3\): entry 'my-vllm': 'baseUrl' must be a string"
        Get-AIProviderAlias my-vllm -ErrorAction SilentlyContinue -ErrorVariable errs 3>$null
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'ProviderConfigInvalid,*'
        # Register and Unregister never overwrite a file they cannot read.
        Register-AIProviderAlias other -BaseUrl 'http://127.0.0.1:1/v1' -ErrorAction SilentlyContinue -ErrorVariable regErrs 3>$null
        $regErrs[0].FullyQualifiedErrorId | Should -BeLike 'ProviderConfigInvalid,*'
        (Get-Content -LiteralPath $path -Raw) | Should -Match '"baseUrl": 5'

        # A change, still broken: one new warning naming the new line.
        [System.IO.File]::WriteAllText($path, "{`n`n  `"providers`": [`n    { `"name`": `"my-vllm`", `"baseUrl`": 5 }`n  ]`n}")
        (Get-Item -LiteralPath $path).LastWriteTimeUtc = [datetime]::UtcNow.AddMinutes(2)
        $again = @(Get-AIProviderAlias openai 3>&1 | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
        $again.Count | Should -Be 1
        $again[0].Message | Should -Match 'line 4'
    }

    It 'is not read at import: the warning comes with the first command in a fresh process' {
        $path = New-ProvidersFile '{ "providers": [ { "name": "x" } ] }'
        $result = Invoke-FreshPwsh "Write-Output 'IMPORTED'; Get-AIProviderAlias openai 3>&1 | ForEach-Object { if (`$_ -is [System.Management.Automation.WarningRecord]) { 'WARNING ' + `$_.Message } else { `$_.Name } }"
        $result.ExitCode | Should -Be 0 -Because $result.Text
        $lines = $result.Text -split "`n"
        $lines[0] | Should -Be 'IMPORTED'
        $lines[1] | Should -Match '^WARNING .*no built-in alias of this name'
        $lines[2] | Should -Be 'openai'
    }
}

Describe 'Unregister-AIProviderAlias' {
    It 'removes a user alias and an override, by name and from the pipeline, and refuses a plain built-in' {
        $path = New-ProvidersFile '{ "autoSelect": [ "mine", "openai" ], "providers": [ { "name": "mine", "baseUrl": "http://127.0.0.1:1/v1" }, { "name": "openai", "defaultModel": "gpt-5-mini" } ] }'
        Unregister-AIProviderAlias mine -WhatIf
        (Get-AIProviderAlias mine).Source | Should -Be 'User'
        Unregister-AIProviderAlias mine
        Get-AIProviderAlias mine -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        (Get-Content -LiteralPath $path -Raw | ConvertFrom-Json).autoSelect | Should -Be @('openai')
        (Get-AIProviderAlias openai).Source | Should -Be 'Builtin+User'
        Get-AIProviderAlias openai | Unregister-AIProviderAlias
        (Get-AIProviderAlias openai).Source | Should -Be 'Builtin'
        Unregister-AIProviderAlias openai -ErrorAction SilentlyContinue -ErrorVariable errs
        $errs[0].FullyQualifiedErrorId | Should -Be 'ProviderAliasNotFound,CloudflareAI.Commands.UnregisterAIProviderAliasCommand'
        $errs[0].Exception.Message | Should -Match 'built-in'
    }
}

Describe 'The shipped schema, checked by a standard JSON Schema validator' {
    BeforeAll {
        # ajv-cli from the npm registry, only where npx is present and can fetch it: skipped with the reason otherwise.
        $script:AjvReason = $null
        if (-not (Get-Command npx -ErrorAction SilentlyContinue)) { $script:AjvReason = 'npx is not installed on this machine, so ajv-cli cannot run' }
        else {
            $probe = & npx --yes ajv-cli@5 help 2>&1
            if ($LASTEXITCODE -ne 0) { $script:AjvReason = "npx could not run ajv-cli@5 (exit $LASTEXITCODE): $(($probe | Select-Object -Last 1))" }
        }

        # One ajv run for many files (each npx start costs seconds): a table of file to valid, and ajv's whole text.
        function Test-WithAjv([string[]] $Data) {
            $arguments = @('--yes', 'ajv-cli@5', 'validate', '--spec=draft2020', '--strict=true', '-s', $Schema)
            foreach ($file in $Data) { $arguments += '-d', $file }
            $output = @(& npx @arguments 2>&1 | ForEach-Object { "$_" })
            $valid = @{}
            foreach ($file in $Data) { $valid[$file] = [bool]($output | Where-Object { $_ -eq "$file valid" }) }
            [pscustomobject]@{ Valid = $valid; Text = ($output -join "`n") }
        }
    }

    It 'the module folder and docs/ carry the same schema' {
        (Get-FileHash -LiteralPath $Schema).Hash | Should -Be (Get-FileHash -LiteralPath (Join-Path $RepoRoot 'docs/CloudflareAI.providers.schema.json')).Hash
    }

    It 'accepts what Register-AIProviderAlias writes, and every JSON example in docs/providers/configuration.md' {
        if ($AjvReason) { Set-ItResult -Skipped -Because $AjvReason; return }
        $path = New-ProvidersFile
        Register-AIProviderAlias my-vllm -BaseUrl 'http://127.0.0.1:${VLLM_PORT}/v1' -TokenVariable VLLM_API_KEY -DefaultModel m -Gateway `
            -Header @{ 'cf-aig-authorization' = 'Bearer ${WORK_AIG_TOKEN}' } | Out-Null
        Register-AIProviderAlias cloudflare-workers-ai -BaseUrl 'https://api.cloudflare.com/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1' -DefaultModel '@cf/new' -Force | Out-Null
        $doc = Get-Content -LiteralPath (Join-Path $RepoRoot 'docs/providers/configuration.md') -Raw
        $blocks = @([regex]::Matches($doc, '(?s)```json\r?\n(.*?)```') | ForEach-Object { $_.Groups[1].Value })
        $blocks.Count | Should -BeGreaterOrEqual 3
        $files = @($path) + @(foreach ($block in $blocks) {
                $file = Join-Path $Root ([guid]::NewGuid().ToString('n') + '.json')
                [System.IO.File]::WriteAllText($file, $block)
                $file
            })
        $check = Test-WithAjv $files
        foreach ($file in $files) {
            $check.Valid[$file] | Should -BeTrue -Because "$(Get-Content -LiteralPath $file -Raw)`n$($check.Text)"
            # And the module reads it too, without a warning.
            $env:CLOUDFLAREAI_PROVIDERS_FILE = $file
            @(Get-AIProviderAlias openai 3>&1 | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }).Count | Should -Be 0 -Because $file
        }
    }

    It 'refuses what the module refuses: an unknown field, a wrong type, an upper-case name' {
        if ($AjvReason) { Set-ItResult -Skipped -Because $AjvReason; return }
        $texts = '{ "providers": [ { "name": "a", "baseURL": "http://x" } ] }', '{ "providers": [ { "name": "a", "isGateway": "yes" } ] }',
            '{ "providers": [ { "name": "A" } ] }', '{ "extra": 1 }'
        $files = foreach ($text in $texts) {
            $file = Join-Path $Root ([guid]::NewGuid().ToString('n') + '.json')
            [System.IO.File]::WriteAllText($file, $text)
            $file
        }
        $check = Test-WithAjv $files
        ($check.Text -split "`n" | Where-Object { $_ -match ' invalid$' }).Count | Should -Be 4 -Because $check.Text
        foreach ($file in $files) {
            $check.Valid[$file] | Should -BeFalse
            $env:CLOUDFLAREAI_PROVIDERS_FILE = $file
            @(Get-AIProviderAlias openai 3>&1 | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }).Count | Should -Be 1 -Because (Get-Content -LiteralPath $file -Raw)
        }
    }
}
