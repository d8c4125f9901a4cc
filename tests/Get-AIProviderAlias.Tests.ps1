BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Saved = Save-AliasEnvironment
}

AfterAll {
    Restore-AliasEnvironment $script:Saved
}

Describe 'Get-AIProviderAlias' {
    BeforeEach { Clear-AliasEnvironment }

    It 'lists the expected aliases (tests/data/aliases.json), in catalog order, with their templates and tokens' {
        $aliases = @(Get-AIProviderAlias)
        $aliases.Count | Should -Be @($ExpectedAliases).Count
        $aliases.Name | Should -Be $ExpectedAliases.name
        foreach ($i in 0..($aliases.Count - 1)) {
            $aliases[$i].BaseUrlTemplate | Should -Be $ExpectedAliases[$i].baseUrl
            $aliases[$i].TokenVariable | Should -Be $ExpectedAliases[$i].token
            $aliases[$i].DefaultModel | Should -Be $ExpectedAliases[$i].defaultModel
        }
        $aliases | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'CloudflareAI.ProviderAlias' }
    }

    It 'shows the Workers AI alias with its template, token, requirements and default model' {
        $a = Get-AIProviderAlias cloudflare-workers-ai
        $a.BaseUrlTemplate | Should -BeExactly 'https://api.cloudflare.com/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1'
        $a.TokenVariable | Should -Be 'CLOUDFLARE_API_TOKEN'
        $a.RequiredVariables | Should -Be @('CLOUDFLARE_ACCOUNT_ID', 'CLOUDFLARE_API_TOKEN')
        $a.MissingVariables | Should -Be @('CLOUDFLARE_ACCOUNT_ID', 'CLOUDFLARE_API_TOKEN')
        $a.IsAvailable | Should -BeFalse
        $a.CoalescesSystemMessages | Should -BeTrue
        $a.DefaultModel | Should -Be '@cf/meta/llama-3.3-70b-instruct-fp8-fast'
        $a.DocumentationUrl | Should -Match '^https://developers\.cloudflare\.com/'
        $a.Description | Should -Not -BeNullOrEmpty
        $a.ToString() | Should -Be 'cloudflare-workers-ai'
    }

    It 'lists the gateway requirements sorted' {
        $a = Get-AIProviderAlias cloudflare-ai-gateway
        $a.RequiredVariables | Should -Be @('CLOUDFLARE_ACCOUNT_ID', 'CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_GATEWAY_ID')
        $a.DefaultModel | Should -Be 'workers-ai/@cf/meta/llama-3.3-70b-instruct-fp8-fast'
    }

    Context 'availability (-Available), evaluated at call time' {
        It 'shows neither Cloudflare alias with only the token set' {
            Set-TestEnvironment @{ CLOUDFLARE_API_TOKEN = 'cf-test-token' }
            $names = (Get-AIProviderAlias -Available).Name
            $names | Should -Not -Contain 'cloudflare-workers-ai'
            $names | Should -Not -Contain 'cloudflare-ai-gateway'
            (Get-AIProviderAlias cloudflare-workers-ai).MissingVariables | Should -Be @('CLOUDFLARE_ACCOUNT_ID')
        }

        It 'shows Workers AI once the account is set, and the gateway once the gateway is set too' {
            Set-TestEnvironment @{ CLOUDFLARE_API_TOKEN = 'cf-test-token'; CLOUDFLARE_ACCOUNT_ID = $FakeAccountId }
            $names = (Get-AIProviderAlias -Available).Name
            $names | Should -Contain 'cloudflare-workers-ai'
            $names | Should -Not -Contain 'cloudflare-ai-gateway'
            $env:CLOUDFLARE_GATEWAY_ID = 'my-gateway'
            $names = (Get-AIProviderAlias -Available).Name
            $names | Should -Contain 'cloudflare-ai-gateway'
        }

        It 'counts an empty value as missing' {
            Set-TestEnvironment @{ CLOUDFLARE_API_TOKEN = 'cf-test-token' }
            # $env:X = '' removes the variable in PowerShell; the API can hold a real empty string on Linux.
            [System.Environment]::SetEnvironmentVariable('CLOUDFLARE_ACCOUNT_ID', '')
            (Get-AIProviderAlias -Available).Name | Should -Not -Contain 'cloudflare-workers-ai'
        }

        It 'makes a static alias available with its token alone' {
            Set-TestEnvironment @{ AI_GATEWAY_API_KEY = 'vck-test' }
            (Get-AIProviderAlias -Available).Name | Should -Be @('ollama', 'vercel')
        }

        It 'always shows ollama and never azure' {
            Set-TestEnvironment @{ AZURE_API_KEY = 'az-test' }
            (Get-AIProviderAlias -Available).Name | Should -Be @('ollama')
        }

        It 'accepts the gateway token instead of the API token for the gateway' {
            Set-TestEnvironment @{ CLOUDFLARE_AI_GATEWAY_TOKEN = 'gw-test'; CLOUDFLARE_ACCOUNT_ID = $FakeAccountId; CLOUDFLARE_GATEWAY_ID = 'gw' }
            $a = Get-AIProviderAlias cloudflare-ai-gateway
            $a.IsAvailable | Should -BeTrue
            $a.MissingVariables | Should -BeNullOrEmpty
            (Get-AIProviderAlias cloudflare-workers-ai).IsAvailable | Should -BeFalse
        }
    }

    Context '-Name' {
        It 'takes wildcards' {
            (Get-AIProviderAlias 'cloudflare-*').Name | Should -Be @('cloudflare-workers-ai', 'cloudflare-ai-gateway', 'cloudflare-ai-gateway-rest')
            (Get-AIProviderAlias '*copilot').Name | Should -Be 'github-copilot'
        }

        It 'ignores letter case, like PowerShell' {
            (Get-AIProviderAlias 'OpenAI').Name | Should -Be 'openai'
        }

        It 'returns nothing and no error for a wildcard that matches nothing' {
            $out = Get-AIProviderAlias 'nothing-like-this*' -ErrorVariable errs
            $out | Should -BeNullOrEmpty
            $errs | Should -BeNullOrEmpty
        }

        It 'writes a non-terminating ProviderAliasNotFound with a suggestion for an exact name that misses, and goes on' {
            $out = Get-AIProviderAlias 'cloudflare-worker-ai', 'groq' -ErrorVariable errs -ErrorAction SilentlyContinue
            $out.Name | Should -Be 'groq'
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -Be 'ProviderAliasNotFound,CloudflareAI.Commands.GetAIProviderAliasCommand'
            $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $errs[0].Exception.Message | Should -Match "Did you mean 'cloudflare-workers-ai'"
            $errs[0].ErrorDetails.RecommendedAction | Should -Match 'Get-AIProviderAlias'
            $errs[0].TargetObject | Should -Be 'cloudflare-worker-ai'
        }

        It 'throws with -ErrorAction Stop' {
            { Get-AIProviderAlias 'nope' -ErrorAction Stop } | Should -Throw -ErrorId 'ProviderAliasNotFound,CloudflareAI.Commands.GetAIProviderAliasCommand'
        }

        It 'binds names from the pipeline by value and by property name' {
            ('groq', 'mistral' | Get-AIProviderAlias).Name | Should -Be @('groq', 'mistral')
            ([pscustomobject]@{ Name = 'xai' } | Get-AIProviderAlias).Name | Should -Be 'xai'
        }

        It 'is tab-completed from the catalog' {
            $line = 'Get-AIProviderAlias -Name cloudflare-'
            $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
            $completions | Should -Be @('cloudflare-workers-ai', 'cloudflare-ai-gateway', 'cloudflare-ai-gateway-rest')
        }
    }

    It 'has a default table view with Name, IsAvailable, Source, TokenVariable and BaseUrlTemplate' {
        $text = Get-AIProviderAlias openai | Out-String -Width 200
        $header = ($text -split "`n" | Where-Object { $_ -match '\S' } | Select-Object -First 1)
        $header | Should -Match '^Name\s+IsAvailable\s+Source\s+TokenVariable\s+BaseUrlTemplate'
        $text | Should -Match 'Builtin\s+OPENAI_API_KEY\s+https://api\.openai\.com/v1'
    }
}
