#requires -Version 7.4
<#
.SYNOPSIS
    build.ps1 -Task Package: packs the built module into a .nupkg with PSResourceGet, then proves the package installs
    and works, all on this machine.

.DESCRIPTION
    1. Test-ModuleManifest must accept the built module.
    2. Publish-PSResource publishes it to a temporary local-folder PSResourceRepository, registered under a unique name
       for this run only; the .nupkg is copied to -OutputDirectory.
    3. Save-PSResource installs it back from that repository into a temporary folder, which must hold exactly the
       files of the built module, and Test-ModuleManifest must accept the installed copy.
    4. A fresh `dotnet pwsh`, started from the repository root with only that folder added to PSModulePath, imports
       the module by name and must find it there, with its four cmdlets, Get-Help showing each cmdlet's real synopsis
       (from the module's MAML, not the syntax PowerShell makes up when help is missing) and about_CloudflareAI.
    The temporary repository is unregistered and the temporary folders are removed even when a step fails, and a
    .nupkg that failed a check is deleted. Nothing touches the network: the PowerShell Gallery is not used.

.PARAMETER ModuleDir
    The built module: out/CloudflareAI/<version>, holding CloudflareAI.psd1.

.PARAMETER OutputDirectory
    Where the .nupkg goes (build.ps1 passes out/package).

.OUTPUTS
    System.IO.FileInfo: the .nupkg.

.EXAMPLE
    dotnet pwsh -NoProfile -File ./build.ps1 -Task Package

.EXAMPLE
    ./tools/Package.ps1 -ModuleDir ./out/CloudflareAI/0.1.0 -OutputDirectory ./out/package
#>
[CmdletBinding()]
[OutputType([System.IO.FileInfo])]
param(
    [Parameter(Mandatory)]
    [string] $ModuleDir,

    [Parameter(Mandatory)]
    [string] $OutputDirectory
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$ModuleName = 'CloudflareAI'
$RepositoryPrefix = 'CloudflareAI-package-'
$Root = Split-Path $PSScriptRoot -Parent

function Write-Step([string] $Message) {
    Write-Host "==> $Message" -ForegroundColor Cyan
}

function Get-RelativeFileList([string] $Directory) {
    Get-ChildItem -LiteralPath $Directory -Recurse -File |
        ForEach-Object { [System.IO.Path]::GetRelativePath($Directory, $_.FullName).Replace('\', '/') } |
        Sort-Object
}

$ModuleDir = (Resolve-Path -LiteralPath $ModuleDir).Path
$manifestPath = Join-Path $ModuleDir "$ModuleName.psd1"
if (-not (Test-Path -LiteralPath $manifestPath -PathType Leaf)) {
    throw "No $ModuleName.psd1 in '$ModuleDir'. Build first: dotnet pwsh -NoProfile -File ./build.ps1 -Task Build"
}

Write-Step "Package: Test-ModuleManifest $manifestPath"
$manifest = Test-ModuleManifest -Path $manifestPath
$version = $manifest.Version.ToString()
if ((Split-Path $ModuleDir -Leaf) -ne $version) {
    throw "The module folder '$(Split-Path $ModuleDir -Leaf)' does not match the manifest version $version."
}

# The cmdlets' synopses as the build wrote them into the MAML: what Get-Help must show after the round trip.
$mamlPath = Join-Path $ModuleDir 'en-US/CloudflareAI.PowerShell.dll-Help.xml'
if (-not (Test-Path -LiteralPath $mamlPath -PathType Leaf)) { throw "The built module has no help file: $mamlPath" }
[xml] $maml = Get-Content -LiteralPath $mamlPath -Raw
$expectedSynopsis = @{}
foreach ($command in $maml.helpItems.command) {
    $text = (@($command.details.description.para) -join ' ') -replace '\s+', ' '
    $expectedSynopsis[$command.details.name.Trim()] = $text.Trim()
}
$exported = @($manifest.ExportedCmdlets.Keys | Sort-Object)
foreach ($name in $exported) {
    if (-not $expectedSynopsis[$name]) { throw "The help file has no synopsis for $name." }
}

$null = New-Item -ItemType Directory -Force -Path $OutputDirectory
$OutputDirectory = (Resolve-Path -LiteralPath $OutputDirectory).Path
$nupkgName = "$ModuleName.$version.nupkg"
$nupkgPath = Join-Path $OutputDirectory $nupkgName
if (Test-Path -LiteralPath $nupkgPath) { Remove-Item -LiteralPath $nupkgPath -Force }

Import-Module Microsoft.PowerShell.PSResourceGet -ErrorAction Stop

# A run that was killed cannot unregister its repository; forget those whose folder is gone (a live run's folder exists).
Get-PSResourceRepository -Name "$RepositoryPrefix*" -ErrorAction SilentlyContinue |
    Where-Object { $_.Uri.IsFile -and -not (Test-Path -LiteralPath $_.Uri.LocalPath) } |
    ForEach-Object { Unregister-PSResourceRepository -Name $_.Name }

$work = Join-Path ([System.IO.Path]::GetTempPath()) ("cloudflareai-package-" + [guid]::NewGuid().ToString('n'))
$feed = Join-Path $work 'feed'
$installed = Join-Path $work 'installed'
$repositoryName = $RepositoryPrefix + [guid]::NewGuid().ToString('n').Substring(0, 12)
$registered = $false
try {
    $null = New-Item -ItemType Directory -Force -Path $feed, $installed

    Write-Step "Package: publish $ModuleName $version to a temporary local repository ($repositoryName)"
    Register-PSResourceRepository -Name $repositoryName -Uri $feed -Trusted
    $registered = $true
    Publish-PSResource -Path $ModuleDir -Repository $repositoryName -DestinationPath $OutputDirectory
    if (-not (Test-Path -LiteralPath (Join-Path $feed $nupkgName) -PathType Leaf)) { throw "Publish-PSResource did not put $nupkgName in the repository." }
    if (-not (Test-Path -LiteralPath $nupkgPath -PathType Leaf)) { throw "Publish-PSResource did not write $nupkgPath." }

    Write-Step 'Package: install it back from the repository into a temporary folder'
    $found = @(Find-PSResource -Name $ModuleName -Repository $repositoryName)
    if ($found.Count -ne 1 -or $found[0].Version.ToString() -ne $version) {
        throw "The repository should list $ModuleName $version once; it lists: $(($found | ForEach-Object { "$($_.Name) $($_.Version)" }) -join ', ')"
    }
    Save-PSResource -Name $ModuleName -Version $version -Repository $repositoryName -Path $installed -TrustRepository
    $installedDir = Join-Path $installed "$ModuleName/$version"
    $installedManifest = Join-Path $installedDir "$ModuleName.psd1"
    if (-not (Test-Path -LiteralPath $installedManifest -PathType Leaf)) { throw "Save-PSResource did not install $installedManifest." }
    $null = Test-ModuleManifest -Path $installedManifest

    # The package must carry every file of the module (dependencies/ for Windows PowerShell 5.1, en-US/ help), no more.
    $difference = Compare-Object (Get-RelativeFileList $ModuleDir) (Get-RelativeFileList $installedDir)
    if ($difference) {
        $text = $difference | ForEach-Object { "  $($_.InputObject) ($(if ($_.SideIndicator -eq '<=') { 'missing from the package' } else { 'not in the module' }))" }
        throw "The installed package differs from the built module:`n$($text -join "`n")"
    }

    Write-Step 'Package: import the installed copy in a fresh pwsh; check Get-Help'
    $literal = { param([string] $Text) "'" + $Text.Replace("'", "''") + "'" }
    $check = @"
`$ErrorActionPreference = 'Stop'
`$env:PSModulePath = $(& $literal $installed) + [System.IO.Path]::PathSeparator + `$env:PSModulePath
Import-Module $ModuleName -RequiredVersion $version
`$module = Get-Module $ModuleName
`$about = Get-Help about_CloudflareAI | Out-String
[pscustomobject]@{
    ModuleBase = `$module.ModuleBase
    Version    = `$module.Version.ToString()
    Cmdlets    = @(`$module.ExportedCmdlets.Keys | Sort-Object)
    Synopsis   = @(`$module.ExportedCmdlets.Keys | Sort-Object | ForEach-Object {
        [pscustomobject]@{ Name = `$_; Text = ((Get-Help -Name `$_).Synopsis -replace '\s+', ' ').Trim() }
    })
    About      = `$about -match 'about_CloudflareAI' -and `$about -match 'SHORT DESCRIPTION'
} | ConvertTo-Json -Depth 4 -Compress
"@
    $encoded = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($check))
    Push-Location $Root
    try {
        # `dotnet pwsh` from the repo root: under the local tool the running process is dotnet, not pwsh.
        $lines = & dotnet pwsh -NoProfile -NonInteractive -EncodedCommand $encoded 2>&1
        $exitCode = $LASTEXITCODE
    }
    finally { Pop-Location }
    if ($exitCode -ne 0) { throw "The fresh pwsh could not import the installed module (exit code $exitCode):`n$($lines -join "`n")" }
    $json = @($lines | Where-Object { $_ -is [string] -and $_.StartsWith('{') })[-1]
    $seen = $json | ConvertFrom-Json

    $problems = [System.Collections.Generic.List[string]]::new()
    $expectedBase = (Resolve-Path -LiteralPath $installedDir).Path
    if ($seen.ModuleBase -ne $expectedBase) { $problems.Add("Import-Module $ModuleName loaded '$($seen.ModuleBase)', not the installed copy '$expectedBase'.") }
    if ($seen.Version -ne $version) { $problems.Add("The imported module is version $($seen.Version), not $version.") }
    if ((@($seen.Cmdlets) -join ',') -ne ($exported -join ',')) { $problems.Add("The imported module exports $(@($seen.Cmdlets) -join ', '), not $($exported -join ', ').") }
    foreach ($entry in @($seen.Synopsis)) {
        if ($entry.Text -cne $expectedSynopsis[$entry.Name]) {
            $problems.Add("Get-Help $($entry.Name) shows '$($entry.Text)' instead of the synopsis in the help file.")
        }
    }
    if (-not $seen.About) { $problems.Add('Get-Help about_CloudflareAI did not show the about topic.') }
    if ($problems.Count -gt 0) { throw "The installed package does not work as built:`n  $($problems -join "`n  ")" }

    Write-Host "Packaged $nupkgPath ($((Get-Item -LiteralPath $nupkgPath).Length) bytes): publish, install, import and help checked."
    Get-Item -LiteralPath $nupkgPath
}
catch {
    # A package that failed its checks must not be left behind for someone to publish.
    if (Test-Path -LiteralPath $nupkgPath) { Remove-Item -LiteralPath $nupkgPath -Force -ErrorAction Continue }
    throw
}
finally {
    if ($registered) { Unregister-PSResourceRepository -Name $repositoryName -ErrorAction Continue }
    if (Test-Path -LiteralPath $work) { Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction Continue }
}
