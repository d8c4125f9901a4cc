BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Saved = Save-AliasEnvironment
}

AfterAll {
    Restore-AliasEnvironment $script:Saved
}

Describe 'Test-AIProviderEnvironment' {
    BeforeEach { Clear-AliasEnvironment }

    It 'reports the account and gateway as missing, each with its fix, when only the token is set' {
        Set-TestEnvironment @{ CLOUDFLARE_API_TOKEN = 'cf-test-token' }
        $r = Test-AIProviderEnvironment cloudflare-ai-gateway
        $r.PSObject.TypeNames[0] | Should -Be 'CloudflareAI.ProviderEnvironmentResult'
        $r.IsReady | Should -BeFalse
        $r.MissingVariables | Should -Be @('CLOUDFLARE_ACCOUNT_ID', 'CLOUDFLARE_GATEWAY_ID')
        $r.InvalidVariables | Should -BeNullOrEmpty
        $r.BaseUrl | Should -BeNullOrEmpty
        $r.RequiredVariables | Should -Be @('CLOUDFLARE_ACCOUNT_ID', 'CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_GATEWAY_ID')
        $r.Problems.Count | Should -Be 2
        $r.Problems[0] | Should -BeLike "CLOUDFLARE_ACCOUNT_ID is not set. Set it to your 32-character account ID*: `$env:CLOUDFLARE_ACCOUNT_ID = '...'"
        $r.Problems[1] | Should -BeLike "CLOUDFLARE_GATEWAY_ID is not set.*`$env:CLOUDFLARE_GATEWAY_ID = '...'"
    }

    It 'names every missing variable, sorted, when nothing is set' {
        $r = Test-AIProviderEnvironment cloudflare-ai-gateway
        $r.MissingVariables | Should -Be @('CLOUDFLARE_ACCOUNT_ID', 'CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_GATEWAY_ID')
        $r.Problems | Where-Object { $_ -match 'CLOUDFLARE_API_TOKEN is not set, and neither is CLOUDFLARE_AI_GATEWAY_TOKEN' } | Should -Not -BeNullOrEmpty
    }

    It 'is ready and shows the resolved URL when everything is set' {
        Set-TestEnvironment @{ CLOUDFLARE_API_TOKEN = 'cf-test-token'; CLOUDFLARE_ACCOUNT_ID = $FakeAccountId; CLOUDFLARE_GATEWAY_ID = 'gw-9' }
        $r = Test-AIProviderEnvironment cloudflare-ai-gateway
        $r.IsReady | Should -BeTrue
        $r.BaseUrl | Should -BeExactly "https://gateway.ai.cloudflare.com/v1/$FakeAccountId/gw-9/compat"
        $r.Problems | Should -BeNullOrEmpty
        $r.ToString() | Should -Be 'cloudflare-ai-gateway: ready'
    }

    It 'reports a value with a / in it as invalid, naming the variable' {
        Set-TestEnvironment @{ CLOUDFLARE_API_TOKEN = 'cf-test-token'; CLOUDFLARE_ACCOUNT_ID = 'a/b' }
        $r = Test-AIProviderEnvironment cloudflare-workers-ai
        $r.IsReady | Should -BeFalse
        $r.InvalidVariables | Should -Be @('CLOUDFLARE_ACCOUNT_ID')
        $r.MissingVariables | Should -BeNullOrEmpty
        $r.BaseUrl | Should -BeNullOrEmpty
        $r.Problems | Should -HaveCount 1
        $r.Problems[0] | Should -Match "^CLOUDFLARE_ACCOUNT_ID contains '/'"
        $r.Problems[0] | Should -Match ([regex]::Escape("`$env:CLOUDFLARE_ACCOUNT_ID = '...'"))
    }

    It 'warns about an account ID that is not 32 hex characters or looks like a placeholder, and stays ready' {
        Set-TestEnvironment @{ CLOUDFLARE_API_TOKEN = 'cf-test-token'; CLOUDFLARE_ACCOUNT_ID = 'your-account-id' }
        $r = Test-AIProviderEnvironment cloudflare-workers-ai
        $r.IsReady | Should -BeTrue
        $r.Problems | Should -HaveCount 1
        $r.Problems[0] | Should -Match 'placeholder'
        $env:CLOUDFLARE_ACCOUNT_ID = 'abc123'
        $r = Test-AIProviderEnvironment cloudflare-workers-ai
        $r.IsReady | Should -BeTrue
        $r.Problems[0] | Should -Match '32 hexadecimal'
    }

    It 'reports a token with a trailing newline as invalid without printing it' {
        Set-TestEnvironment @{ OPENAI_API_KEY = "sk-fake-DO-NOT-PRINT`n" }
        $r = Test-AIProviderEnvironment openai
        $r.IsReady | Should -BeFalse
        $r.InvalidVariables | Should -Be @('OPENAI_API_KEY')
        ($r | Format-List * | Out-String) | Should -Not -Match 'DO-NOT-PRINT'
    }

    It 'says azure needs -BaseUrl' {
        Set-TestEnvironment @{ AZURE_API_KEY = 'az-test' }
        $r = Test-AIProviderEnvironment azure
        $r.IsReady | Should -BeFalse
        $r.Problems | Should -Match '-BaseUrl'
    }

    Context '-Quiet' {
        It 'returns one $true when every named alias is ready' {
            Set-TestEnvironment @{ CLOUDFLARE_API_TOKEN = 'cf-test-token'; CLOUDFLARE_ACCOUNT_ID = $FakeAccountId; CLOUDFLARE_GATEWAY_ID = 'gw' }
            $answer = Test-AIProviderEnvironment cloudflare-workers-ai, cloudflare-ai-gateway, ollama -Quiet
            $answer | Should -BeOfType [bool]
            @($answer).Count | Should -Be 1
            $answer | Should -BeTrue
        }

        It 'returns one $false when any named alias is not ready' {
            Set-TestEnvironment @{ CLOUDFLARE_API_TOKEN = 'cf-test-token'; CLOUDFLARE_ACCOUNT_ID = $FakeAccountId }
            $answer = 'cloudflare-workers-ai', 'cloudflare-ai-gateway' | Test-AIProviderEnvironment -Quiet
            @($answer).Count | Should -Be 1
            $answer | Should -BeFalse
        }

        It 'answers $false, without an error, for an unknown name' {
            $answer = Test-AIProviderEnvironment ollama, 'no-such-alias' -Quiet -ErrorVariable errs
            $answer | Should -BeFalse
            $errs | Should -BeNullOrEmpty
        }
    }

    Context 'names and the pipeline' {
        It 'writes ProviderAliasNotFound for an unknown exact name, and nothing for a wildcard miss' {
            $r = Test-AIProviderEnvironment 'no-such-alias' -ErrorVariable errs -ErrorAction SilentlyContinue
            $r | Should -BeNullOrEmpty
            $errs[0].FullyQualifiedErrorId | Should -Be 'ProviderAliasNotFound,CloudflareAI.Commands.TestAIProviderEnvironmentCommand'
            $r = Test-AIProviderEnvironment 'no-such-*' -ErrorVariable errs2
            $r | Should -BeNullOrEmpty
            $errs2 | Should -BeNullOrEmpty
        }

        It 'binds Name from Get-AIProviderAlias output' {
            $results = Get-AIProviderAlias 'cloudflare-*' | Test-AIProviderEnvironment
            $results.Name | Should -Be @('cloudflare-workers-ai', 'cloudflare-ai-gateway', 'cloudflare-ai-gateway-rest')
        }

        It 'checks every alias from the pipeline' {
            (Get-AIProviderAlias | Test-AIProviderEnvironment).Count | Should -Be @($ExpectedAliases).Count
            Get-AIProviderAlias | Test-AIProviderEnvironment -Quiet | Should -BeFalse
        }

        It 'is tab-completed from the catalog' {
            $line = 'Test-AIProviderEnvironment open'
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText |
                Should -Be @('openai', 'openrouter', 'opencode-go', 'opencode-zen')
        }
    }

    It 'shows Problems in its default view' {
        Set-TestEnvironment @{ CLOUDFLARE_API_TOKEN = 'cf-test-token' }
        $text = Test-AIProviderEnvironment cloudflare-workers-ai | Out-String -Width 300
        $text | Should -Match 'IsReady\s+:\s+False'
        $text | Should -Match 'MissingVariables\s+:\s+CLOUDFLARE_ACCOUNT_ID'
        $text | Should -Match 'CLOUDFLARE_ACCOUNT_ID is not set'
    }
}
