# No token value appears in any output stream, in an error, in ToString() or in a transcript.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Saved = Save-AliasEnvironment
    # Obvious fakes, distinctive enough that a match can only be a leak.
    $script:Secrets = @{
        CLOUDFLARE_API_TOKEN        = 'fake-cf-api-token-DO-NOT-PRINT-0001'
        CLOUDFLARE_AI_GATEWAY_TOKEN = 'fake-cf-gateway-token-DO-NOT-PRINT-0002'
        OPENAI_API_KEY              = "fake-openai-key-DO-NOT-PRINT-0003`n"
        GROQ_API_KEY                = 'fake groq key DO-NOT-PRINT-0004'
        OVH_AI_ENDPOINTS_ACCESS_TOKEN = 'xxx-fake-ovh-DO-NOT-PRINT-0005'
        HF_TOKEN                    = '<fake-hf-DO-NOT-PRINT-0006>'
    }
    function Assert-NoSecret([string] $Text, [string] $Where) {
        foreach ($value in $script:Secrets.Values) {
            $needle = $value.Trim()
            $Text.Contains($needle) | Should -BeFalse -Because "$Where must not contain a token value"
        }
        $Text | Should -Not -Match 'DO-NOT-PRINT' -Because "$Where must not contain any part of a token"
    }
}

AfterAll {
    Restore-AliasEnvironment $script:Saved
}

Describe 'Secrets in Get-AIProviderAlias and Test-AIProviderEnvironment' {
    BeforeEach {
        Set-TestEnvironment $script:Secrets
        $env:CLOUDFLARE_ACCOUNT_ID = 'a/b'
        $env:CLOUDFLARE_GATEWAY_ID = 'your-gateway'
    }

    It 'never prints a token in any stream, error, ToString or transcript' {
        $transcript = Join-Path ([System.IO.Path]::GetTempPath()) "cfai-secrets-$([guid]::NewGuid()).txt"
        $Error.Clear()
        Start-Transcript -LiteralPath $transcript -Force | Out-Null
        try {
            $all = & {
                $aliases = Get-AIProviderAlias -Verbose -Debug
                $aliases | Format-List * | Out-String
                $aliases | ForEach-Object { $_.ToString() }
                $results = $aliases | Test-AIProviderEnvironment -Verbose -Debug
                $results | Format-List * | Out-String
                $results | ForEach-Object { $_.ToString(); $_.Problems }
                Get-AIProviderAlias 'no-such-alias' -ErrorAction Continue
                Test-AIProviderEnvironment 'no-such-alias' -ErrorAction Continue
                Test-AIProviderEnvironment cloudflare-ai-gateway -Quiet
                Get-AIProviderAlias -Available | Format-Table | Out-String
            } *>&1 | Out-String -Width 500
        }
        finally { Stop-Transcript | Out-Null }
        $all | Should -Match 'CLOUDFLARE_ACCOUNT_ID contains' -Because 'the sweep must have exercised the invalid-value path'
        $all | Should -Match 'OPENAI_API_KEY contains a line break' -Because 'the sweep must have exercised an invalid token'
        Assert-NoSecret $all 'the output streams'
        Assert-NoSecret (($Error | ForEach-Object { $_.ToString(); $_.Exception.Message; $_.ErrorDetails.RecommendedAction }) -join "`n") '$Error'
        Assert-NoSecret (Get-Content -LiteralPath $transcript -Raw) 'the transcript'
        Remove-Item -LiteralPath $transcript -ErrorAction SilentlyContinue
    }
}

Describe 'Secrets in Invoke-AIChat' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestServer.psm1') -Force
        $script:Server = Start-TestServer -Configuration $Configuration
        $script:Key = 'fake-apikey-param-DO-NOT-PRINT-0007'
    }
    AfterAll {
        if ($script:Server) { Stop-TestServer -Server $script:Server }
    }
    BeforeEach {
        Set-TestEnvironment @{
            CLOUDFLARE_API_TOKEN        = $script:Secrets.CLOUDFLARE_API_TOKEN
            CLOUDFLARE_AI_GATEWAY_TOKEN = $script:Secrets.CLOUDFLARE_AI_GATEWAY_TOKEN
            CLOUDFLARE_ACCOUNT_ID       = $FakeAccountId
            CLOUDFLARE_GATEWAY_ID       = 'test-gateway'
        }
    }

    It 'never prints a token with -Verbose -Debug -WhatIf, in errors (even a server that echoes it), streams or a transcript' {
        $gateway = $Server.Uri + '/v1/${CLOUDFLARE_ACCOUNT_ID}/${CLOUDFLARE_GATEWAY_ID}/compat'
        $workers = $Server.Uri + '/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1'
        $apiKey = ConvertTo-SecureString $script:Key -AsPlainText -Force
        $transcript = Join-Path ([System.IO.Path]::GetTempPath()) "cfai-secrets-chat-$([guid]::NewGuid()).txt"
        $Error.Clear()
        $DebugPreference = 'Continue'
        Start-Transcript -LiteralPath $transcript -Force | Out-Null
        try {
            $all = & {
                Invoke-AIChat 'ok' -Provider cloudflare-ai-gateway -BaseUrl $gateway -Verbose -Debug -Stream 6>&1 | Format-List * | Out-String
                Invoke-AIChat 'echo' -Provider cloudflare-ai-gateway -BaseUrl $gateway -Verbose -Debug -Header @{ 'X-Emulator-Scenario' = 'echo-token' } -ErrorAction Continue
                Invoke-AIChat 'echo' -Provider cloudflare-ai-gateway -BaseUrl $gateway -Model openai/gpt-4o -ApiKey $apiKey -Verbose -Debug -Header @{ 'X-Emulator-Scenario' = 'echo-token' } -ErrorAction Continue
                Invoke-AIChat 'echo' -Provider cloudflare-workers-ai -BaseUrl $workers -Verbose -Debug -Header @{ 'X-Emulator-Scenario' = 'echo-token'; 'X-Custom-Token' = '${CLOUDFLARE_API_TOKEN}' } -ErrorAction Continue
                Invoke-AIChat 'whatif' -Provider cloudflare-ai-gateway -ApiKey $apiKey -Model openai/gpt-4o -WhatIf -Verbose -Debug
                Invoke-AIChat 'retry' -Provider cloudflare-workers-ai -BaseUrl $workers -MaxRetries 1 -Verbose -Debug -Header @{ 'X-Emulator-Scenario' = 'unavailable' } -ErrorAction Continue
            } *>&1 | ForEach-Object { $_; if ($_ -is [System.Management.Automation.ErrorRecord]) { $_.Exception.Message; $_.ErrorDetails.RecommendedAction; $_.Exception.ToString() } } | Out-String -Width 1000
        }
        finally {
            Stop-Transcript | Out-Null
            $DebugPreference = 'SilentlyContinue'
        }
        $all | Should -Match 'Authentication error' -Because 'the sweep must have exercised the echoing server'
        $all | Should -Match '\*\*\*' -Because 'Debug output must show redacted headers'
        Assert-NoSecret $all 'the output streams'
        $all.Contains($script:Key) | Should -BeFalse
        $errorText = ($Error | ForEach-Object { $_.ToString(); $_.Exception.ToString(); $_.ErrorDetails.RecommendedAction }) -join "`n"
        Assert-NoSecret $errorText '$Error'
        $errorText.Contains($script:Key) | Should -BeFalse
        $log = Get-Content -LiteralPath $transcript -Raw
        Assert-NoSecret $log 'the transcript'
        $log.Contains($script:Key) | Should -BeFalse
        Remove-Item -LiteralPath $transcript -ErrorAction SilentlyContinue
    }
    It 'treats a Cookie header as a secret everywhere: masked in the -Debug dump and in an answer that repeats it' {
        # One rule says which headers are secret: the -Debug dump and the redactor must agree, or a server that echoes the
        # cookie shows it in full.
        $cookie = 'fake-cookie-DO-NOT-PRINT-0010'
        $plain = $Server.Uri + '/v1'
        $DebugPreference = 'Continue'
        try {
            $all = & {
                Invoke-AIChat 'cookie' -Provider ollama -Model m -BaseUrl $plain -Debug -Header @{ Cookie = "session=$cookie"; 'X-Emulator-Greeting' = "your cookie is session=$cookie, see" } |
                    Format-List * | Out-String
            } *>&1 | Out-String -Width 1000
        }
        finally { $DebugPreference = 'SilentlyContinue' }
        $all | Should -Match 'Cookie: \*\*\*' -Because 'the -Debug header dump masks the cookie'
        $all | Should -Match 'your cookie is \*\*\*, see' -Because 'the answer repeats the cookie, masked'
        $all | Should -Not -Match 'DO-NOT-PRINT'
    }

    It 'never prints a key given in -Header, a secret-named variable in -BaseUrl, or a key a successful answer repeats' {
        $headerKey = 'fake-header-key-DO-NOT-PRINT-0008'
        $env:MY_PATH_SECRET_KEY = 'fake-url-key-DO-NOT-PRINT-0009'
        $plain = $Server.Uri + '/v1'
        $inPath = $Server.Uri + '/client/v4/accounts/${MY_PATH_SECRET_KEY}/ai/v1'
        $transcript = Join-Path ([System.IO.Path]::GetTempPath()) "cfai-secrets-more-$([guid]::NewGuid()).txt"
        $Error.Clear()
        Start-Transcript -LiteralPath $transcript -Force | Out-Null
        try {
            $all = & {
                # A server that repeats only the key, without "Bearer " (OpenAI's 401 wording).
                Invoke-AIChat 'bare' -Provider ollama -Model m -BaseUrl $plain -Verbose -Debug -Header @{ Authorization = "Bearer $headerKey"; 'X-Emulator-Scenario' = 'echo-token; form=bare' } -ErrorAction Continue
                # The key streamed back as answer text.
                Invoke-AIChat 'stream' -Provider ollama -Model m -BaseUrl $plain -Stream -Header @{ Authorization = "Bearer $headerKey"; 'X-Emulator-Greeting' = "your key is $headerKey, see" } 6>&1 | Format-List * | Out-String
                # A secret-named variable in the URL path: -WhatIf, -Verbose and a real call.
                Invoke-AIChat 'path' -Provider cloudflare-workers-ai -BaseUrl $inPath -WhatIf -Verbose
                Invoke-AIChat 'path' -Provider cloudflare-workers-ai -BaseUrl $inPath -Verbose -Debug | Format-List * | Out-String
                Invoke-AIChat 'path' -Provider cloudflare-workers-ai -BaseUrl $inPath -Header @{ 'X-Emulator-Scenario' = 'not-found' } -Verbose -ErrorAction Continue
                # A 200 whose id, model, finish reason and gateway headers repeat the key.
                $echoed = Invoke-AIChat 'ok' -Provider ollama -Model m -BaseUrl $plain -Verbose -Header @{ Authorization = "Bearer $headerKey"; 'X-Emulator-Scenario' = 'echo-token-success' }
                $echoed | Format-List * -Force | Out-String
                $echoed.ToString()
            } *>&1 | ForEach-Object { $_; if ($_ -is [System.Management.Automation.ErrorRecord]) { $_.Exception.Message; $_.ErrorDetails.RecommendedAction; $_.Exception.ToString() } } | Out-String -Width 1000
        }
        finally {
            Stop-Transcript | Out-Null
            Remove-Item Env:MY_PATH_SECRET_KEY -ErrorAction SilentlyContinue
        }
        # The sweep must have reached every path it claims to test.
        $all | Should -Match 'Incorrect API key provided: \*\*\*'
        $all | Should -Match 'your key is \*\*\*, see'
        $all | Should -Match 'POST http://127\.0\.0\.1:\d+/client/v4/accounts/\*\*\*/ai/v1/chat/completions'
        $all | Should -Match 'model-\*\*\*'
        $all | Should -Match 'log-\*\*\*'
        $all | Should -Match 'echoed'
        @(Get-TestServerRequest -Server $Server | Where-Object { $_.path -like '*fake-url-key-DO-NOT-PRINT-0009*' }).Count | Should -BeGreaterThan 0 -Because 'the key in the path is still sent'
        foreach ($text in $all, (($Error | ForEach-Object { $_.ToString(); $_.Exception.ToString(); $_.ErrorDetails.RecommendedAction }) -join "`n"), (Get-Content -LiteralPath $transcript -Raw)) {
            $text | Should -Not -Match 'DO-NOT-PRINT'
        }
        Remove-Item -LiteralPath $transcript -ErrorAction SilentlyContinue
    }
}
