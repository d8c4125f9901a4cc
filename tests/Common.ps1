# Dot-sourced by every *.Tests.ps1: imports the built module and isolates the environment variables the aliases read.

# Which module, which configuration, and the one way to start a child pwsh (Invoke-ChildPwsh).
Import-Module (Join-Path $PSScriptRoot 'ChildPwsh.psm1') -Force
$script:ModulePath = Get-TestModulePath
$script:RepoRoot = Split-Path $PSScriptRoot -Parent
$script:Configuration = Get-TestConfiguration
Import-Module $script:ModulePath -Force -ErrorAction Stop

# No test reads the developer's own providers file (CLOUDFLAREAI_PROVIDERS_FILE, or the one in the user's configuration
# folder): every test sees a file that does not exist, and the user-alias tests point it at files in a temporary folder.
$env:CLOUDFLAREAI_PROVIDERS_FILE = Join-Path ([System.IO.Path]::GetTempPath()) "cloudflareai-tests-$PID/none/providers.json"

# The expected alias table, written out by hand in tests/data/aliases.json; the xunit tests read the same file.
$script:ExpectedAliases = (Get-Content -Raw -LiteralPath (Join-Path $PSScriptRoot 'data/aliases.json') | ConvertFrom-Json).aliases

# Every variable any alias reads: each token variable of the expected table, the Cloudflare ids and the gateway's own
# token, so a bug in the module under test cannot leak environment state between tests; plus whatever the module says.
function Get-AliasVariableName {
    @($script:ExpectedAliases | Where-Object token | ForEach-Object token) +
        'CLOUDFLARE_ACCOUNT_ID', 'CLOUDFLARE_GATEWAY_ID', 'CLOUDFLARE_AI_GATEWAY_TOKEN' +
        @(Get-AIProviderAlias | ForEach-Object RequiredVariables) | Sort-Object -Unique
}

# Saves and clears every alias variable (a CI machine may have GITHUB_TOKEN and the like); returns the saved table.
function Save-AliasEnvironment {
    $saved = @{}
    foreach ($name in Get-AliasVariableName) {
        $saved[$name] = [System.Environment]::GetEnvironmentVariable($name)
        [System.Environment]::SetEnvironmentVariable($name, $null)
    }
    $saved
}

function Restore-AliasEnvironment([hashtable] $Saved) {
    foreach ($name in Get-AliasVariableName) { [System.Environment]::SetEnvironmentVariable($name, $null) }
    foreach ($entry in $Saved.GetEnumerator()) { [System.Environment]::SetEnvironmentVariable($entry.Key, $entry.Value) }
}

function Clear-AliasEnvironment {
    foreach ($name in Get-AliasVariableName) { [System.Environment]::SetEnvironmentVariable($name, $null) }
}

function Set-TestEnvironment([hashtable] $Values) {
    Clear-AliasEnvironment
    foreach ($entry in $Values.GetEnumerator()) { [System.Environment]::SetEnvironmentVariable($entry.Key, $entry.Value) }
}

# A valid-looking account ID: 32 hex characters.
$script:FakeAccountId = '0123456789abcdef0123456789abcdef'
