# Invoke-AIChat batches against the loopback emulator: -ThrottleLimit counts requests in flight (a request waiting for
# its retry gives its place away), ordered output under injected faults, -RequestsPerMinute, the adaptive concurrency and
# Ctrl+C mid-batch. Nothing here asserts on elapsed time: the emulator's records and its in-flight gauge are the evidence.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $PSScriptRoot 'TestServer.psm1') -Force
    $script:Saved = Save-AliasEnvironment
    $script:Server = Start-TestServer -Configuration $Configuration
    $script:WorkersBase = $Server.Uri + '/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1'
    $script:Token = 'fake-batch-token-0123456789'

    function New-RunId { [guid]::NewGuid().ToString('n') }

    # The prompt each request carried, in the order the emulator received them.
    function Get-SentPrompt([string] $Run) {
        Get-TestServerRequest -Server $script:Server -Run $Run | Sort-Object seq | ForEach-Object { ($_.body | ConvertFrom-Json).messages[-1].content }
    }
}

AfterAll {
    if ($script:Server) { Stop-TestServer -Server $script:Server }
    Restore-AliasEnvironment $script:Saved
}

Describe 'Invoke-AIChat batches' {
    BeforeEach {
        Set-TestEnvironment @{ CLOUDFLARE_API_TOKEN = $Token; CLOUDFLARE_ACCOUNT_ID = $FakeAccountId }
    }

    Context '-ThrottleLimit counts requests in flight' {
        It 'returns every answer once, in input order, with 429s and 503s injected at -ThrottleLimit 8' {
            $run = New-RunId
            $prompts = 1..40 | ForEach-Object { "q$_" }
            $headers = @{ 'X-Emulator-Run' = $run; 'X-Emulator-Latency-Ms' = '20'; 'X-Emulator-Fault-Rate' = '429=0.15,503=0.15; retryAfter=0' }
            # Ten retries: a prompt failing eleven times in a row at 30% is a one-in-half-a-million event.
            $answers = @($prompts | Invoke-AIChat -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -ThrottleLimit 8 -MaxRetries 10 -Header $headers -ErrorAction Stop)

            $answers.Count | Should -Be 40
            ($answers | ForEach-Object { $_.Messages[-2].Content }) | Should -Be $prompts
            @($answers.Id | Sort-Object -Unique).Count | Should -Be 40
            $gauge = (Get-TestServerStatus -Server $Server -Run $run).run
            $gauge.faulted | Should -BeGreaterThan 0
            $gauge.requests | Should -Be (40 + $gauge.faulted)
            ($answers | Measure-Object Attempts -Sum).Sum | Should -Be $gauge.requests
            $gauge.peakInFlight | Should -BeLessOrEqual 8
            $gauge.inFlight | Should -Be 0
        }

        It 'sends the next prompts while an earlier one waits for its retry' {
            # One place: 'a' gets a 503 asking for 5 s; 'b' and 'c' go meanwhile, and the answers still come out a, b, c.
            $run = New-RunId
            $headers = @{ 'X-Emulator-Run' = $run; 'X-Emulator-Scenario' = 'unavailable; times=1; retryAfter=5' }
            $answers = @('a', 'b', 'c' | Invoke-AIChat -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Header $headers -ErrorAction Stop)

            ($answers | ForEach-Object { $_.Messages[-2].Content }) | Should -Be @('a', 'b', 'c')
            ($answers | ForEach-Object Attempts) | Should -Be @(2, 1, 1)
            Get-SentPrompt $run | Should -Be @('a', 'b', 'c', 'a')
        }

        It 'writes one non-terminating error per failed item and goes on with the rest' {
            $run = New-RunId
            $prompts = 'p1', 'p2', 'p3', 'p4', 'p5', 'p6'
            $errs = $null
            $answers = @($prompts | Invoke-AIChat -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -ThrottleLimit 4 `
                    -Header @{ 'X-Emulator-Run' = $run; 'X-Emulator-Scenario' = 'unauthorized; times=2' } -ErrorVariable errs -ErrorAction SilentlyContinue)

            $answers.Count | Should -Be 4
            $errs.Count | Should -Be 2
            $errs | ForEach-Object { $_.FullyQualifiedErrorId | Should -Be 'ChatAuthenticationFailed,CloudflareAI.Commands.InvokeAIChatCommand' }
            # Which two failed depends on arrival order; together they are every prompt once, the answers in input order.
            @(@($answers | ForEach-Object { $_.Messages[-2].Content }) + @($errs.TargetObject) | Sort-Object) | Should -Be $prompts
            $answered = @($answers | ForEach-Object { $_.Messages[-2].Content })
            $answered | Should -Be @($prompts | Where-Object { $_ -in $answered })
        }
    }

    Context '-RequestsPerMinute' {
        It 'refuses <_> with a parameter validation error' -ForEach 0, -5, 1000001 {
            { Invoke-AIChat 'x' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -RequestsPerMinute $_ } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError,CloudflareAI.Commands.InvokeAIChatCommand'
        }

        It 'says the pace in -Verbose' {
            $run = New-RunId
            $verbose = Invoke-AIChat 'x' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -RequestsPerMinute 600 -ThrottleLimit 4 `
                -Header @{ 'X-Emulator-Run' = $run } -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            $verbose.Message | Should -Contain 'Up to 4 request(s) in flight, paced to 600 per minute (bursts of 10), retries included.'
            $verbose.Message | Should -Not -Match 'fake-batch-token'
        }

        It 'keeps a batch under a server limit that an unpaced batch runs into' {
            # The emulator allows 2 requests in any 1 s; 60 per minute sends one a second after a burst of one.
            $run = New-RunId
            $headers = @{ 'X-Emulator-Run' = $run; 'X-Emulator-Rate-Limit' = '2/1' }
            $answers = @('a', 'b', 'c', 'd' | Invoke-AIChat -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -ThrottleLimit 4 -RequestsPerMinute 60 -Header $headers -ErrorAction Stop)
            ($answers | ForEach-Object { $_.Messages[-2].Content }) | Should -Be @('a', 'b', 'c', 'd')
            ($answers | ForEach-Object Attempts) | Should -Be @(1, 1, 1, 1)
            $gauge = (Get-TestServerStatus -Server $Server -Run $run).run
            $gauge.refused | Should -Be 0
            $gauge.requests | Should -Be 4

            # The same batch unpaced: four at once, two refused with 429 code 3021 (no Retry-After).
            $unpaced = New-RunId
            $errs = $null
            $null = 'a', 'b', 'c', 'd' | Invoke-AIChat -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -ThrottleLimit 4 -MaxRetries 0 `
                -Header @{ 'X-Emulator-Run' = $unpaced; 'X-Emulator-Rate-Limit' = '2/60' } -ErrorVariable errs -ErrorAction SilentlyContinue
            (Get-TestServerStatus -Server $Server -Run $unpaced).run.refused | Should -Be 2
            $errs.Count | Should -Be 2
            $errs | ForEach-Object { $_.FullyQualifiedErrorId | Should -Be 'ChatRateLimited,CloudflareAI.Commands.InvokeAIChatCommand' }
        }
    }

    Context 'adaptive concurrency' {
        It 'halves the concurrency on a 429 and raises it by one per success, in -Verbose' {
            $run = New-RunId
            $prompts = 1..12 | ForEach-Object { "q$_" }
            # The latency keeps the first four requests together, so the refused one comes back before the others' answers.
            $headers = @{ 'X-Emulator-Run' = $run; 'X-Emulator-Scenario' = 'rate-limit; times=1; retryAfter=0'; 'X-Emulator-Latency-Ms' = '300' }
            $all = $prompts | Invoke-AIChat -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -ThrottleLimit 4 -Header $headers -Verbose 4>&1
            $answers = @($all | Where-Object { $_ -is [CloudflareAI.ChatResponse] })
            $verbose = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message

            ($answers | ForEach-Object { $_.Messages[-2].Content }) | Should -Be $prompts
            $verbose | Should -Contain "HTTP 429: lowered the batch's concurrency to 2 of 4."
            $verbose | Should -Contain "Raised the batch's concurrency to 3 of 4."
            $verbose | Should -Contain "Raised the batch's concurrency to 4 of 4."
            $verbose | Should -Not -Match 'fake-batch-token'
        }

        It 'sends a request refused without Retry-After again only when an answer comes back' {
            # 2 requests in any second, answered after 1 s: two of four are refused with 3021 and no Retry-After. The halving
            # leaves places free (4 of 8), and each retry's delay (under 1 s) ends before the first answers; sent then, it
            # would be refused again. Each waits for an answer instead, when the window has room for it.
            $run = New-RunId
            $headers = @{ 'X-Emulator-Run' = $run; 'X-Emulator-Rate-Limit' = '2/1'; 'X-Emulator-Latency-Ms' = '1000' }
            $answers = @('a', 'b', 'c', 'd' | Invoke-AIChat -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -ThrottleLimit 8 -Header $headers -ErrorAction Stop)

            ($answers | ForEach-Object { $_.Messages[-2].Content }) | Should -Be @('a', 'b', 'c', 'd')
            ($answers | Measure-Object -Property Attempts -Sum).Sum | Should -Be 6
            $gauge = (Get-TestServerStatus -Server $Server -Run $run).run
            $gauge.refused | Should -Be 2
            $gauge.requests | Should -Be 6
        }

        It 'keeps the concurrency with -RequestsPerMinute and for a quota 429' {
            $run = New-RunId
            $verbose = 'a', 'b' | Invoke-AIChat -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -ThrottleLimit 2 -RequestsPerMinute 6000 `
                -Header @{ 'X-Emulator-Run' = $run; 'X-Emulator-Scenario' = 'rate-limit; times=1; retryAfter=0' } -Verbose 4>&1 |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            $verbose.Message | Should -Not -Match 'concurrency to'

            $quota = New-RunId
            $errs = $null
            $verbose = 'a', 'b' | Invoke-AIChat -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -ThrottleLimit 2 `
                -Header @{ 'X-Emulator-Run' = $quota; 'X-Emulator-Scenario' = 'quota; times=1' } -Verbose -ErrorVariable errs -ErrorAction SilentlyContinue 4>&1 |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            $errs.Count | Should -Be 1
            $verbose.Message | Should -Not -Match 'lowered'
        }
    }

    Context 'Ctrl+C mid-batch' {
        It 'stops a batch whose first prompts wait to retry and whose later answers are held behind them' {
            $run = New-RunId
            $ps = [powershell]::Create()
            $null = $ps.AddScript({
                    param($module, $base, $run)
                    Import-Module $module
                    # The first four requests get 503 and wait 30 s to retry, holding no place; the other 16 are answered
                    # and held in order behind them.
                    1..20 | ForEach-Object { "q$_" } | Invoke-AIChat -Provider cloudflare-workers-ai -BaseUrl $base -ThrottleLimit 4 `
                        -Header @{ 'X-Emulator-Run' = $run; 'X-Emulator-Scenario' = 'unavailable; times=4; retryAfter=30' }
                }).AddArgument($ModulePath).AddArgument($WorkersBase).AddArgument($run)
            $null = $ps.BeginInvoke()
            $null = Wait-TestServerRun -Server $Server -Run $run -Condition { param($g) $g.requests -ge 20 -and $g.inFlight -eq 0 }
            $ps.Streams.Error.Count | Should -Be 0

            $stopped = $ps.BeginStop($null, $null)
            # A guard against a hang, not a measurement.
            $stopped.AsyncWaitHandle.WaitOne(120000) | Should -BeTrue
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $ps.Dispose()
            # The stop itself sends nothing: the waiting retries are cancelled, not fired early.
            (Get-TestServerStatus -Server $Server -Run $run).run.requests | Should -Be 20
        }
    }
}
