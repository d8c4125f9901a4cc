# What a hostile or unlucky server sends, against the built module over real HTTP: escape sequences, oversized and
# endless bodies, a gzip bomb, a BOM, bytes that are not UTF-8, surrogate pairs cut between chunks, corrupt gzip,
# oversized headers, and error pages that echo the token in disguise.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $PSScriptRoot 'TestServer.psm1') -Force
    $script:Saved = Save-AliasEnvironment
    $script:Server = Start-TestServer -Configuration $Configuration
    $script:Plain = $Server.Uri + '/v1'
    $script:Workers = $Server.Uri + '/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1'
    $script:Token = 'fake-cf-api-token-DO-NOT-PRINT-0001'

    # Every control character a terminal acts on: C0 but tab and LF, DEL, C1. A CR is fine only before an LF.
    $script:Unsafe = '[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]|\r(?!\n)'

    function Invoke-Scenario([string] $Scenario, [switch] $Stream, [hashtable] $Extra = @{}, [string] $Run = [guid]::NewGuid().ToString()) {
        $headers = @{ 'X-Emulator-Scenario' = $Scenario; 'X-Emulator-Run' = $Run }
        $chat = @{ Provider = 'ollama'; Model = 'm'; BaseUrl = $script:Plain; Header = $headers; MaxRetries = 2; ErrorAction = 'SilentlyContinue'; ErrorVariable = 'failure' }
        foreach ($key in $Extra.Keys) { $chat[$key] = $Extra[$key] }
        if ($Stream) { $chat.Stream = $true }
        $information = $null
        $response = Invoke-AIChat 'hello' @chat -InformationVariable information 6>$null
        [pscustomobject]@{
            Response = $response
            Error    = $failure | Select-Object -First 1
            Host     = -join @($information | ForEach-Object { $_.MessageData.ToString() })
            Sent     = @(Get-TestServerRequest -Server $script:Server -Run $Run).Count
        }
    }

    function Get-ShownText($Result) {
        # What a console would show: the streamed text, the default view, and the error record as PowerShell formats it.
        $parts = @($Result.Host)
        if ($Result.Response) { $parts += $Result.Response | Out-String -Width 500; $parts += $Result.Response.Messages | Out-String -Width 500 }
        if ($Result.Error) { $parts += $Result.Error | Out-String -Width 500; $parts += $Result.Error.ErrorDetails.Message; $parts += $Result.Error.ErrorDetails.RecommendedAction }
        $parts -join "`n"
    }
}

AfterAll {
    if ($script:Server) { Stop-TestServer -Server $script:Server }
    Restore-AliasEnvironment $script:Saved
}

Describe 'Terminal safety: server text reaches the console with its control characters made visible' {
    It 'a streamed answer with <Name> shows escapes, and the object keeps the raw text' -ForEach @(
        @{ Name = 'a stream'; Stream = $true }
        @{ Name = 'no stream'; Stream = $false }
    ) {
        $result = Invoke-Scenario 'control-chars' -Stream:$Stream
        $result.Error | Should -BeNullOrEmpty
        $result.Response.Content | Should -Match "`e\[2J" -Because 'the property keeps what the server sent'
        $result.Response.Content | Should -Match "`e]52;c;"
        $result.Response.Content.Contains([string][char]0x9B) | Should -BeTrue
        $shown = Get-ShownText $result
        $shown | Should -Not -Match $script:Unsafe
        $shown | Should -Match ([regex]::Escape([string][char]0x241B + '[2J'))
        $shown | Should -Match ([regex]::Escape('\u009B31mred'))
        $shown | Should -Match ([regex]::Escape('\u000Dover'))
        if ($Stream) { $result.Host | Should -Match ([regex]::Escape([string][char]0x241B + ']52;c;')) }
    }

    It 'an error message that quotes the server shows escapes' {
        $result = Invoke-Scenario 'control-chars; status=400'
        $result.Error.FullyQualifiedErrorId | Should -Be 'ChatBadRequest,CloudflareAI.Commands.InvokeAIChatCommand'
        $shown = Get-ShownText $result
        $shown | Should -Match 'Bad input: safe'
        $shown | Should -Not -Match $script:Unsafe
        $result.Error.Exception.Message | Should -Not -Match $script:Unsafe
    }
}

Describe 'Size: -MaxResponseMB and the event-stream line cap' {
    It 'a 0.5 MB gzip body that inflates to 512 MB stops at the 32 MB cap, once, with memory bounded' {
        [GC]::Collect()
        $before = [System.Diagnostics.Process]::GetCurrentProcess()
        $before.Refresh()
        $peakBefore = $before.PeakWorkingSet64
        $result = Invoke-Scenario 'gzip-bomb'
        $after = [System.Diagnostics.Process]::GetCurrentProcess()
        $after.Refresh()
        $result.Error.FullyQualifiedErrorId | Should -Be 'ChatResponseInvalid,CloudflareAI.Commands.InvokeAIChatCommand'
        $result.Error.Exception.Message | Should -Match 'the answer is larger than 32 MB'
        $result.Error.ErrorDetails.RecommendedAction | Should -Match '-MaxResponseMB'
        $result.Sent | Should -Be 1 -Because 'an answer too large is not retried'
        # Coarse: the cap's buffer and its copies, far below the 512 MB the body inflates to.
        ($after.PeakWorkingSet64 - $peakBefore) / 1MB | Should -BeLessThan 256
    }

    It 'an endless body stops at -MaxResponseMB <Mb> (<Name>)' -ForEach @(
        @{ Name = 'JSON'; Stream = $false; Mb = 2 }
        @{ Name = 'event stream'; Stream = $true; Mb = 3 }
    ) {
        $result = Invoke-Scenario 'endless' -Stream:$Stream -Extra @{ MaxResponseMB = $Mb; TimeoutSec = 120 }
        $result.Error.FullyQualifiedErrorId | Should -Be 'ChatResponseInvalid,CloudflareAI.Commands.InvokeAIChatCommand'
        $result.Error.Exception.Message | Should -Match "the answer is larger than $Mb MB"
        $result.Sent | Should -Be 1
        if ($Stream) { $result.Host.Length | Should -BeGreaterThan 0 -Because 'the text streamed so far was shown' }
    }

    It 'one event-stream line of 512 MB stops at the 8 MB line cap' {
        $result = Invoke-Scenario 'gzip-bomb' -Stream
        $result.Error.FullyQualifiedErrorId | Should -Be 'ChatResponseInvalid,CloudflareAI.Commands.InvokeAIChatCommand'
        $result.Error.Exception.Message | Should -Match 'larger than 8 MB in one event-stream line'
        $result.Sent | Should -Be 1
    }

    It '-MaxResponseMB is validated' {
        { Invoke-AIChat 'x' -Provider ollama -Model m -BaseUrl $script:Plain -MaxResponseMB 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,CloudflareAI.Commands.InvokeAIChatCommand'
        (Get-Command Invoke-AIChat).Parameters['MaxResponseMB'].ParameterType | Should -Be ([int])
    }
}

Describe 'Bytes: BOM, invalid UTF-8, surrogates, corrupt compression, oversized headers' {
    It 'a BOM before the body is skipped (<Name>)' -ForEach @(
        @{ Name = 'JSON'; Stream = $false }
        @{ Name = 'before the first event'; Stream = $true }
    ) {
        $result = Invoke-Scenario 'bom' -Stream:$Stream
        $result.Error | Should -BeNullOrEmpty
        $result.Response.Content | Should -BeExactly 'after the BOM'
        if ($Stream) { $result.Host | Should -BeExactly 'after the BOM' }
    }

    It '<Scenario> is ChatResponseInvalid, sent once, never the catch-all (stream: <Stream>)' -ForEach @(
        @{ Scenario = 'invalid-utf8'; Stream = $false; Says = 'not valid UTF-8' }
        @{ Scenario = 'invalid-utf8'; Stream = $true; Says = 'not valid UTF-8' }
        @{ Scenario = 'corrupt-gzip'; Stream = $false; Says = 'does not decompress' }
        @{ Scenario = 'corrupt-gzip'; Stream = $true; Says = 'does not decompress' }
        @{ Scenario = 'corrupt-gzip; coding=br'; Stream = $false; Says = 'br-encoded' }
        @{ Scenario = 'corrupt-gzip; coding=br'; Stream = $true; Says = 'br-encoded' }
        @{ Scenario = 'huge-headers'; Stream = $false; Says = 'headers are larger' }
    ) {
        $result = Invoke-Scenario $Scenario -Stream:$Stream
        $result.Error.FullyQualifiedErrorId | Should -Be 'ChatResponseInvalid,CloudflareAI.Commands.InvokeAIChatCommand'
        $result.Error.Exception.Message | Should -Match $Says
        $result.Error.Exception.Message | Should -Not -Match 'unexpectedly'
        $result.Sent | Should -Be 1 -Because 'the same bytes would come again'
    }

    It 'a surrogate pair split across two chunks is one character; a lone one is U+FFFD (<Scenario>, stream: <Stream>)' -ForEach @(
        @{ Scenario = 'split-surrogate'; Stream = $true; Expected = "smile $([char]::ConvertFromUtf32(0x1F600))!" }
        @{ Scenario = 'split-surrogate'; Stream = $false; Expected = "smile $([char]::ConvertFromUtf32(0x1F600))!" }
        @{ Scenario = 'lone-surrogate'; Stream = $true; Expected = "smile $([char]0xFFFD)!" }
        @{ Scenario = 'lone-surrogate'; Stream = $false; Expected = "smile $([char]0xFFFD)!" }
    ) {
        $result = Invoke-Scenario $Scenario -Stream:$Stream
        $result.Error | Should -BeNullOrEmpty
        $result.Response.Content | Should -BeExactly $Expected
        if ($Stream) { $result.Host | Should -BeExactly $Expected }
    }
}

Describe 'Secrets, wider: previews, entities, redirects, templates, user-info' {
    BeforeEach {
        Set-TestEnvironment @{ CLOUDFLARE_API_TOKEN = $script:Token; CLOUDFLARE_ACCOUNT_ID = $FakeAccountId }
    }

    It 'no stream shows any part of the token, whatever the server or the template does with it' {
        $Error.Clear()
        $transcript = Join-Path ([System.IO.Path]::GetTempPath()) "cfai-hardening-$([guid]::NewGuid()).txt"
        Start-Transcript -LiteralPath $transcript -Force | Out-Null
        try {
            $all = & {
                foreach ($offset in 185, 190, 195, 199, 200) {
                    Invoke-AIChat 'long' -Provider cloudflare-workers-ai -BaseUrl $script:Workers -MaxRetries 0 -Verbose -Header @{ 'X-Emulator-Scenario' = "echo-token-long; offset=$offset" } -ErrorAction Continue
                }
                Invoke-AIChat 'entities' -Provider cloudflare-workers-ai -BaseUrl $script:Workers -MaxRetries 0 -Verbose -Header @{ 'X-Emulator-Scenario' = 'echo-token-entities' } -ErrorAction Continue
                Invoke-AIChat 'redirect' -Provider cloudflare-workers-ai -BaseUrl $script:Workers -Verbose -Header @{ 'X-Emulator-Scenario' = 'redirect-token-case' } -ErrorAction Continue
                # Setup errors are terminating: caught, so the record itself goes through the sweep.
                # What a double-quoted template does: PowerShell pastes the token in, and the rest is not a valid template.
                try {Invoke-AIChat 'quoted' -Provider cloudflare-workers-ai -BaseUrl "$($script:Plain)/$($env:CLOUDFLARE_API_TOKEN)/`$" -Verbose -ErrorAction Continue } catch { $_ }
                try {Invoke-AIChat 'quoted' -Provider cloudflare-workers-ai -BaseUrl "ftp://host/$($env:CLOUDFLARE_API_TOKEN)" -Verbose -ErrorAction Continue } catch { $_ }
                try {Invoke-AIChat 'userinfo' -Provider cloudflare-workers-ai -BaseUrl "http://user:$($env:CLOUDFLARE_API_TOKEN)@127.0.0.1:9/v1" -Verbose -ErrorAction Continue } catch { $_ }
                try {Invoke-AIChat 'userinfo' -Provider ollama -Model m -BaseUrl "http://someone:literal-pass-DO-NOT-PRINT-0002@127.0.0.1:9/v1" -Verbose -ErrorAction Continue } catch { $_ }
                # A working URL that carries the token in its path: -WhatIf and -Verbose show it masked.
                Invoke-AIChat 'path' -Provider cloudflare-workers-ai -BaseUrl "$($script:Plain)/$($env:CLOUDFLARE_API_TOKEN)" -WhatIf -Verbose
            } *>&1 | ForEach-Object { $_; if ($_ -is [System.Management.Automation.ErrorRecord]) { $_.Exception.Message; $_.ErrorDetails.RecommendedAction; $_.TargetObject; $_.Exception.ToString() } } | Out-String -Width 1000
        }
        finally { Stop-Transcript | Out-Null }
        # The sweep reached each path it claims to test.
        $all | Should -Match 'not JSON'
        $all | Should -Match 'Upstream refused key \*\*\*'
        $all | Should -Match 'redirects to \*\*\*\.elsewhere\.example'
        $all | Should -Match 'is invalid at position'
        $all | Should -Match 'does not give an absolute'
        @($Error | Where-Object FullyQualifiedErrorId -like 'UrlTemplateInvalid,*').Count | Should -BeGreaterOrEqual 4
        $all | Should -Match "Base URL template '"
        $all | Should -Match '\*\*\*@127\.0\.0\.1'
        foreach ($text in $all, (($Error | ForEach-Object { $_.ToString(); $_.Exception.ToString(); $_.ErrorDetails.RecommendedAction; [string]$_.TargetObject }) -join "`n"), (Get-Content -LiteralPath $transcript -Raw)) {
            # -Match ignores case: a token in other letter case is a leak too.
            $text | Should -Not -Match 'DO-NOT-PRINT'
            $text | Should -Not -Match 'fake-cf-api'
        }
        Remove-Item -LiteralPath $transcript -ErrorAction SilentlyContinue
    }
}
