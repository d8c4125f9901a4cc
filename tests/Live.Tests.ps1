# Opt-in live test: runs only when the real Cloudflare variables are set, and says why it skipped otherwise.
# Invoke: $env:CLOUDFLARE_API_TOKEN = '...'; $env:CLOUDFLARE_ACCOUNT_ID = '...'; [$env:CLOUDFLARE_GATEWAY_ID = '...']
#         dotnet pwsh ./build.ps1 -Task Test
BeforeDiscovery {
    $script:LiveRows = @(
        @{ Alias = 'cloudflare-workers-ai'; Needs = @('CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_ACCOUNT_ID') }
        @{ Alias = 'cloudflare-ai-gateway'; Needs = @('CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_ACCOUNT_ID', 'CLOUDFLARE_GATEWAY_ID') }
        @{ Alias = 'cloudflare-ai-gateway-rest'; Needs = @('CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_ACCOUNT_ID', 'CLOUDFLARE_GATEWAY_ID') }
    )
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
}

Describe 'Live <Alias>' -Tag 'Live' -ForEach $LiveRows {
    It 'answers a real one-word prompt' {
        $missing = @($Needs | Where-Object { -not [System.Environment]::GetEnvironmentVariable($_) })
        if ($missing) {
            Set-ItResult -Skipped -Because "$($missing[0]) not set; skipping live $Alias API test"
            return
        }
        $r = Invoke-AIChat 'Reply with the single word: pong' -Provider $Alias -MaxTokens 16 -TimeoutSec 60 -ErrorAction Stop
        $r.Content | Should -Not -BeNullOrEmpty
        Write-Host "live $Alias answered: $($r.Content)"
    }

    It 'passes every online check of Test-AIProviderEnvironment' {
        $missing = @($Needs | Where-Object { -not [System.Environment]::GetEnvironmentVariable($_) })
        if ($missing) {
            Set-ItResult -Skipped -Because "$($missing[0]) not set; skipping live $Alias online checks"
            return
        }
        $r = Test-AIProviderEnvironment $Alias -Online -TimeoutSec 30
        foreach ($check in $r.Checks) { Write-Host "live $Alias $($check.Name): $($check.Level): $($check.Message)" }
        @($r.Checks | Where-Object { -not $_.Passed }) | Should -BeNullOrEmpty
        $r.IsReady | Should -BeTrue
        @($r.Checks.Name) | Should -Contain 'DefaultModel'
    }
}

Describe 'Live catalog <Alias>' -Tag 'Live' -ForEach $LiveRows {
    It 'lists the live catalog, and the alias default model is in it and not deprecated' {
        $missing = @($Needs | Where-Object { -not [System.Environment]::GetEnvironmentVariable($_) })
        if ($missing) {
            Set-ItResult -Skipped -Because "$($missing[0]) not set; skipping live $Alias catalog test"
            return
        }
        $models = @(Get-AIModel -Provider $Alias -Refresh -TimeoutSec 60 -ErrorAction Stop)
        $models.Count | Should -BeGreaterThan 0
        $default = (Get-AIProviderAlias $Alias).DefaultModel
        $entry = Get-AIModel $default -Provider $Alias -ErrorAction Stop
        $entry.Name | Should -Be $default
        $entry.IsDeprecated | Should -BeFalse -Because "the default model of $Alias must not be retired (planned: $($entry.PlannedDeprecation))"
        Write-Host "live $Alias catalog: $($models.Count) text-generation models; default $default is live"
    }
}
