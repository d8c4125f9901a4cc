# Invoke-AIChat against the loopback emulator: gateway authentication, options, faults, retries, timeouts, Ctrl+C,
# -ThrottleLimit, -WhatIf and the setup errors (alias, environment, template, model, insecure endpoint).
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $PSScriptRoot 'TestServer.psm1') -Force
    $script:Saved = Save-AliasEnvironment
    $script:Server = Start-TestServer -Configuration $Configuration
    $script:WorkersBase = $Server.Uri + '/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1'
    $script:GatewayBase = $Server.Uri + '/v1/${CLOUDFLARE_ACCOUNT_ID}/${CLOUDFLARE_GATEWAY_ID}/compat'

    function Set-CloudflareEnvironment {
        Set-TestEnvironment @{
            CLOUDFLARE_API_TOKEN  = 'fake-cf-token'
            CLOUDFLARE_ACCOUNT_ID = $FakeAccountId
            CLOUDFLARE_GATEWAY_ID = 'test-gateway'
        }
    }

    # Runs one Workers AI call with an emulator scenario; returns the response, the first error and the requests.
    function Invoke-Scenario {
        param([string] $Scenario, [hashtable] $Parameters = @{}, [string] $BaseUrl = $script:WorkersBase, [string] $Provider = 'cloudflare-workers-ai')
        $run = [guid]::NewGuid().ToString('n')
        $headers = @{ 'X-Emulator-Run' = $run }
        if ($Scenario) { $headers['X-Emulator-Scenario'] = $Scenario }
        $errs = $null
        $response = Invoke-AIChat 'PING' -Provider $Provider -BaseUrl $BaseUrl -Header $headers @Parameters -ErrorVariable errs -ErrorAction SilentlyContinue
        [pscustomobject]@{
            Response = $response
            Error    = @($errs)[0]
            Requests = @(Get-TestServerRequest -Server $script:Server -Run $run)
        }
    }
}

AfterAll {
    if ($script:Server) { Stop-TestServer -Server $script:Server }
    Restore-AliasEnvironment $script:Saved
}

Describe 'Invoke-AIChat' {
    BeforeEach { Set-CloudflareEnvironment }

    Context 'AI Gateway authentication' {
        It 'sends the gateway token in cf-aig-authorization and the API token as the provider key for workers-ai/ models' {
            $env:CLOUDFLARE_AI_GATEWAY_TOKEN = 'fake-gateway-token'
            $r = Invoke-Scenario '' -BaseUrl $GatewayBase -Provider cloudflare-ai-gateway
            $r.Error | Should -BeNullOrEmpty
            $req = $r.Requests[0]
            $req.headers.'cf-aig-authorization' | Should -BeExactly 'Bearer fake-gateway-token'
            $req.headers.authorization | Should -BeExactly 'Bearer fake-cf-token'
            ($req.body | ConvertFrom-Json).model | Should -BeExactly 'workers-ai/@cf/meta/llama-3.3-70b-instruct-fp8-fast'
            $r.Response.GatewayLogId | Should -Not -BeNullOrEmpty
            $r.Response.CacheStatus | Should -Be 'MISS'
        }

        It 'sends no Authorization for another provider prefix, so the gateway uses its stored keys or Unified Billing' {
            $r = Invoke-Scenario '' -BaseUrl $GatewayBase -Provider cloudflare-ai-gateway -Parameters @{ Model = 'openai/gpt-4o-mini' }
            $req = $r.Requests[0]
            $req.headers.'cf-aig-authorization' | Should -BeExactly 'Bearer fake-cf-token'
            $req.headers.PSObject.Properties.Name | Should -Not -Contain 'authorization'
        }

        It 'puts -ApiKey in Authorization only, never in cf-aig-authorization' {
            $key = ConvertTo-SecureString 'fake-openai-provider-key' -AsPlainText -Force
            $r = Invoke-Scenario '' -BaseUrl $GatewayBase -Provider cloudflare-ai-gateway -Parameters @{ Model = 'openai/gpt-4o-mini'; ApiKey = $key }
            $req = $r.Requests[0]
            $req.headers.authorization | Should -BeExactly 'Bearer fake-openai-provider-key'
            $req.headers.'cf-aig-authorization' | Should -BeExactly 'Bearer fake-cf-token'
        }

        It 'refuses a workers-ai/ model before sending when only the gateway token is set' {
            Set-TestEnvironment @{ CLOUDFLARE_AI_GATEWAY_TOKEN = 'fake-gateway-token'; CLOUDFLARE_ACCOUNT_ID = $FakeAccountId; CLOUDFLARE_GATEWAY_ID = 'gw' }
            $run = [guid]::NewGuid().ToString('n')
            $e = $null
            try { Invoke-AIChat 'PING' -Provider cloudflare-ai-gateway -BaseUrl $GatewayBase -Header @{ 'X-Emulator-Run' = $run } }
            catch { $e = $_ }
            @(Get-TestServerRequest -Server $Server -Run $run).Count | Should -Be 0
            $e.FullyQualifiedErrorId | Should -Be 'ProviderEnvironmentVariableMissing,CloudflareAI.Commands.InvokeAIChatCommand'
            $e.Exception.Message | Should -Match 'CLOUDFLARE_API_TOKEN'
        }

        It 'maps the gateway 401 code 2009 to ChatAuthenticationFailed with the gateway-token hint' {
            $r = Invoke-Scenario 'gateway-unauthorized' -BaseUrl $GatewayBase -Provider cloudflare-ai-gateway
            $r.Error.FullyQualifiedErrorId | Should -Be 'ChatAuthenticationFailed,CloudflareAI.Commands.InvokeAIChatCommand'
            $r.Error.ErrorDetails.RecommendedAction | Should -Match 'CLOUDFLARE_AI_GATEWAY_TOKEN'
            $r.Requests.Count | Should -Be 1
        }
    }

    Context 'the request body' {
        It 'sends only the options the user set' {
            $r = Invoke-Scenario ''
            $body = $r.Requests[0].body | ConvertFrom-Json
            @($body.PSObject.Properties.Name | Sort-Object) | Should -Be @('messages', 'model')

            $r = Invoke-Scenario '' -Parameters @{ Temperature = 0.2; TopP = 0.9; MaxTokens = 100; Seed = 7; Stop = 'END' }
            $body = $r.Requests[0].body | ConvertFrom-Json
            $body.temperature | Should -Be 0.2
            $body.top_p | Should -Be 0.9
            $body.max_tokens | Should -Be 100
            $body.seed | Should -Be 7
            $body.stop | Should -Be @('END')
        }

        It 'asks for usage when streaming' {
            $r = Invoke-Scenario '' -Parameters @{ Stream = $true; InformationAction = 'Ignore' }
            $body = $r.Requests[0].body | ConvertFrom-Json
            $body.stream | Should -BeTrue
            $body.stream_options.include_usage | Should -BeTrue
            $r.Response.Usage.TotalTokens | Should -BeGreaterThan 0
        }

        It 'continues a conversation from an earlier response''s Messages' {
            $first = Invoke-AIChat 'first question' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -ErrorAction Stop
            $run = [guid]::NewGuid().ToString('n')
            $second = Invoke-AIChat 'second question' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Message $first.Messages -Header @{ 'X-Emulator-Run' = $run } -ErrorAction Stop
            $body = (Get-TestServerRequest -Server $Server -Run $run)[0].body | ConvertFrom-Json
            $body.messages.role | Should -Be @('user', 'assistant', 'user')
            $body.messages.content | Should -Be @('first question', $first.Content, 'second question')
            $second.Messages.Count | Should -Be 4
        }

        It 'takes -Message as objects with role and content as well as hashtables, coalescing them for Workers AI' {
            $run = [guid]::NewGuid().ToString('n')
            $history = @(
                [pscustomobject]@{ role = 'system'; content = 'S0' }
                @{ role = 'system'; content = 'S1' }
                [pscustomobject]@{ role = 'assistant'; content = 'earlier answer' }
            )
            $null = Invoke-AIChat 'now' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Message $history -Header @{ 'X-Emulator-Run' = $run } -ErrorAction Stop
            $body = (Get-TestServerRequest -Server $Server -Run $run)[0].body | ConvertFrom-Json
            $body.messages.role | Should -Be @('system', 'assistant', 'user')
            $body.messages.content | Should -Be @("S0`nS1", 'earlier answer', 'now')
        }

        It 'refuses a -Message that is not a message with ChatMessageInvalid, before any request' {
            $run = [guid]::NewGuid().ToString('n')
            foreach ($bad in @(42), @(@{ role = 'user' }), @(@{ content = 'no role' })) {
                $e = $null
                try { Invoke-AIChat 'x' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Message $bad -Header @{ 'X-Emulator-Run' = $run } } catch { $e = $_ }
                $e.FullyQualifiedErrorId | Should -Be 'ChatMessageInvalid,CloudflareAI.Commands.InvokeAIChatCommand'
                $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
                $e.Exception.Message | Should -Match 'Message 1'
            }
            @(Get-TestServerRequest -Server $Server -Run $run).Count | Should -Be 0
        }

        It 'drops an empty system prompt for a Cloudflare alias and sends it for others' {
            $run = [guid]::NewGuid().ToString('n')
            $null = Invoke-AIChat 'hi' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -SystemPrompt '' -Header @{ 'X-Emulator-Run' = $run } -ErrorAction Stop
            $null = Invoke-AIChat 'hi' -Provider requesty -Model m -BaseUrl ($Server.Uri + '/v1') -ApiKey (ConvertTo-SecureString 'fake-requesty-key' -AsPlainText -Force) `
                -SystemPrompt '' -Header @{ 'X-Emulator-Run' = $run } -ErrorAction Stop
            $requests = @(Get-TestServerRequest -Server $Server -Run $run)
            ($requests[0].body | ConvertFrom-Json).messages.role | Should -Be @('user')
            ($requests[1].body | ConvertFrom-Json).messages.role | Should -Be @('system', 'user')
        }

        It 'collects reasoning and warns when the answer is cut at the token limit' {
            $warnings = $null
            $run = [guid]::NewGuid().ToString('n')
            $r = Invoke-AIChat 'PING' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Stream -InformationAction Ignore `
                -Header @{ 'X-Emulator-Run' = $run; 'X-Emulator-Reasoning' = 'thinking hard'; 'X-Emulator-Finish-Reason' = 'length' } -WarningVariable warnings -WarningAction SilentlyContinue
            $r.Reasoning | Should -BeExactly 'thinking hard'
            $r.FinishReason | Should -Be 'length'
            $warnings.Count | Should -Be 1
            $warnings[0].Message | Should -Match '-MaxTokens'
        }

        It 'prints the answer in its default view' {
            $text = Invoke-AIChat 'PING' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Header @{ 'X-Emulator-Greeting' = 'A full answer, not a table.' } | Out-String
            $text.Trim() | Should -BeExactly 'A full answer, not a table.'
        }
    }

    Context 'faults and retries' {
        It 'honours Retry-After on a 429 and succeeds on the second attempt about a second later' {
            $r = Invoke-Scenario 'rate-limit; times=1; retryAfter=1'
            $r.Error | Should -BeNullOrEmpty
            $r.Response.Attempts | Should -Be 2
            $r.Requests.Count | Should -Be 2
            $gap = [datetimeoffset]$r.Requests[1].receivedAt - [datetimeoffset]$r.Requests[0].receivedAt
            $gap.TotalMilliseconds | Should -BeGreaterOrEqual 950
        }

        It 'retries a 503 once and succeeds' {
            $r = Invoke-Scenario 'unavailable; times=1'
            $r.Error | Should -BeNullOrEmpty
            $r.Response.Attempts | Should -Be 2
            $r.Requests.Count | Should -Be 2
        }

        It 'fails at once with ChatRateLimited when Retry-After demands more than 60 s' {
            $r = Invoke-Scenario 'rate-limit; retryAfter=120'
            $r.Requests.Count | Should -Be 1
            $r.Error.FullyQualifiedErrorId | Should -Be 'ChatRateLimited,CloudflareAI.Commands.InvokeAIChatCommand'
            $r.Error.CategoryInfo.Category | Should -Be 'LimitsExceeded'
            $r.Error.Exception.RetryAfter.TotalSeconds | Should -Be 120
            # One attempt: the only wait the client makes is the one before a retry, so it did not wait.
            $r.Error.Exception.Attempts | Should -Be 1
        }

        It 'fails at once with ChatRateLimited when a <_> demands more than 60 s in Retry-After' -ForEach 'unavailable', 'html-502' {
            $r = Invoke-Scenario "$_; retryAfter=120"
            $r.Requests.Count | Should -Be 1
            $r.Error.FullyQualifiedErrorId | Should -Be 'ChatRateLimited,CloudflareAI.Commands.InvokeAIChatCommand'
            $r.Error.CategoryInfo.Category | Should -Be 'LimitsExceeded'
            $r.Error.Exception.RetryAfter.TotalSeconds | Should -Be 120
        }

        It 'does not retry the daily quota 429' {
            $r = Invoke-Scenario 'quota'
            $r.Requests.Count | Should -Be 1
            $r.Error.FullyQualifiedErrorId | Should -Be 'ChatQuotaExceeded,CloudflareAI.Commands.InvokeAIChatCommand'
            $r.Error.CategoryInfo.Category | Should -Be 'QuotaExceeded'
        }

        It 'reports a 401 with the Cloudflare envelope as ChatAuthenticationFailed, not retried' {
            $r = Invoke-Scenario 'unauthorized'
            $r.Requests.Count | Should -Be 1
            $r.Error.FullyQualifiedErrorId | Should -Be 'ChatAuthenticationFailed,CloudflareAI.Commands.InvokeAIChatCommand'
            $r.Error.CategoryInfo.Category | Should -Be 'PermissionDenied'
            $r.Error.Exception.Message | Should -Match 'Authentication error'
            $r.Error.Exception.Message | Should -Match '10000'
            $r.Error.ErrorDetails.RecommendedAction | Should -Match 'token'
            $r.Error.TargetObject | Should -Be 'PING'
        }

        It 'reports an unknown model as ChatModelNotFound (<_>)' -ForEach 'not-found', 'model-3042', 'model-5007' {
            $r = Invoke-Scenario $_
            $r.Requests.Count | Should -Be 1
            $r.Error.FullyQualifiedErrorId | Should -Be 'ChatModelNotFound,CloudflareAI.Commands.InvokeAIChatCommand'
            $r.Error.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }

        It 'maps Cloudflare 7003 to ChatBadRequest with the CLOUDFLARE_ACCOUNT_ID hint' {
            $r = Invoke-Scenario 'bad-account'
            $r.Error.FullyQualifiedErrorId | Should -Be 'ChatBadRequest,CloudflareAI.Commands.InvokeAIChatCommand'
            $r.Error.ErrorDetails.RecommendedAction | Should -Match 'CLOUDFLARE_ACCOUNT_ID'
        }

        It 'reads an error body of shape <_>' -ForEach 'errors-object', 'openai-error' {
            $r = Invoke-Scenario $_
            $r.Requests.Count | Should -Be 1
            $r.Error.FullyQualifiedErrorId | Should -Be 'ChatBadRequest,CloudflareAI.Commands.InvokeAIChatCommand'
            $r.Error.Exception.Message | Should -Not -Match 'AiError: AiError:'
        }

        It 'reports an HTML 502 from a proxy with its status and text, after retrying' {
            $r = Invoke-Scenario 'html-502' -Parameters @{ MaxRetries = 1 }
            $r.Requests.Count | Should -Be 2
            $r.Error.FullyQualifiedErrorId | Should -Be 'ChatServerError,CloudflareAI.Commands.InvokeAIChatCommand'
            $r.Error.Exception.Message | Should -Match '502'
            $r.Error.Exception.Message | Should -Match 'Bad Gateway'
            # Text only the HTML body holds (not the reason phrase): the page's own words, and that it was not JSON.
            $r.Error.Exception.Message | Should -Match 'not JSON'
            $r.Error.Exception.Message | Should -Match 'cloudflare'
            $r.Error.Exception.Message | Should -Not -Match '<html>'
            $r.Error.Exception.Attempts | Should -Be 2
        }

        It 'reports a stream cut before [DONE] as ChatResponseInvalid and does not retry after the first chunk' {
            $r = Invoke-Scenario 'truncated' -Parameters @{ Stream = $true; InformationAction = 'Ignore' }
            $r.Requests.Count | Should -Be 1
            $r.Error.FullyQualifiedErrorId | Should -Be 'ChatResponseInvalid,CloudflareAI.Commands.InvokeAIChatCommand'
            $r.Error.Exception.Message | Should -Match 'ended early'
        }

        It 'reports a stream that closes cleanly without [DONE] or a finish reason as ChatResponseInvalid' {
            # The connection ends normally here: only the parser can tell the answer is incomplete.
            $r = Invoke-Scenario 'truncated; end=clean' -Parameters @{ Stream = $true; InformationAction = 'Ignore' }
            $r.Requests.Count | Should -Be 1
            $r.Error.FullyQualifiedErrorId | Should -Be 'ChatResponseInvalid,CloudflareAI.Commands.InvokeAIChatCommand'
            $r.Error.CategoryInfo.Category | Should -Be 'InvalidResult'
            $r.Error.Exception.Message | Should -Match 'ended early'
        }

        It 'times out a stream that stalls between chunks for longer than -TimeoutSec, without retrying' {
            $r = Invoke-Scenario 'slow-stream; delayMs=20000' -Parameters @{ Stream = $true; InformationAction = 'Ignore'; TimeoutSec = 1 }
            $r.Requests.Count | Should -Be 1
            $r.Error.FullyQualifiedErrorId | Should -Be 'ChatTimeout,CloudflareAI.Commands.InvokeAIChatCommand'
            $r.Error.CategoryInfo.Category | Should -Be 'OperationTimeout'
            # The 1 s timeout ended it: the server would have gone on for 20 s.
            $r.Error.Exception.Message | Should -Match 'within 1 s'
        }

        It 'times out a slow server with ChatTimeout and does not retry it' {
            $r = Invoke-Scenario 'slow; delayMs=20000' -Parameters @{ TimeoutSec = 1 }
            $r.Requests.Count | Should -Be 1
            $r.Error.FullyQualifiedErrorId | Should -Be 'ChatTimeout,CloudflareAI.Commands.InvokeAIChatCommand'
            $r.Error.CategoryInfo.Category | Should -Be 'OperationTimeout'
            $r.Error.Exception.Message | Should -Match 'within 1 s'
        }

        It 'does not follow a redirect, and names its host' {
            $r = Invoke-Scenario 'redirect'
            $r.Requests.Count | Should -Be 1
            $r.Error.FullyQualifiedErrorId | Should -Be 'ChatBadRequest,CloudflareAI.Commands.InvokeAIChatCommand'
            $r.Error.Exception.Message | Should -Match 'elsewhere\.example'
        }

        It 'reports a dropped connection as ChatConnectionFailed after retrying' {
            $r = Invoke-Scenario 'reset' -Parameters @{ MaxRetries = 1 }
            $r.Requests.Count | Should -Be 2
            $r.Error.FullyQualifiedErrorId | Should -Be 'ChatConnectionFailed,CloudflareAI.Commands.InvokeAIChatCommand'
        }
    }

    Context 'pipelines and -ThrottleLimit' {
        It 'returns 20 answers in input order with -ThrottleLimit 8, requests overlapping' {
            $run = [guid]::NewGuid().ToString('n')
            $prompts = 1..20 | ForEach-Object { "q$_" }
            # The emulator holds each request until eight have arrived: they are answered only if all eight were in
            # flight together, however fast the machine is (one at a time, the first would fail after two minutes).
            $answers = $prompts | Invoke-AIChat -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -ThrottleLimit 8 `
                -Header @{ 'X-Emulator-Run' = $run; 'X-Emulator-Gather' = '8' } -ErrorAction Stop
            $answers.Count | Should -Be 20
            ($answers | ForEach-Object { $_.Messages[0].Content }) | Should -Be $prompts
            $gauge = (Get-TestServerStatus -Server $Server -Run $run).run
            $gauge.requests | Should -Be 20
            $gauge.peakInFlight | Should -Be 8
        }

        It 'writes one non-terminating error for a failed item and goes on with the rest' {
            $run = [guid]::NewGuid().ToString('n')
            $errs = $null
            $answers = 'a', 'b', 'c' | Invoke-AIChat -Provider cloudflare-workers-ai -BaseUrl $WorkersBase `
                -Header @{ 'X-Emulator-Run' = $run; 'X-Emulator-Scenario' = 'unauthorized; times=1' } -ErrorVariable errs -ErrorAction SilentlyContinue
            $answers.Count | Should -Be 2
            $errs.Count | Should -Be 1
            $errs[0].TargetObject | Should -Be 'a'
            ($answers | ForEach-Object { $_.Messages[0].Content }) | Should -Be @('b', 'c')
        }

        It 'refuses -Stream with -ThrottleLimit above 1' {
            { Invoke-AIChat 'x' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Stream -ThrottleLimit 2 } |
                Should -Throw -ErrorId 'StreamWithThrottleLimit,CloudflareAI.Commands.InvokeAIChatCommand'
        }
    }

    Context 'Ctrl+C' {
        It 'ends a slow request when stopped: the pipeline stops and the server sees the connection close' {
            $run = [guid]::NewGuid().ToString('n')
            $ps = [powershell]::Create()
            # The server would answer after ten minutes and the call's own timeout is five: only the stop can end it
            # within the two-minute guards below, which bound a hang and measure nothing.
            $null = $ps.AddScript({
                    param($module, $base, $run)
                    Import-Module $module
                    Invoke-AIChat 'PING' -Provider cloudflare-workers-ai -BaseUrl $base -Header @{ 'X-Emulator-Run' = $run; 'X-Emulator-Scenario' = 'slow; delayMs=600000' }
                }).AddArgument($ModulePath).AddArgument($WorkersBase).AddArgument($run)
            $null = $ps.BeginInvoke()
            $null = Wait-TestServerRun -Server $Server -Run $run -Condition { param($g) $g.requests -ge 1 -and $g.inFlight -eq 1 }
            $stopped = $ps.BeginStop($null, $null)
            $stopped.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(120)) | Should -BeTrue
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $ps.Dispose()
            $gauge = Wait-TestServerRun -Server $Server -Run $run -Condition { param($g) $g.inFlight -eq 0 }
            $gauge.requests | Should -Be 1
        }
    }

    Context 'output streams' {
        It 'ends the streamed line before a warning or verbose line' {
            $out = Invoke-AIChat 'PING' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Stream -Verbose `
                -Header @{ 'X-Emulator-Finish-Reason' = 'length' } 6>&1 3>&1 4>&1
            $kinds = $out | ForEach-Object {
                if ($_ -is [System.Management.Automation.InformationRecord]) { if ($_.MessageData.NoNewLine) { 'text' } else { 'newline' } }
                elseif ($_ -is [System.Management.Automation.WarningRecord]) { 'warning' }
                elseif ($_ -is [System.Management.Automation.VerboseRecord]) { 'verbose' }
                else { 'object' }
            }
            $lastText = [array]::LastIndexOf([object[]]$kinds, 'text')
            $kinds[$lastText + 1] | Should -Be 'newline'
            @($kinds | Where-Object { $_ -eq 'newline' }).Count | Should -Be 1
            [array]::IndexOf([object[]]$kinds, 'warning') | Should -BeGreaterThan $lastText
        }

        It 'runs with -Debug alone in a non-interactive session, without prompting, and shows verbose lines and warnings as debug' {
            $run = Invoke-ChildPwsh -ImportModule -Environment @{ CLOUDFLARE_ACCOUNT_ID = $FakeAccountId; CLOUDFLARE_API_TOKEN = 'fake-cf-token' } -Command (
                "Invoke-AIChat 'PING' -Provider cloudflare-workers-ai -BaseUrl '$WorkersBase' -Debug -Header @{ 'X-Emulator-Finish-Reason' = 'length'; 'X-Emulator-Greeting' = 'debug answer' }")
            $text = $run.Text
            $run.ExitCode | Should -Be 0 -Because $text
            $text | Should -Not -Match 'NonInteractive mode'
            $text | Should -Match 'DEBUG: HTTP 200'
            $text | Should -Match 'DEBUG: WARNING: The answer was cut'
            $text | Should -Match 'debug answer'
            $text | Should -Not -Match 'fake-cf-token'
        }

        It 'runs with -Verbose -Debug and a warning in a non-interactive session, the warning as a debug line' {
            $run = Invoke-ChildPwsh -ImportModule -Environment @{ CLOUDFLARE_ACCOUNT_ID = $FakeAccountId; CLOUDFLARE_API_TOKEN = 'fake-cf-token' } -Command (
                "Invoke-AIChat 'PING' -Provider cloudflare-workers-ai -BaseUrl '$WorkersBase' -Verbose -Debug -Header @{ 'X-Emulator-Finish-Reason' = 'length'; 'X-Emulator-Greeting' = 'both answer' }")
            $text = $run.Text
            $run.ExitCode | Should -Be 0 -Because $text
            $text | Should -Not -Match 'NonInteractive mode'
            $text | Should -Match 'VERBOSE: HTTP 200'
            $text | Should -Match 'DEBUG: Request body'
            $text | Should -Match 'DEBUG: WARNING: The answer was cut'
            $text | Should -Match 'both answer'
        }

        It 'shows the base URL template it received in -Verbose, when it works and when it cannot be used' {
            $ok = Invoke-AIChat 'PING' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Verbose 4>&1
            ($ok | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message |
                Should -Contain "Alias cloudflare-workers-ai, model @cf/meta/llama-3.3-70b-instruct-fp8-fast, base URL template '$WorkersBase'."
            $template = 'https://h.example/${CFAI_TEST_NEVER_SET}/v1'
            $failed = & { try { Invoke-AIChat 'x' -Provider openai -Model m -BaseUrl $template -Verbose } catch { $_ } } 4>&1
            ($failed | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Contain "Base URL template '$template'."
            ($failed | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }).FullyQualifiedErrorId |
                Should -Be 'ProviderEnvironmentVariableMissing,CloudflareAI.Commands.InvokeAIChatCommand'
        }

        It 'writes verbose and debug lines under the preference variables as under the switches, and none without them' {
            # The client builds these lines only when they will be shown; the caller's preference variables count.
            $quiet = Invoke-AIChat 'PING' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase 4>&1 5>&1
            @($quiet | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -or $_ -is [System.Management.Automation.DebugRecord] }).Count |
                Should -Be 0
            $VerbosePreference = 'Continue'
            $DebugPreference = 'Continue'
            try { $loud = Invoke-AIChat 'PING' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase 4>&1 5>&1 }
            finally { $VerbosePreference = 'SilentlyContinue'; $DebugPreference = 'SilentlyContinue' }
            $verbose = @($loud | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
            $debug = @($loud | Where-Object { $_ -is [System.Management.Automation.DebugRecord] } | ForEach-Object Message)
            $verbose -match '^POST http://127\.0\.0\.1:\d+/client/v4/accounts/' | Should -Not -BeNullOrEmpty
            $verbose -match '^HTTP 200' | Should -Not -BeNullOrEmpty
            $debug -match '^Request body: \{' | Should -Not -BeNullOrEmpty
            $debug -match '^Request headers:' | Should -Not -BeNullOrEmpty
        }

        It 'warns, without failing, about a Cloudflare account ID that looks like a placeholder' {
            $env:CLOUDFLARE_ACCOUNT_ID = 'your-account-id'
            $warnings = $null
            $null = Invoke-AIChat 'x' -Provider cloudflare-workers-ai -WhatIf -WarningVariable warnings -WarningAction SilentlyContinue
            $warnings.Count | Should -Be 1
            $warnings[0].Message | Should -Match 'CLOUDFLARE_ACCOUNT_ID looks like a placeholder'
        }
    }

    Context '-WhatIf' {
        It 'shows the method and resolved URL with target "alias (host)" and sends nothing' {
            $run = [guid]::NewGuid().ToString('n')
            # The child inherits this session's variables (set by BeforeEach), as a user's shell would.
            $out = (Invoke-ChildPwsh -ImportModule -Command "Invoke-AIChat 'hi' -Provider cloudflare-ai-gateway -Model openai/gpt-4o-mini -WhatIf").Text
            $out | Should -Match ([regex]::Escape("POST https://gateway.ai.cloudflare.com/v1/$FakeAccountId/test-gateway/compat/chat/completions"))
            $out | Should -Match ([regex]::Escape('cloudflare-ai-gateway (gateway.ai.cloudflare.com)'))
            $out | Should -Not -Match 'fake-cf-token'

            $null = Invoke-AIChat 'hi' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Header @{ 'X-Emulator-Run' = $run } -WhatIf
            @(Get-TestServerRequest -Server $Server -Run $run).Count | Should -Be 0
        }
    }

    Context 'setup errors come before any request' {
        It 'names every missing variable' {
            Set-TestEnvironment @{ CLOUDFLARE_API_TOKEN = 'fake-cf-token' }
            { Invoke-AIChat 'x' -Provider cloudflare-ai-gateway } | Should -Throw -ErrorId 'ProviderEnvironmentVariableMissing,CloudflareAI.Commands.InvokeAIChatCommand'
            try { Invoke-AIChat 'x' -Provider cloudflare-ai-gateway } catch { $e = $_ }
            $e.Exception.Message | Should -Match 'CLOUDFLARE_ACCOUNT_ID, CLOUDFLARE_GATEWAY_ID'
            $e.CategoryInfo.Category | Should -Be 'InvalidOperation'
        }

        It 'rejects a value with a / in it' {
            $env:CLOUDFLARE_ACCOUNT_ID = 'a/b'
            { Invoke-AIChat 'x' -Provider cloudflare-workers-ai } | Should -Throw -ErrorId 'ProviderEnvironmentVariableInvalid,CloudflareAI.Commands.InvokeAIChatCommand'
        }

        It 'rejects an unknown alias with a suggestion' {
            try { Invoke-AIChat 'x' -Provider 'cloudflare-workersai' } catch { $e = $_ }
            $e.FullyQualifiedErrorId | Should -Be 'ProviderAliasNotFound,CloudflareAI.Commands.InvokeAIChatCommand'
            $e.Exception.Message | Should -Match "cloudflare-workers-ai"
        }

        It 'asks for a model when the alias has no default' {
            $env:GROQ_API_KEY = 'fake-groq'
            try { Invoke-AIChat 'x' -Provider groq } catch { $e = $_ }
            $e.FullyQualifiedErrorId | Should -Be 'ModelNotSpecified,CloudflareAI.Commands.InvokeAIChatCommand'
            $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $e.ErrorDetails.RecommendedAction | Should -Match '-Model'
        }

        It 'says what to set when no alias is available' {
            Clear-AliasEnvironment
            try { Invoke-AIChat 'x' } catch { $e = $_ }
            $e.FullyQualifiedErrorId | Should -Be 'ProviderNotConfigured,CloudflareAI.Commands.InvokeAIChatCommand'
            $e.CategoryInfo.Category | Should -Be 'InvalidOperation'
            $e.ErrorDetails.RecommendedAction | Should -Match 'CLOUDFLARE_ACCOUNT_ID'
        }

        It 'auto-selects Cloudflare first and says so in -Verbose' {
            $env:OPENAI_API_KEY = 'fake-openai'
            $verbose = Invoke-AIChat 'x' -WhatIf -Verbose 4>&1 | Out-String
            $verbose | Should -Match "using 'cloudflare-workers-ai'"
        }

        It 'refuses to send a token over plain http to a remote host' {
            try { Invoke-AIChat 'x' -Provider openai -Model m -BaseUrl 'http://example.com/v1' -ApiKey (ConvertTo-SecureString 'fake-key' -AsPlainText -Force) } catch { $e = $_ }
            $e.FullyQualifiedErrorId | Should -Be 'InsecureEndpoint,CloudflareAI.Commands.InvokeAIChatCommand'
            $e.CategoryInfo.Category | Should -Be 'SecurityError'
            $e.Exception.Message | Should -Match 'example\.com'
        }

        It 'reports a template error with its position' {
            try { Invoke-AIChat 'x' -Provider openai -Model m -BaseUrl 'https://x/${X:-d}' } catch { $e = $_ }
            $e.FullyQualifiedErrorId | Should -Be 'UrlTemplateInvalid,CloudflareAI.Commands.InvokeAIChatCommand'
            $e.Exception.Message | Should -Match 'position 11'
        }

        It 'rejects a header value with a line break' {
            { Invoke-AIChat 'x' -Provider cloudflare-workers-ai -Header @{ 'X-Test' = "a`r`nInjected: yes" } } |
                Should -Throw -ErrorId 'ParameterInvalid,CloudflareAI.Commands.InvokeAIChatCommand'
        }

        It 'completes -Provider from the catalog' {
            $line = 'Invoke-AIChat hi -Provider cloudflare-'
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText |
                Should -Be @('cloudflare-workers-ai', 'cloudflare-ai-gateway', 'cloudflare-ai-gateway-rest')
        }
    }
}
