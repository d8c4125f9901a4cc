<#
.SYNOPSIS
    One worker of tests/Invoke-PesterRun.ps1: runs test files from the run's queue, one at a time, until none is left.

.DESCRIPTION
    Takes a file by creating <RunDirectory>/<file>.claim (only one worker can create it), runs it with Pester, and writes
    <file>.json (counts, seconds, each failure's name and message) and <file>.xml (NUnit). The module under test and the
    configuration come from CLOUDFLAREAI_TEST_MODULE and CLOUDFLAREAI_TEST_CONFIGURATION, as the test files read them.

.EXAMPLE
    pwsh -NoProfile -File tests/Invoke-PesterWorker.ps1 -PesterPath .tools/packages/pester/5.7.1/tools/Pester.psd1 -RunDirectory out/TestResults/pester
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $RunDirectory
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force
$worker = $PID

function Get-FailureText($ErrorRecords) {
    @($ErrorRecords | ForEach-Object {
            # Where in the test file, not where in Pester.
            $where = if ($_.ScriptStackTrace) { ($_.ScriptStackTrace -split "`n" | Where-Object { $_ -notmatch 'Pester\.psm1' } | Select-Object -First 2) -join "`n" } else { '' }
            (@($_.Exception.Message, $where) | Where-Object { $_ }) -join "`n"
        }) -join "`n"
}

$queue = @(Get-Content -LiteralPath (Join-Path $RunDirectory 'queue.txt'))
foreach ($file in $queue) {
    $name = Split-Path $file -Leaf
    try { [System.IO.File]::Open((Join-Path $RunDirectory "$name.claim"), 'CreateNew', 'Write').Dispose() }
    catch [System.IO.IOException] { continue }

    $config = New-PesterConfiguration
    $config.Run.Path = $file
    $config.Run.PassThru = $true
    $config.Run.Exit = $false
    # The runner prints the counts and every failure; a file's own host output stays out of the way.
    $config.Output.Verbosity = 'None'
    $config.TestResult.Enabled = $true
    $config.TestResult.OutputFormat = 'NUnitXml'
    $config.TestResult.OutputPath = Join-Path $RunDirectory "$name.xml"
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $failures = [System.Collections.Generic.List[object]]::new()
    try {
        $result = Invoke-Pester -Configuration $config
        $passed = $result.PassedCount
        $failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
        $skipped = $result.SkippedCount + $result.NotRunCount
        foreach ($test in $result.Failed) { $failures.Add(@{ Name = $test.ExpandedPath; Message = Get-FailureText $test.ErrorRecord }) }
        foreach ($block in $result.FailedBlocks) { $failures.Add(@{ Name = "$($block.Path -join '.') (block)"; Message = Get-FailureText $block.ErrorRecord }) }
        foreach ($container in $result.FailedContainers) { $failures.Add(@{ Name = "$name (file)"; Message = Get-FailureText $container.ErrorRecord }) }
    }
    catch {
        $passed = 0; $failed = 1; $skipped = 0
        $failures.Add(@{ Name = "$name (Pester)"; Message = Get-FailureText $_ })
    }
    $report = [ordered]@{
        File = $name; Worker = $worker; Passed = $passed; Failed = $failed; Skipped = $skipped
        Seconds = [Math]::Round($watch.Elapsed.TotalSeconds, 2); Failures = @($failures)
    }
    # Written under another name and then moved, so the runner never reads half a file.
    $json = Join-Path $RunDirectory "$name.json"
    $report | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath "$json.tmp" -Encoding utf8NoBOM
    Move-Item -LiteralPath "$json.tmp" -Destination $json -Force
}
exit 0
