<#
.SYNOPSIS
    Runs the Pester suite in this (fresh) process against the built module and writes a count summary for build.ps1.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $Configuration,
    [Parameter(Mandatory)] [string] $ResultDirectory
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force

# The test files read these instead of guessing paths.
$env:CLOUDFLAREAI_TEST_MODULE = (Resolve-Path $ModulePath).Path
$env:CLOUDFLAREAI_TEST_CONFIGURATION = $Configuration
# No test may read the developer's own providers file: by default every test sees a file that does not exist; the
# user-alias tests point this at files of their own in a temporary folder.
$env:CLOUDFLAREAI_PROVIDERS_FILE = Join-Path ([System.IO.Path]::GetTempPath()) "cloudflareai-tests-$PID/none/providers.json"

$config = New-PesterConfiguration
$config.Run.Path = $PSScriptRoot
$config.Run.PassThru = $true
$config.Run.Exit = $false
$config.Output.Verbosity = 'Normal'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'NUnitXml'
$config.TestResult.OutputPath = Join-Path $ResultDirectory 'pester.xml'
$result = Invoke-Pester -Configuration $config

$summary = @{
    Passed  = $result.PassedCount
    Failed  = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    Skipped = $result.SkippedCount + $result.NotRunCount
}
$summary | ConvertTo-Json | Set-Content -LiteralPath (Join-Path $ResultDirectory 'pester-summary.json') -Encoding utf8NoBOM
if ($summary.Failed -gt 0) { exit 1 }
exit 0
