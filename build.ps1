#requires -Version 7.4
<#
.SYNOPSIS
    The one front door: builds, documents, tests, packages, benchmarks and demonstrates CloudflareAI.

.DESCRIPTION
    Several tasks run in a fixed order: Build, Docs, Test, Package, Bench, Demo. Test, Package, Bench and Demo imply Build; Build includes Docs (the MAML help).
    Output: out/CloudflareAI/<version>/, laid out from an explicit list of files.
    Set-up on a fresh machine needs only the .NET SDK:  dotnet tool restore; dotnet pwsh ./build.ps1 -Task Test

.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Demo

.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Test -Configuration Debug
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Docs', 'Test', 'Package', 'Bench', 'Demo')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Bench only: a short run that proves the bench script works (CI uses it), not figures to publish.
    [switch] $Smoke
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$Root = $PSScriptRoot
$PesterVersion = '5.7.1'
[xml] $props = Get-Content -LiteralPath (Join-Path $Root 'Directory.Build.props') -Raw
$Version = $props.Project.PropertyGroup.Version | Where-Object { $_ } | Select-Object -First 1
$ModuleBase = Join-Path $Root 'out/CloudflareAI'
$ModuleDir = Join-Path $ModuleBase $Version
$ObjDir = Join-Path $Root 'out/obj'
$ResultsDir = Join-Path $Root 'out/TestResults'

function Write-Step([string] $Message) {
    Write-Host "==> $Message" -ForegroundColor Cyan
}

# Every native call goes through here, so a failing tool always stops the build.
function Invoke-Native {
    param([string] $FilePath, [string[]] $ArgumentList, [switch] $Quiet)
    if ($Quiet) {
        $output = & $FilePath @ArgumentList 2>&1
        if ($LASTEXITCODE -ne 0) {
            $output | ForEach-Object { Write-Host $_ }
            throw "'$FilePath $($ArgumentList -join ' ')' failed with exit code $LASTEXITCODE."
        }
    }
    else {
        & $FilePath @ArgumentList
        if ($LASTEXITCODE -ne 0) { throw "'$FilePath $($ArgumentList -join ' ')' failed with exit code $LASTEXITCODE." }
    }
}

# The module folder must hold exactly these files: a stray or missing file fails the build.
function Get-ExpectedModuleFile {
    param([string[]] $DependencyFile, [string[]] $HelpFile)
    @(
        'CloudflareAI.psd1'
        'CloudflareAI.Format.ps1xml'
        'CloudflareAI.providers.schema.json'
        'CloudflareAI.Core.dll'
        'CloudflareAI.PowerShell.dll'
        'LICENSE'
        $DependencyFile | ForEach-Object { "dependencies/$_" }
        $HelpFile | ForEach-Object { "en-US/$_" }
    ) | Sort-Object
}

# The dependencies that Windows PowerShell 5.1 loads from dependencies/: System.Text.Json and its netstandard companions.
$DependencyFiles = @(
    'Microsoft.Bcl.AsyncInterfaces.dll'
    'System.Buffers.dll'
    'System.Memory.dll'
    'System.Numerics.Vectors.dll'
    'System.Runtime.CompilerServices.Unsafe.dll'
    'System.Text.Encodings.Web.dll'
    'System.Text.Json.dll'
    'System.Threading.Tasks.Extensions.dll'
)
$HelpFiles = @('CloudflareAI.PowerShell.dll-Help.xml', 'about_CloudflareAI.help.txt')

function Invoke-Docs {
    Write-Step 'Docs: PlatyPS markdown -> MAML (Markdig step)'
    $tool = Join-Path $Root 'tools/CloudflareAI.HelpBuilder'
    Invoke-Native dotnet @('build', $tool, '-c', $Configuration, '--nologo', '-v', 'q', '-o', (Join-Path $ObjDir 'helpbuilder')) -Quiet
    $helpOut = Join-Path $ModuleDir 'en-US'
    Invoke-Native dotnet @((Join-Path $ObjDir 'helpbuilder/CloudflareAI.HelpBuilder.dll'), '--docs', (Join-Path $Root 'docs/en-US'),
        '--out', $helpOut, '--module', 'CloudflareAI', '--assembly', 'CloudflareAI.PowerShell')
}

function Invoke-Build {
    Write-Step "Build $Configuration $Version"
    $publish = Join-Path $ObjDir "publish-$Configuration"
    if (Test-Path $publish) { Remove-Item -Recurse -Force $publish }
    # dotnet build of a netstandard2.0 library copies no package dependencies; publish does.
    Invoke-Native dotnet @('publish', (Join-Path $Root 'src/CloudflareAI.PowerShell'), '-c', $Configuration, '-o', $publish, '--nologo', '-v', 'q') -Quiet

    if (Test-Path $ModuleBase) { Remove-Item -Recurse -Force $ModuleBase }
    $null = New-Item -ItemType Directory -Force -Path $ModuleDir, (Join-Path $ModuleDir 'dependencies')

    foreach ($file in 'CloudflareAI.Core.dll', 'CloudflareAI.PowerShell.dll') {
        Copy-Item -LiteralPath (Join-Path $publish $file) -Destination $ModuleDir
    }
    foreach ($file in $DependencyFiles) {
        $source = Join-Path $publish $file
        if (-not (Test-Path -LiteralPath $source)) { throw "dotnet publish did not produce $file; the dependency list in build.ps1 is out of date." }
        Copy-Item -LiteralPath $source -Destination (Join-Path $ModuleDir 'dependencies')
    }
    # A dependency that publish adds but the list lacks would be missing on Windows PowerShell 5.1.
    $published = Get-ChildItem -LiteralPath $publish -Filter *.dll | ForEach-Object Name |
        Where-Object { $_ -notin 'CloudflareAI.Core.dll', 'CloudflareAI.PowerShell.dll' }
    $unlisted = $published | Where-Object { $_ -notin $DependencyFiles }
    if ($unlisted) { throw "dotnet publish produced dependencies that build.ps1 does not list: $($unlisted -join ', ')" }

    Copy-Item -LiteralPath (Join-Path $Root 'CloudflareAI.Format.ps1xml'), (Join-Path $Root 'LICENSE') -Destination $ModuleDir
    # The providers-file schema has one source, docs/, which editors and users read; the module ships a copy.
    Copy-Item -LiteralPath (Join-Path $Root 'docs/CloudflareAI.providers.schema.json') -Destination $ModuleDir
    $manifest = Get-Content -LiteralPath (Join-Path $Root 'CloudflareAI.psd1') -Raw
    $manifest = $manifest -replace "ModuleVersion\s*=\s*'[^']*'", "ModuleVersion          = '$Version'"
    Set-Content -LiteralPath (Join-Path $ModuleDir 'CloudflareAI.psd1') -Value $manifest -Encoding utf8NoBOM

    Invoke-Docs

    $expected = Get-ExpectedModuleFile -DependencyFile $DependencyFiles -HelpFile $HelpFiles
    $actual = Get-ChildItem -LiteralPath $ModuleDir -Recurse -File |
        ForEach-Object { [System.IO.Path]::GetRelativePath($ModuleDir, $_.FullName).Replace('\', '/') } | Sort-Object
    $diff = Compare-Object -ReferenceObject $expected -DifferenceObject $actual
    if ($diff) {
        $text = $diff | ForEach-Object { "  $($_.InputObject) ($(if ($_.SideIndicator -eq '<=') { 'missing' } else { 'unexpected' }))" }
        throw "The module folder differs from the file list:`n$($text -join "`n")"
    }
    $null = Test-ModuleManifest -Path (Join-Path $ModuleDir 'CloudflareAI.psd1')
    Write-Host "Built $ModuleDir ($($actual.Count) files)"

    Write-Step 'Build the loopback emulator (tests/CloudflareAI.TestServer)'
    Invoke-Native dotnet @('build', (Join-Path $Root 'tests/CloudflareAI.TestServer'), '-c', $Configuration, '--nologo', '-v', 'q') -Quiet
}

# Pester comes from NuGet (PackageDownload) into .tools/, so nothing depends on the PowerShell Gallery.
function Get-PesterPath {
    $packages = Join-Path $Root '.tools/packages'
    $psd1 = Join-Path $packages "pester/$PesterVersion/tools/Pester.psd1"
    if (Test-Path -LiteralPath $psd1) { return $psd1 }
    Write-Step "Restore Pester $PesterVersion from NuGet"
    $project = Join-Path $Root '.tools/pester-restore'
    $null = New-Item -ItemType Directory -Force -Path $project
    Set-Content -LiteralPath (Join-Path $project 'pester-restore.csproj') -Encoding utf8NoBOM -Value @"
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="Pester" Version="[$PesterVersion]" /></ItemGroup>
</Project>
"@
    Invoke-Native dotnet @('restore', $project, '--packages', $packages, '--nologo', '-v', 'q') -Quiet
    if (-not (Test-Path -LiteralPath $psd1)) { throw "Pester $PesterVersion restored, but $psd1 is not there." }
    $psd1
}

# Reads the counts of one core-test run from its .trx; a run that ran no test is a failure, not a pass.
function Get-TrxCount([string] $Trx, [int] $ExitCode) {
    $counts = @{ Passed = 0; Failed = 0; Skipped = 0 }
    if (Test-Path -LiteralPath $Trx) {
        [xml] $trxXml = Get-Content -LiteralPath $Trx -Raw
        $counters = $trxXml.TestRun.ResultSummary.Counters
        $counts.Passed = [int] $counters.passed
        $counts.Failed = [int] $counters.failed + [int] $counters.error + [int] $counters.timeout
        $counts.Skipped = [int] $counters.notExecuted
    }
    elseif ($ExitCode -ne 0) { $counts.Failed = 1 }
    if ($counts.Passed -eq 0 -and $counts.Failed -eq 0) { $counts.Failed = 1 }
    $counts
}

function Invoke-Test {
    $null = New-Item -ItemType Directory -Force -Path $ResultsDir
    # The xunit projects run on .NET 10 (the SDK's runtime) and on .NET 8 (the runtime of PowerShell 7.4, with its
    # System.Text.Json 8.0; self-contained, so nothing needs installing). Each is built once and run once per framework:
    # the core, and the PowerShell layer's bridge between worker threads and the pipeline thread.
    $suites = @(@{ Name = 'core'; Project = 'tests/CloudflareAI.Core.Tests' }, @{ Name = 'powershell'; Project = 'tests/CloudflareAI.PowerShell.Tests' })
    foreach ($suite in $suites) {
        Write-Step "xunit: build $($suite.Project) (net10.0, net8.0)"
        Invoke-Native dotnet @('build', (Join-Path $Root $suite.Project), '-c', $Configuration, '--nologo', '-v', 'q') -Quiet
    }
    $pester = Get-PesterPath

    # The xunit runs go on in the background while the Pester files run: most Pester files wait on HTTP and child
    # processes, so the two CPUs have room for them. Their output is shown when they end, after Pester's.
    # CLOUDFLAREAI_TEST_XUNIT=serial runs them one after another before Pester instead.
    $overlap = $env:CLOUDFLAREAI_TEST_XUNIT -ne 'serial'
    $xunitRuns = foreach ($suite in $suites) {
        foreach ($framework in 'net10.0', 'net8.0') {
            $trxName = "$($suite.Name)-$framework.trx"
            $trx = Join-Path $ResultsDir $trxName
            if (Test-Path $trx) { Remove-Item $trx }
            $info = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
            foreach ($a in 'test', (Join-Path $Root $suite.Project), '-c', $Configuration, '-f', $framework, '--no-build', '--nologo', '-v', 'q',
                '--logger', "trx;LogFileName=$trxName", '--logger', 'console;verbosity=minimal', '--results-directory', $ResultsDir) {
                $info.ArgumentList.Add($a)
            }
            $info.UseShellExecute = $false
            $info.RedirectStandardOutput = $true
            $info.RedirectStandardError = $true
            [pscustomobject]@{ Name = "$($suite.Project) on $framework"; Line = "xunit $($suite.Name) ($framework)"; Trx = $trx; Info = $info
                Process = $null; StdOut = $null; StdErr = $null }
        }
    }
    function Start-XunitRun($Run) {
        Write-Step "xunit: $($Run.Name)$(if ($overlap) { ' (in the background)' })"
        $Run.Process = [System.Diagnostics.Process]::Start($Run.Info)
        $Run.StdOut = $Run.Process.StandardOutput.ReadToEndAsync()
        $Run.StdErr = $Run.Process.StandardError.ReadToEndAsync()
    }
    function Wait-XunitRun($Run) {
        $Run.Process.WaitForExit()
        ($Run.StdOut.GetAwaiter().GetResult() + $Run.StdErr.GetAwaiter().GetResult()).TrimEnd() -split "`n" | Where-Object { $_ } | ForEach-Object { Write-Host $_ }
    }
    if ($overlap) { foreach ($run in $xunitRuns) { Start-XunitRun $run } }
    else { foreach ($run in $xunitRuns) { Start-XunitRun $run; Wait-XunitRun $run } }

    Write-Step 'Pester: tests/*.Tests.ps1 against the built module, in parallel fresh pwsh workers'
    $summary = Join-Path $ResultsDir 'pester-summary.json'
    if (Test-Path $summary) { Remove-Item $summary }
    Push-Location $Root
    try {
        # `dotnet pwsh` from the repo root: under the local tool the running process is dotnet, not pwsh.
        & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tests/Invoke-PesterRun.ps1') `
            -PesterPath $pester -ModulePath $ModuleBase -Configuration $Configuration -ResultDirectory $ResultsDir
    }
    finally { Pop-Location }
    $pesterCounts = @{ Passed = 0; Failed = 1; Skipped = 0 }
    if (Test-Path $summary) { $pesterCounts = Get-Content -LiteralPath $summary -Raw | ConvertFrom-Json -AsHashtable }

    $xunit = @{ Passed = 0; Failed = 0; Skipped = 0 }
    $xunitExit = 0
    $xunitLines = foreach ($run in $xunitRuns) {
        if ($overlap) {
            Write-Step "xunit: $($run.Name)"
            Wait-XunitRun $run
        }
        if ($run.Process.ExitCode -ne 0) { $xunitExit = $run.Process.ExitCode }
        $counts = Get-TrxCount -Trx $run.Trx -ExitCode $run.Process.ExitCode
        foreach ($key in 'Passed', 'Failed', 'Skipped') { $xunit[$key] += $counts[$key] }
        $run.Process.Dispose()
        "$($run.Line): $($counts.Passed) passed, $($counts.Failed) failed, $($counts.Skipped) skipped"
    }

    $passed = $xunit.Passed + $pesterCounts.Passed
    $failed = $xunit.Failed + $pesterCounts.Failed
    $skipped = $xunit.Skipped + $pesterCounts.Skipped
    Write-Host ''
    $xunitLines | ForEach-Object { Write-Host $_ }
    Write-Host "Pester: $($pesterCounts.Passed) passed, $($pesterCounts.Failed) failed, $($pesterCounts.Skipped) skipped"
    Write-Host "Tests: $passed passed, $failed failed, $skipped skipped"
    if ($xunitExit -ne 0 -or $failed -gt 0 -or $passed -eq 0) { throw "Tests failed." }
}

function Invoke-Demo {
    Write-Step 'Demo: import the built module in a fresh pwsh'
    Push-Location $Root
    try {
        & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tools/Demo.ps1') -ModulePath $ModuleBase -Configuration $Configuration
        if ($LASTEXITCODE -ne 0) { throw "The demo failed with exit code $LASTEXITCODE." }
    }
    finally { Pop-Location }
}

function Invoke-Package {
    & (Join-Path $Root 'tools/Package.ps1') -ModuleDir $ModuleDir -OutputDirectory (Join-Path $Root 'out/package')
}

function Invoke-Bench {
    Push-Location $Root
    try {
        & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'bench/Invoke-Benchmark.ps1') -ModulePath $ModuleBase -Configuration $Configuration -Smoke:$Smoke
        if ($LASTEXITCODE -ne 0) { throw "The benchmark failed with exit code $LASTEXITCODE." }
    }
    finally { Pop-Location }
}

# Test, Package, Bench and Demo imply Build; Build runs once, first.
$order = 'Build', 'Docs', 'Test', 'Package', 'Bench', 'Demo'
$wanted = [System.Collections.Generic.List[string]]::new()
foreach ($name in $order) {
    if ($name -in $Task) { $wanted.Add($name) }
}
if (($wanted | Where-Object { $_ -in 'Test', 'Package', 'Bench', 'Demo' }) -and 'Build' -notin $wanted) { $wanted.Insert(0, 'Build') }
if ('Build' -in $wanted) { $null = $wanted.Remove('Docs') }

foreach ($name in $wanted) {
    switch ($name) {
        'Build' { Invoke-Build }
        'Docs' { $null = New-Item -ItemType Directory -Force -Path $ModuleDir; Invoke-Docs }
        'Test' { Invoke-Test }
        'Package' { Invoke-Package }
        'Bench' { Invoke-Bench }
        'Demo' { Invoke-Demo }
    }
}
