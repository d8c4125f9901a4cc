<#
.SYNOPSIS
    Runs every tests/*.Tests.ps1 against the built module in parallel worker processes and writes one count summary.

.DESCRIPTION
    build.ps1 -Task Test runs this in a fresh pwsh. It starts -Jobs workers (tests/Invoke-PesterWorker.ps1, each a fresh
    pwsh started through Invoke-ChildPwsh's launcher); each worker takes the next file nobody has taken, runs it with
    Pester, and leaves its counts, failures and NUnit XML in <ResultDirectory>/pester/. Files run whole, one at a time
    per worker, as they did in one process: a file's BeforeAll, emulator and environment stay its own.

    The longest files start first, so that no long file is left to run alone at the end: the order is the last run's
    durations (pester-durations.json) when there are any, else the two known long files, then the rest by size.

    Prints one line per file as it ends (and each failure in full), then 'Pester: N passed, F failed, S skipped'. Writes
    pester-summary.json for build.ps1. Exits 1 when any test, block or file failed, or a file never reported.

.EXAMPLE
    dotnet pwsh -NoProfile -File tests/Invoke-PesterRun.ps1 -PesterPath .tools/packages/pester/5.7.1/tools/Pester.psd1 -ModulePath out/CloudflareAI -Configuration Release -ResultDirectory out/TestResults
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $Configuration,
    [Parameter(Mandatory)] [string] $ResultDirectory,

    # How many files run at once. 0: CLOUDFLAREAI_TEST_JOBS, else 3 (most files wait on HTTP and child processes
    # more than they compute, so one more worker than this machine's two CPUs keeps both busy).
    [ValidateRange(0, 64)]
    [int] $Jobs = 0,

    # Test files to run (also one comma-separated string, as pwsh -File passes it); all tests/*.Tests.ps1 without it.
    [string[]] $Path
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
Import-Module (Join-Path $PSScriptRoot 'ChildPwsh.psm1') -Force

# Only a guard against a hung worker: far above a whole run's usual length.
$HangGuard = [TimeSpan]::FromMinutes(30)
$KnownLong = @('Bench.Tests.ps1', 'Examples.Tests.ps1')

if ($Jobs -eq 0) { $Jobs = if ($env:CLOUDFLAREAI_TEST_JOBS) { [int]$env:CLOUDFLAREAI_TEST_JOBS } else { 3 } }
$ModulePath = (Resolve-Path -LiteralPath $ModulePath).Path
$ResultDirectory = (New-Item -ItemType Directory -Force -Path $ResultDirectory).FullName
$PesterPath = (Resolve-Path -LiteralPath $PesterPath).Path
# The test files and their child processes read these instead of guessing paths.
$env:CLOUDFLAREAI_TEST_MODULE = $ModulePath
$env:CLOUDFLAREAI_TEST_CONFIGURATION = $Configuration
# No test may read the developer's own providers file: by default every test sees a file that does not exist; the
# user-alias tests point this at files of their own in a temporary folder.
$env:CLOUDFLAREAI_PROVIDERS_FILE = Join-Path ([System.IO.Path]::GetTempPath()) "cloudflareai-tests-$PID/none/providers.json"
$runDirectory = Join-Path $ResultDirectory 'pester'
if (Test-Path -LiteralPath $runDirectory) { Remove-Item -LiteralPath $runDirectory -Recurse -Force }
$null = New-Item -ItemType Directory -Path $runDirectory
$durationsPath = Join-Path $ResultDirectory 'pester-durations.json'

$files = if ($Path) { @($Path -split "," | Where-Object { $_ } | ForEach-Object { Get-Item -LiteralPath $_ }) } else { @(Get-ChildItem -LiteralPath $PSScriptRoot -Filter '*.Tests.ps1') }
$previous = @{}
if (Test-Path -LiteralPath $durationsPath) {
    try { $previous = Get-Content -LiteralPath $durationsPath -Raw | ConvertFrom-Json -AsHashtable } catch { $previous = @{} }
}
$ordered = @($files | Sort-Object -Descending -Property `
    @{ Expression = { if ($previous.ContainsKey($_.Name)) { [double]$previous[$_.Name] } elseif ($_.Name -in $KnownLong) { 1e6 } else { -1 } } },
    @{ Expression = { $_.Length } })
Set-Content -LiteralPath (Join-Path $runDirectory 'queue.txt') -Value ($ordered.FullName) -Encoding utf8NoBOM
$Jobs = [Math]::Max(1, [Math]::Min($Jobs, $ordered.Count))
Write-Host "Pester: $($ordered.Count) files in $Jobs worker processes"

$workerScript = Join-Path $PSScriptRoot 'Invoke-PesterWorker.ps1'
$workers = foreach ($n in 1..$Jobs) {
    $process = Invoke-ChildPwsh -PassThru -File $workerScript -ArgumentList @('-PesterPath', $PesterPath, '-RunDirectory', $runDirectory) `
        -Environment @{ CLOUDFLAREAI_TEST_MODULE = $ModulePath; CLOUDFLAREAI_TEST_CONFIGURATION = $Configuration }
    [pscustomobject]@{
        Number  = $n
        Process = $process
        # Drained as they come, so that a worker never blocks on a full pipe; shown only when a worker goes wrong.
        StdOut  = $process.StandardOutput.ReadToEndAsync()
        StdErr  = $process.StandardError.ReadToEndAsync()
    }
}

function Get-Report([System.IO.FileInfo] $File) {
    $json = Join-Path $runDirectory ($File.Name + '.json')
    if (-not (Test-Path -LiteralPath $json)) { return $null }
    Get-Content -LiteralPath $json -Raw | ConvertFrom-Json
}

function Write-Report($Report) {
    $mark = if ($Report.Failed -gt 0) { '[-]' } else { '[+]' }
    $colour = if ($Report.Failed -gt 0) { 'Red' } else { 'Green' }
    Write-Host ('{0} {1}: {2} passed, {3} failed, {4} skipped ({5:0.0} s, worker {6})' -f $mark, $Report.File, $Report.Passed,
        $Report.Failed, $Report.Skipped, $Report.Seconds, $Report.Worker) -ForegroundColor $colour
    foreach ($failure in @($Report.Failures)) {
        Write-Host "    [-] $($failure.Name)" -ForegroundColor Red
        foreach ($line in ($failure.Message -split "`n" | Where-Object { $_.Trim() })) { Write-Host "        $line" }
    }
}

$printed = @{}
$reports = @{}
$deadline = [DateTime]::UtcNow + $HangGuard
$hung = $false
while ($true) {
    foreach ($file in $ordered) {
        if ($printed.ContainsKey($file.Name)) { continue }
        $report = Get-Report $file
        if ($report) {
            $reports[$file.Name] = $report
            $printed[$file.Name] = $true
            Write-Report $report
        }
    }
    if (-not @($workers | Where-Object { -not $_.Process.HasExited })) { break }
    if ([DateTime]::UtcNow -gt $deadline) {
        $hung = $true
        Write-Host "Pester: a worker still ran after the $($HangGuard.TotalMinutes) min hang guard; stopping the workers." -ForegroundColor Red
        foreach ($worker in $workers) { Stop-ChildPwsh -Process $worker.Process }
        break
    }
    Start-Sleep -Milliseconds 200
}
# A report written just before its worker exited.
foreach ($file in $ordered) {
    if (-not $printed.ContainsKey($file.Name) -and ($report = Get-Report $file)) { $reports[$file.Name] = $report; Write-Report $report }
}

$summary = @{ Passed = 0; Failed = 0; Skipped = 0 }
foreach ($report in $reports.Values) {
    $summary.Passed += [int]$report.Passed
    $summary.Failed += [int]$report.Failed
    $summary.Skipped += [int]$report.Skipped
}
$missing = @($ordered | Where-Object { -not $reports.ContainsKey($_.Name) })
foreach ($file in $missing) {
    Write-Host "[-] $($file.Name): no result (its worker failed or was stopped)" -ForegroundColor Red
    $summary.Failed += 1
}
foreach ($worker in $workers) {
    $null = $worker.Process.WaitForExit(10000)
    $code = if ($worker.Process.HasExited) { $worker.Process.ExitCode } else { 'none' }
    if ($missing -or $hung -or ($code -ne 0 -and $code -ne 1)) {
        Write-Host "Worker $($worker.Number) (exit code $code) wrote:" -ForegroundColor Yellow
        foreach ($stream in $worker.StdOut, $worker.StdErr) {
            if ($stream.IsCompleted) { $stream.Result -split "`n" | Select-Object -Last 40 | ForEach-Object { Write-Host "    $_" } }
        }
    }
    $worker.Process.Dispose()
}

# The next run starts the longest files first.
$durations = [ordered]@{}
foreach ($report in $reports.Values | Sort-Object Seconds -Descending) { $durations[$report.File] = [Math]::Round([double]$report.Seconds, 1) }
$durations | ConvertTo-Json | Set-Content -LiteralPath $durationsPath -Encoding utf8NoBOM

Write-Host ("Pester: {0} passed, {1} failed, {2} skipped" -f $summary.Passed, $summary.Failed, $summary.Skipped)
$summary | ConvertTo-Json | Set-Content -LiteralPath (Join-Path $ResultDirectory 'pester-summary.json') -Encoding utf8NoBOM
if ($summary.Failed -gt 0) { exit 1 }
exit 0
