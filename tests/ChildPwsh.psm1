# The one way the tests start a child PowerShell: the same PowerShell that runs the tests (or the one named by
# CLOUDFLAREAI_TEST_PWSH), -NoProfile -NonInteractive, from the repository root, with the built module's path and any
# other variable passed to it explicitly, stdout and stderr captured apart, and a timeout that only guards against a hang.
# Imported by Common.ps1 (so every test file has it) and by Invoke-PesterRun.ps1 (its worker processes).

Set-StrictMode -Version 3.0

$script:RepoRoot = Split-Path $PSScriptRoot -Parent

function Get-TestModulePath {
    <#
    .SYNOPSIS
    The built module the tests run against: CLOUDFLAREAI_TEST_MODULE, else out/CloudflareAI of this repository.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param()
    if ($env:CLOUDFLAREAI_TEST_MODULE) { return $env:CLOUDFLAREAI_TEST_MODULE }
    Join-Path $script:RepoRoot 'out/CloudflareAI'
}

function Get-TestConfiguration {
    <#
    .SYNOPSIS
    The build configuration under test: CLOUDFLAREAI_TEST_CONFIGURATION, else Release.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param()
    if ($env:CLOUDFLAREAI_TEST_CONFIGURATION) { return $env:CLOUDFLAREAI_TEST_CONFIGURATION }
    'Release'
}

function Get-ChildPwshLauncher {
    <#
    .SYNOPSIS
    The program and leading arguments that start a child PowerShell.
    .DESCRIPTION
    CLOUDFLAREAI_TEST_PWSH, when set, names the PowerShell to start (to run the suite under another installed host).
    Otherwise the children run the PowerShell of this process: under the repository's local tool the process is
    dotnet running pwsh.dll, which is started the same way, without asking the tool manifest again.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param()
    if ($env:CLOUDFLAREAI_TEST_PWSH) { return [pscustomobject]@{ FilePath = $env:CLOUDFLAREAI_TEST_PWSH; Prefix = @() } }
    $self = [System.Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
    if ([System.IO.Path]::GetFileNameWithoutExtension($self) -eq 'dotnet') {
        return [pscustomobject]@{ FilePath = $self; Prefix = @(Join-Path $PSHOME 'pwsh.dll') }
    }
    [pscustomobject]@{ FilePath = $self; Prefix = @() }
}

function Stop-ChildPwsh {
    <#
    .SYNOPSIS
    Kills a child started by Invoke-ChildPwsh -PassThru, with its own children, and waits for it.
    .EXAMPLE
    Stop-ChildPwsh -Process $process
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [System.Diagnostics.Process] $Process)
    try {
        if (-not $Process.HasExited) {
            if ($Process.GetType().GetMethod('Kill', [type[]]@([bool]))) { $Process.Kill($true) } else { $Process.Kill() }
        }
    }
    catch [System.InvalidOperationException] {
        # It exited between the check and the kill.
    }
    $null = $Process.WaitForExit(10000)
}

function Invoke-ChildPwsh {
    <#
    .SYNOPSIS
    Runs a child PowerShell to its end and returns its exit code, stdout and stderr; with -PassThru, returns it running.
    .DESCRIPTION
    The child inherits this environment, then gets CLOUDFLAREAI_TEST_MODULE (full path), CLOUDFLAREAI_TEST_CONFIGURATION
    and NO_COLOR=1, then every entry of -Environment (a $null value removes the variable from the child only).
    Returns ExitCode, StdOut and StdErr (text with LF line ends and no trailing line end), Lines (stdout's lines) and
    Text (stdout, then stderr). -TimeoutSec only guards against a hang, far above any run's usual length: past it the
    child is killed and this throws; no test measures time with it. -PassThru returns the started Process instead
    (stdout and stderr redirected), for a caller that talks to the child while it runs; Stop-ChildPwsh ends it.
    .EXAMPLE
    $run = Invoke-ChildPwsh -ImportModule -Command '(Get-AIProviderAlias | Measure-Object).Count'
    $run.ExitCode | Should -Be 0
    .EXAMPLE
    $run = Invoke-ChildPwsh -File examples/ci-preflight.ps1 -ArgumentList '-Provider', 'openai' -Environment @{ OPENAI_API_KEY = 'fake-key' }
    .EXAMPLE
    $process = Invoke-ChildPwsh -PassThru -Command '[Console]::Out.WriteLine($PID); Start-Sleep 600'
    #>
    [CmdletBinding(DefaultParameterSetName = 'Command')]
    [OutputType([pscustomobject], [System.Diagnostics.Process])]
    param(
        # The commands to run, as pwsh -Command takes them.
        [Parameter(Mandatory, ParameterSetName = 'Command', Position = 0)]
        [string] $Command,

        # Passes -Command as -EncodedCommand, as a host that cannot quote arguments does.
        [Parameter(ParameterSetName = 'Command')]
        [switch] $Encoded,

        # Imports the built module (CLOUDFLAREAI_TEST_MODULE) before -Command runs.
        [Parameter(ParameterSetName = 'Command')]
        [switch] $ImportModule,

        # A script to run as pwsh -File runs it, relative to -WorkingDirectory or rooted.
        [Parameter(Mandatory, ParameterSetName = 'File')]
        [string] $File,

        # The script's arguments, as strings, as a CI step passes them.
        [Parameter(ParameterSetName = 'File')]
        [string[]] $ArgumentList = @(),

        # Variables for the child only; $null removes one.
        [hashtable] $Environment = @{},

        # Where the child starts: the repository root unless told.
        [string] $WorkingDirectory = $script:RepoRoot,

        # The hang guard, in seconds.
        [ValidateRange(1, 3600)]
        [int] $TimeoutSec = 600,

        # Returns the running Process instead of waiting for it.
        [switch] $PassThru
    )
    $launcher = Get-ChildPwshLauncher
    $arguments = [System.Collections.Generic.List[string]]::new()
    foreach ($a in $launcher.Prefix) { $arguments.Add($a) }
    $arguments.Add('-NoProfile')
    $arguments.Add('-NonInteractive')
    if ($PSCmdlet.ParameterSetName -eq 'File') {
        $arguments.Add('-File')
        $arguments.Add($File)
        foreach ($a in $ArgumentList) { $arguments.Add($a) }
    }
    else {
        if ($ImportModule) { $Command = "Import-Module `$env:CLOUDFLAREAI_TEST_MODULE -ErrorAction Stop`n$Command" }
        if ($Encoded) {
            $arguments.Add('-EncodedCommand')
            $arguments.Add([Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($Command)))
        }
        else {
            $arguments.Add('-Command')
            $arguments.Add($Command)
        }
    }

    $info = [System.Diagnostics.ProcessStartInfo]::new($launcher.FilePath)
    if ($info.PSObject.Properties['ArgumentList']) {
        foreach ($a in $arguments) { $info.ArgumentList.Add($a) }
    }
    else {
        # .NET Framework (Windows PowerShell 5.1) has no ArgumentList; -Encoded keeps a command clear of quoting.
        $info.Arguments = ($arguments | ForEach-Object { '"' + $_.Replace('"', '\"') + '"' }) -join ' '
    }
    $info.UseShellExecute = $false
    $info.CreateNoWindow = $true
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.StandardOutputEncoding = [System.Text.UTF8Encoding]::new($false)
    $info.StandardErrorEncoding = [System.Text.UTF8Encoding]::new($false)
    $info.WorkingDirectory = $WorkingDirectory
    $variables = @{
        CLOUDFLAREAI_TEST_MODULE        = (Resolve-Path -LiteralPath (Get-TestModulePath)).Path
        CLOUDFLAREAI_TEST_CONFIGURATION = Get-TestConfiguration
        # Plain text from the child, without ANSI colour sequences, so that tests can match it.
        NO_COLOR                        = '1'
    }
    foreach ($entry in $Environment.GetEnumerator()) { $variables[$entry.Key] = $entry.Value }
    foreach ($entry in $variables.GetEnumerator()) {
        if ($null -eq $entry.Value) { $null = $info.Environment.Remove($entry.Key) }
        else { $info.Environment[$entry.Key] = [string]$entry.Value }
    }

    $process = [System.Diagnostics.Process]::Start($info)
    if ($PassThru) { return $process }
    try {
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit($TimeoutSec * 1000)) {
            Stop-ChildPwsh -Process $process
            throw "The child pwsh did not finish within the $TimeoutSec s hang guard."
        }
        # The parameterless wait also waits for the redirected streams to reach their end.
        $process.WaitForExit()
        $out = ConvertTo-PlainText $stdout.GetAwaiter().GetResult()
        $err = ConvertTo-PlainText $stderr.GetAwaiter().GetResult()
        [pscustomobject]@{
            ExitCode = $process.ExitCode
            StdOut   = $out
            StdErr   = $err
            Lines    = @(if ($out) { $out -split "`n" })
            Text     = (@($out, $err) | Where-Object { $_ }) -join "`n"
        }
    }
    finally {
        $process.Dispose()
    }
}

# LF line ends, no trailing line end, and no colour sequences should any slip through NO_COLOR.
function ConvertTo-PlainText([string] $Text) {
    ($Text -replace "`r`n", "`n" -replace '\x1b\[[0-9;?]*[A-Za-z]', '').TrimEnd("`n")
}

Export-ModuleMember -Function Get-TestModulePath, Get-TestConfiguration, Get-ChildPwshLauncher, Invoke-ChildPwsh, Stop-ChildPwsh
