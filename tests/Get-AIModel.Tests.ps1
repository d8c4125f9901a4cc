# Get-AIModel against the loopback emulator: the Workers AI models search across pages, -Task, -Capability,
# -IncludeDeprecated, names and wildcards, /models of other hosts, errors, -Verbose, secrets, tab completion of -Model and
# -Name, and the pre-send warning of Invoke-AIChat once the catalog is cached.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $PSScriptRoot 'TestServer.psm1') -Force
    $script:Saved = Save-AliasEnvironment
    $script:Server = Start-TestServer -Configuration $Configuration
    $script:WorkersBase = $Server.Uri + '/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1'
    $script:GatewayBase = $Server.Uri + '/v1/${CLOUDFLARE_ACCOUNT_ID}/${CLOUDFLARE_GATEWAY_ID}/compat'
    $script:Token = 'fake-cf-token-DO-NOT-PRINT-7781'

    # The catalog cache is per alias, origin and account: a fresh account ID per test keeps the tests apart.
    function Set-CloudflareEnvironment {
        Set-TestEnvironment @{
            CLOUDFLARE_API_TOKEN  = $script:Token
            CLOUDFLARE_ACCOUNT_ID = [guid]::NewGuid().ToString('n')
            CLOUDFLARE_GATEWAY_ID = 'test-gateway'
        }
    }

    function Get-SearchRequest([string] $Run) {
        @(Get-TestServerRequest -Server $script:Server -Run $Run | Where-Object { $_.path -like '*/ai/models/search' })
    }
}

AfterAll {
    if ($script:Server) { Stop-TestServer -Server $script:Server }
    Restore-AliasEnvironment $script:Saved
}

Describe 'Get-AIModel' {
    BeforeEach { Set-CloudflareEnvironment }

    Context 'Workers AI catalog' {
        It 'reads every page of the text-generation catalog with the API token and hides deprecated models' {
            $run = [guid]::NewGuid().ToString('n')
            $models = Get-AIModel -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Header @{ 'X-Emulator-Run' = $run }
            $requests = Get-SearchRequest $run
            # The emulator serves at most 5 items a page: 12 text-generation models are 3 pages.
            $requests.Count | Should -Be 3
            $requests[0].path | Should -BeExactly "/client/v4/accounts/$($env:CLOUDFLARE_ACCOUNT_ID)/ai/models/search"
            $requests.query | Should -Be @('?task=Text%20Generation&per_page=100&page=1', '?task=Text%20Generation&per_page=100&page=2', '?task=Text%20Generation&per_page=100&page=3')
            $requests | ForEach-Object { $_.headers.authorization | Should -BeExactly "Bearer $Token" }
            $models.Count | Should -Be 10
            $models.Name | Should -Contain '@cf/meta/llama-3.3-70b-instruct-fp8-fast'
            $models.Name | Should -Not -Contain '@cf/meta/llama-3.1-8b-instruct'
            $models.Name | Should -Not -Contain '@hf/nousresearch/hermes-2-pro-mistral-7b'
            $models[0].PSObject.TypeNames[0] | Should -Be 'CloudflareAI.ModelInfo'
            $models.Task | Sort-Object -Unique | Should -Be 'Text Generation'
            $models.Provider | Sort-Object -Unique | Should -Be 'cloudflare-workers-ai'
        }

        It 'reads each property by its shape: strings, numbers, booleans, objects and the price array' {
            $models = Get-AIModel -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -IncludeDeprecated
            $default = $models | Where-Object Name -eq '@cf/meta/llama-3.3-70b-instruct-fp8-fast'
            $default.ContextWindow | Should -Be 24000
            $default.Capabilities | Should -Be @('FunctionCalling', 'AsyncQueue')
            $default.Price.InputPerMillion | Should -Be 0.29
            $default.Price.OutputPerMillion | Should -Be 2.25
            $default.IsDeprecated | Should -BeFalse
            $default.Created | Should -Be ([datetime]::new(2024, 12, 6, 17, 9, 18, 338, [DateTimeKind]::Utc))
            $default.Created.Kind | Should -Be 'Utc'
            $oss = $models | Where-Object Name -eq '@cf/openai/gpt-oss-120b'
            $oss.ContextWindow | Should -Be 128000
            $oss.Capabilities | Should -Be @('FunctionCalling', 'Reasoning')
            $oss.Price.ToString() | Should -Be '$0.35/M in, $0.75/M out'
            $kimi = $models | Where-Object Name -eq '@cf/moonshotai/kimi-k2.6'
            $kimi.RequiresPaidPlan | Should -BeTrue
            $kimi.Capabilities | Should -Contain 'Beta'
            $old = $models | Where-Object Name -eq '@cf/meta/llama-3.1-8b-instruct'
            $old.IsDeprecated | Should -BeTrue
            $old.PlannedDeprecation | Should -Be ([datetime]::new(2026, 5, 30, 0, 0, 0, [DateTimeKind]::Utc))
        }

        It '-Task * lists every task and sends no task filter; -Task names another task' {
            $run = [guid]::NewGuid().ToString('n')
            $all = Get-AIModel -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Task * -Header @{ 'X-Emulator-Run' = $run }
            (Get-SearchRequest $run)[0].query | Should -BeExactly '?per_page=100&page=1'
            $all.Task | Sort-Object -Unique | Should -Be @('Text Embeddings', 'Text Generation', 'Text-to-Image')
            $embeddings = Get-AIModel -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Task 'Text Embeddings'
            $embeddings.Name | Should -Be '@cf/baai/bge-m3'
        }

        It '-Capability keeps the models that have all of them; -IncludeDeprecated shows the retired ones' {
            $both = Get-AIModel -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Capability FunctionCalling, Vision
            $both.Name | Should -Be @('@cf/google/gemma-4-26b-a4b-it', '@cf/meta/llama-4-scout-17b-16e-instruct', '@cf/moonshotai/kimi-k2.6')
            $tools = Get-AIModel -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Capability FunctionCalling -IncludeDeprecated
            $tools.Name | Should -Contain '@hf/nousresearch/hermes-2-pro-mistral-7b'
            $tools | ForEach-Object { $_.Capabilities | Should -Contain 'FunctionCalling' }
        }

        It 'matches -Name wildcards on the callable name and finds an exact name even when it is deprecated' {
            $llama = Get-AIModel '*llama*' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase
            $llama.Name | Should -Be @('@cf/meta/llama-3.1-8b-instruct-fast', '@cf/meta/llama-3.3-70b-instruct-fp8-fast', '@cf/meta/llama-4-scout-17b-16e-instruct')
            (Get-AIModel '@CF/META/LLAMA-3.1-8B-INSTRUCT' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase).IsDeprecated | Should -BeTrue
            Get-AIModel 'no-such-*' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -ErrorVariable errs | Should -BeNullOrEmpty
            $errs | Should -BeNullOrEmpty
            '@cf/openai/gpt-oss-120b', '@cf/qwen/*' | Get-AIModel -Provider cloudflare-workers-ai -BaseUrl $WorkersBase |
                ForEach-Object Name | Should -Be @('@cf/openai/gpt-oss-120b', '@cf/qwen/qwen3-30b-a3b-fp8')
        }

        It 'an exact name that is not in the catalog is a non-terminating ModelNotFound with a did-you-mean' {
            $out = Get-AIModel '@cf/meta/llama-3.3-70b-instruct', '@cf/openai/gpt-oss-120b' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -ErrorVariable errs -ErrorAction SilentlyContinue
            $out.Name | Should -Be '@cf/openai/gpt-oss-120b'
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -Be 'ModelNotFound,CloudflareAI.Commands.GetAIModelCommand'
            $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $errs[0].ErrorDetails.Message | Should -Match "Did you mean '@cf/meta/llama-3\.3-70b-instruct-fp8-fast'"
            $errs[0].ErrorDetails.RecommendedAction | Should -Match 'Get-AIModel'
        }

        It 'lists the same catalog through the compat gateway with workers-ai/ before each name' {
            $run = [guid]::NewGuid().ToString('n')
            $models = Get-AIModel -Provider cloudflare-ai-gateway -BaseUrl $GatewayBase -Header @{ 'X-Emulator-Run' = $run }
            $models.Name | Should -Contain 'workers-ai/@cf/meta/llama-3.3-70b-instruct-fp8-fast'
            $models.Name | ForEach-Object { $_ | Should -BeLike 'workers-ai/@cf/*' }
            $requests = Get-SearchRequest $run
            $requests[0].path | Should -BeExactly "/client/v4/accounts/$($env:CLOUDFLARE_ACCOUNT_ID)/ai/models/search"
            $requests[0].headers.authorization | Should -BeExactly "Bearer $Token"
            $requests[0].headers.PSObject.Properties.Name | Should -Not -Contain 'cf-aig-authorization'
        }

        It 'serves a second call from the cache, and -Refresh reads the catalog again' {
            $run = [guid]::NewGuid().ToString('n')
            $headers = @{ 'X-Emulator-Run' = $run }
            Get-AIModel -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Header $headers | Out-Null
            Get-AIModel -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Header $headers | Out-Null
            (Get-SearchRequest $run).Count | Should -Be 3
            Get-AIModel -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Header $headers -Refresh | Out-Null
            (Get-SearchRequest $run).Count | Should -Be 6
        }

        It '-Verbose shows each URL and the page count' {
            $verbose = Get-AIModel -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            $text = $verbose.Message -join "`n"
            $text | Should -Match ([regex]::Escape("GET $($Server.Uri)/client/v4/accounts/$($env:CLOUDFLARE_ACCOUNT_ID)/ai/models/search?task=Text%20Generation&per_page=100&page=3"))
            $text | Should -Match 'Read 12 models of cloudflare-workers-ai in 3 page\(s\)\.'
        }
    }

    Context 'Errors' {
        It 'a 401 is a non-terminating ChatAuthenticationFailed with the token hint' {
            $out = Get-AIModel -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Header @{ 'X-Emulator-Scenario' = 'unauthorized' } -ErrorVariable errs -ErrorAction SilentlyContinue
            $out | Should -BeNullOrEmpty
            $errs[0].FullyQualifiedErrorId | Should -Be 'ChatAuthenticationFailed,CloudflareAI.Commands.GetAIModelCommand'
            $errs[0].ErrorDetails.RecommendedAction | Should -Match 'Workers AI Read'
        }

        It 'a 503 is retried and then the catalog is read' {
            $run = [guid]::NewGuid().ToString('n')
            $models = Get-AIModel -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Header @{ 'X-Emulator-Run' = $run; 'X-Emulator-Scenario' = 'unavailable; times=1; retryAfter=0' }
            $models.Count | Should -Be 10
            (Get-SearchRequest $run).Count | Should -Be 4
        }

        It 'the models search refuses a request without a token: the emulator checks Authorization' {
            $response = Invoke-WebRequest -Uri "$($Server.Uri)/client/v4/accounts/$FakeAccountId/ai/models/search" -SkipHttpErrorCheck -NoProxy
            $response.StatusCode | Should -Be 401
            ($response.Content | ConvertFrom-Json).errors[0].code | Should -Be 10000
        }

        It 'without CLOUDFLARE_API_TOKEN it is a terminating ProviderEnvironmentVariableMissing before any request' {
            $env:CLOUDFLARE_API_TOKEN = $null
            $env:CLOUDFLARE_AI_GATEWAY_TOKEN = 'fake-gateway-only-DO-NOT-PRINT'
            { Get-AIModel -Provider cloudflare-ai-gateway -BaseUrl $GatewayBase -ErrorAction Stop } |
                Should -Throw -ErrorId 'ProviderEnvironmentVariableMissing,CloudflareAI.Commands.GetAIModelCommand'
        }

        It 'an unknown provider is ProviderAliasNotFound' {
            { Get-AIModel -Provider no-such-alias } | Should -Throw -ErrorId 'ProviderAliasNotFound,CloudflareAI.Commands.GetAIModelCommand'
        }
    }

    Context 'Other hosts: GET {base}/models' {
        It 'lists the OpenAI-shaped list with the alias auth headers' {
            $env:OPENAI_API_KEY = 'fake-openai-DO-NOT-PRINT-1'
            $run = [guid]::NewGuid().ToString('n')
            $models = Get-AIModel -Provider openai -BaseUrl "$($Server.Uri)/v1/$run" -Header @{ 'X-Emulator-Run' = $run }
            $models.Name | Should -Be @('gpt-4o-mini', 'gpt-5-mini', 'text-embedding-3-small')
            $models[0].OwnedBy | Should -Be 'system'
            $models[0].Created | Should -Be ([DateTimeOffset]::FromUnixTimeSeconds(1721172741).UtcDateTime)
            $request = @(Get-TestServerRequest -Server $Server -Run $run)[0]
            $request.method | Should -Be 'GET'
            $request.path | Should -BeExactly "/v1/$run/models"
            $request.headers.authorization | Should -BeExactly 'Bearer fake-openai-DO-NOT-PRINT-1'
        }

        It 'a host without /models (404 or 405) is a non-terminating ModelListUnavailable that says to pass -Model' {
            $env:GROQ_API_KEY = 'fake-groq-DO-NOT-PRINT-2'
            foreach ($status in '404', '405') {
                $out = Get-AIModel -Provider groq -BaseUrl "$($Server.Uri)/openai/v1/$status" -Header @{ 'X-Emulator-Models-Status' = $status } -ErrorVariable errs -ErrorAction SilentlyContinue
                $out | Should -BeNullOrEmpty
                $errs[0].FullyQualifiedErrorId | Should -Be 'ModelListUnavailable,CloudflareAI.Commands.GetAIModelCommand'
                $errs[0].CategoryInfo.Category | Should -Be 'NotImplemented'
                $errs[0].ErrorDetails.RecommendedAction | Should -Match '-Model'
            }
            # Non-terminating: the script goes on.
            $reached = $false
            Get-AIModel -Provider groq -BaseUrl "$($Server.Uri)/openai/v1/again" -Header @{ 'X-Emulator-Models-Status' = '404' } -ErrorAction SilentlyContinue
            $reached = $true
            $reached | Should -BeTrue
        }
    }

    Context 'Secrets' {
        It 'never shows the token in any stream, error or object' {
            $env:CLOUDFLARE_API_TOKEN = 'fake-cf-token-DO-NOT-PRINT-4242'
            $apiKey = ConvertTo-SecureString 'fake-apikey-DO-NOT-PRINT-4343' -AsPlainText -Force
            $Error.Clear()
            # -ErrorAction Continue on each call: the suite runner sets $ErrorActionPreference = 'Stop', which would turn
            # the first (non-terminating) error into a throw and leave the later calls unseen.
            $all = & {
                Get-AIModel -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Verbose -Debug -ErrorAction Continue
                Get-AIModel -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -ApiKey $apiKey -Refresh -Verbose '@cf/x/missing' -ErrorAction Continue
                Get-AIModel -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Refresh -Verbose -Header @{ 'X-Emulator-Scenario' = 'unauthorized' } -ErrorAction Continue
            } *>&1 | Out-String -Width 500
            $all += ($Error | ForEach-Object { $_.ToString(); $_.ErrorDetails.Message; $_.ErrorDetails.RecommendedAction; [string]$_.TargetObject; $_.Exception.ToString() }) -join "`n"
            $all | Should -Match 'ModelNotFound|no model named'
            $all | Should -Match '401'
            $all | Should -Not -Match 'DO-NOT-PRINT'
        }
    }

    Context 'Tab completion and the pre-send warning' {
        It 'completes Invoke-AIChat -Model from the catalog of the -Provider and -BaseUrl on the command line' {
            $line = "Invoke-AIChat 'hi' -Provider cloudflare-workers-ai -BaseUrl '$WorkersBase' -Model @cf/meta/llama-3"
            $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length
            $result.CompletionMatches.CompletionText | Should -Be @("'@cf/meta/llama-3.1-8b-instruct-fast'", "'@cf/meta/llama-3.3-70b-instruct-fp8-fast'")
            $result.CompletionMatches[0].ToolTip | Should -Match 'context 128000'
        }

        It 'completes Get-AIModel -Name by a part of the name, without deprecated models' {
            $line = "Get-AIModel -Provider cloudflare-ai-gateway -BaseUrl '$GatewayBase' -Name gpt-oss"
            $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length
            $result.CompletionMatches.CompletionText | Should -Be @("'workers-ai/@cf/openai/gpt-oss-120b'")
        }

        It 'offers nothing, and prints nothing, when the alias is not available' {
            $env:CLOUDFLARE_ACCOUNT_ID = $null
            $line = "Invoke-AIChat 'hi' -Provider cloudflare-workers-ai -BaseUrl '$WorkersBase' -Model @cf/"
            $output = & { TabExpansion2 -inputScript $line -cursorColumn $line.Length } *>&1
            @($output).Count | Should -Be 1
            $output.CompletionMatches.Count | Should -Be 0
        }

        It 'warns before sending when the cached catalog says the model is retired, soon retired or paid-only, and not otherwise' {
            $run = [guid]::NewGuid().ToString('n')
            $headers = @{ 'X-Emulator-Run' = $run }
            Invoke-AIChat 'hi' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Model '@cf/meta/llama-3.1-8b-instruct' -Header $headers -WarningVariable cold -WhatIf
            $cold | Should -BeNullOrEmpty
            Get-AIModel -Provider cloudflare-workers-ai -BaseUrl $WorkersBase | Out-Null

            Invoke-AIChat 'hi' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Model '@cf/meta/llama-3.1-8b-instruct' -Header $headers -WarningVariable retired -WhatIf
            $retired.Message | Should -Match 'retired on 2026-05-30'
            $retired.Message | Should -Match 'Get-AIModel -Provider cloudflare-workers-ai'
            $soonDate = [datetime]::UtcNow.Date.AddDays(10).ToString('yyyy-MM-dd')
            Invoke-AIChat 'hi' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Model '@cf/qwen/qwen3-30b-a3b-fp8' -Header $headers -WarningVariable soon -WhatIf
            $soon.Message | Should -Match "planned to be retired on $soonDate"
            Invoke-AIChat 'hi' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Model '@cf/moonshotai/kimi-k2.6' -Header $headers -WarningVariable paid -WhatIf
            $paid.Message | Should -Match 'Workers Paid'
            $r = Invoke-AIChat 'hi' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Model '@cf/meta/llama-3.3-70b-instruct-fp8-fast' -Header $headers -WarningVariable none
            $none | Should -BeNullOrEmpty
            $r.Content | Should -Not -BeNullOrEmpty
            # The chat calls added no catalog request: only Get-AIModel's 3 pages were read.
            @(Get-TestServerRequest -Server $Server -Run $run | Where-Object { $_.method -eq 'GET' }).Count | Should -Be 0
        }
    }
}
