# Starts, stops and queries the CloudflareAI emulator (tests/CloudflareAI.TestServer) for Pester tests.
# The emulator is built by build.ps1; this module only runs what is already built.
# Steering headers and fault scenarios are described in tests/CloudflareAI.TestServer/README.md.

Set-StrictMode -Version 3.0

$script:ListeningPattern = '^CloudflareAI emulator listening on (http://127\.0\.0\.1:\d+)$'

function Get-TestServerDllPath {
    param([string] $Configuration)

    $candidates = if ($Configuration) { @($Configuration) } else { @('Release', 'Debug') }
    $found = foreach ($c in $candidates) {
        $path = Join-Path $PSScriptRoot "CloudflareAI.TestServer/bin/$c/net10.0/CloudflareAI.TestServer.dll"
        if (Test-Path -LiteralPath $path -PathType Leaf) { Get-Item -LiteralPath $path }
    }
    if (-not $found) {
        $which = if ($Configuration) { $Configuration } else { 'Release or Debug' }
        throw "The CloudflareAI emulator is not built ($which). Build it first: dotnet build tests/CloudflareAI.TestServer -c $(if ($Configuration) { $Configuration } else { 'Release' })"
    }
    # Without -Configuration, the most recent build wins, so a fresh Debug build is not shadowed by an old Release one.
    ($found | Sort-Object LastWriteTimeUtc -Descending | Select-Object -First 1).FullName
}

function Get-DotnetPath {
    # Under 'dotnet pwsh' this process is dotnet itself; otherwise use the host the SDK names, then PATH.
    if ($env:DOTNET_HOST_PATH -and (Test-Path -LiteralPath $env:DOTNET_HOST_PATH -PathType Leaf)) { return $env:DOTNET_HOST_PATH }
    $self = [System.Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
    if ([System.IO.Path]::GetFileNameWithoutExtension($self) -eq 'dotnet') { return $self }
    $command = Get-Command -Name dotnet -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $command) { throw 'dotnet was not found on PATH; the emulator runs on the .NET SDK.' }
    $command.Source
}

function Get-ServerUri {
    param($Server)

    if ($null -eq $Server -or $null -eq $Server.PSObject.Properties['Uri'] -or -not $Server.Uri) {
        throw 'Pass the object that Start-TestServer returned.'
    }
    ([string]$Server.Uri).TrimEnd('/')
}

function Get-RestParameter {
    # Loopback only: never let a proxy from the environment stand between a test and its emulator.
    $parameters = @{ TimeoutSec = 120 }
    if ((Get-Command -Name Invoke-RestMethod).Parameters.ContainsKey('NoProxy')) { $parameters.NoProxy = $true }
    $parameters
}

function Start-TestServer {
    <#
    .SYNOPSIS
    Starts the emulator on a free loopback port and returns its address and process.
    .DESCRIPTION
    Runs the already-built CloudflareAI.TestServer.dll with 'dotnet', tied to this PowerShell process with
    --parent-pid so it exits on its own if the test run is killed. Waits for its one stdout line.
    .EXAMPLE
    $server = Start-TestServer
    Invoke-RestMethod -Method Post -Uri "$($server.Uri)/v1/chat/completions" -Body '{"model":"m","messages":[]}'
    Stop-TestServer -Server $server
    #>
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType([pscustomobject])]
    param(
        # Which build to run. Without it: the most recently built of Release and Debug.
        [ValidateSet('Release', 'Debug')]
        [string] $Configuration,

        # How long to wait for the emulator to report its address: a hang guard, far above its start on a busy machine.
        [ValidateRange(1, 600)]
        [int] $TimeoutSec = 120
    )

    $dll = Get-TestServerDllPath -Configuration $Configuration
    $dotnet = Get-DotnetPath
    if (-not $PSCmdlet.ShouldProcess($dll, 'Start emulator')) { return }

    $arguments = @($dll, '--parent-pid', [string]$PID)
    $startInfo = New-Object System.Diagnostics.ProcessStartInfo
    $startInfo.FileName = $dotnet
    if ($startInfo.PSObject.Properties['ArgumentList']) {
        foreach ($a in $arguments) { $startInfo.ArgumentList.Add($a) }
    }
    else {
        # .NET Framework (Windows PowerShell 5.1) has no ArgumentList.
        $startInfo.Arguments = ($arguments | ForEach-Object { '"' + $_ + '"' }) -join ' '
    }
    $startInfo.UseShellExecute = $false
    $startInfo.RedirectStandardOutput = $true
    # stderr is inherited: the emulator writes there only when something is wrong, and then it should show.
    $startInfo.RedirectStandardError = $false
    $startInfo.CreateNoWindow = $true
    $startInfo.WorkingDirectory = Split-Path -Parent $dll

    $process = [System.Diagnostics.Process]::Start($startInfo)
    try {
        $lineTask = $process.StandardOutput.ReadLineAsync()
        if (-not $lineTask.Wait([TimeSpan]::FromSeconds($TimeoutSec))) {
            throw "The emulator did not report its address within $TimeoutSec s."
        }
        $line = $lineTask.Result
        if ($null -eq $line) {
            $process.WaitForExit(5000) | Out-Null
            $code = if ($process.HasExited) { $process.ExitCode } else { 'none' }
            throw "The emulator exited before listening (exit code $code); its error is on stderr above."
        }
        if ($line -notmatch $script:ListeningPattern) {
            throw "Unexpected first line from the emulator: '$line'"
        }
        Write-Verbose "CloudflareAI emulator (pid $($process.Id)) at $($Matches[1])"
        [pscustomobject]@{
            Uri     = $Matches[1]
            Process = $process
        }
    }
    catch {
        Stop-ProcessTree -Process $process
        throw
    }
}

function Stop-ProcessTree {
    param([System.Diagnostics.Process] $Process)

    try {
        if (-not $Process.HasExited) {
            if ($Process.GetType().GetMethod('Kill', [type[]]@([bool]))) { $Process.Kill($true) } else { $Process.Kill() }
        }
    }
    catch [System.InvalidOperationException] {
        # Exited between the check and the kill.
    }
    # Not disposed: the caller may still ask $server.Process.HasExited / ExitCode.
    $null = $Process.WaitForExit(10000)
}

function Stop-TestServer {
    <#
    .SYNOPSIS
    Stops an emulator started by Start-TestServer and waits for it to exit.
    .EXAMPLE
    Stop-TestServer -Server $server
    #>
    [CmdletBinding(SupportsShouldProcess)]
    param(
        # The object Start-TestServer returned.
        [Parameter(Mandatory, ValueFromPipeline)]
        [psobject] $Server
    )
    process {
        $process = if ($Server.PSObject.Properties['Process']) { $Server.Process }
        if ($process -isnot [System.Diagnostics.Process]) { throw 'Pass the object that Start-TestServer returned.' }
        if ($PSCmdlet.ShouldProcess("emulator at $($Server.Uri)", 'Stop')) {
            Stop-ProcessTree -Process $process
        }
    }
}

function Get-TestServerRequest {
    <#
    .SYNOPSIS
    Returns the requests the emulator recorded (oldest first), optionally only those of one run id.
    .DESCRIPTION
    Each object has seq, receivedAt, method, path (as sent, not decoded), query ('' or '?...'), headers
    (lower-cased names, e.g. $r.headers.authorization, $r.headers.'cf-aig-authorization') and body (raw text).
    .EXAMPLE
    $r = Get-TestServerRequest -Server $server -Run $runId
    ($r.body | ConvertFrom-Json).model
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        # The object Start-TestServer returned.
        [Parameter(Mandatory)]
        [psobject] $Server,

        # Only requests whose X-Emulator-Run header equals this.
        [string] $Run
    )

    $uri = (Get-ServerUri -Server $Server) + '/_emulator/requests'
    if ($PSBoundParameters.ContainsKey('Run')) { $uri += '?run=' + [uri]::EscapeDataString($Run) }
    $parameters = Get-RestParameter
    $records = Invoke-RestMethod -Method Get -Uri $uri @parameters
    # Emit one object per request whether Invoke-RestMethod enumerated the JSON array or not.
    foreach ($record in $records) { $record }
}

function Get-TestServerStatus {
    <#
    .SYNOPSIS
    Returns the emulator's status: inFlight, recorded, lastSeq, and with -Run that run's in-flight gauge.
    .DESCRIPTION
    The gauge (run): requests, inFlight, peakInFlight, refused (by X-Emulator-Rate-Limit), faulted (by
    X-Emulator-Fault-Rate), sendingSeconds and averageInFlightWhileSending (first to last arrival), seconds and
    averageInFlight (first arrival to last answer); $null when the run sent nothing.
    .EXAMPLE
    (Get-TestServerStatus -Server $server -Run $runId).run.peakInFlight
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        # The object Start-TestServer returned.
        [Parameter(Mandatory)]
        [psobject] $Server,

        # Adds the in-flight gauge of requests whose X-Emulator-Run header equals this.
        [string] $Run
    )

    $uri = (Get-ServerUri -Server $Server) + '/_emulator/status'
    if ($PSBoundParameters.ContainsKey('Run')) { $uri += '?run=' + [uri]::EscapeDataString($Run) }
    $parameters = Get-RestParameter
    Invoke-RestMethod -Method Get -Uri $uri @parameters
}

function Wait-TestServerRun {
    <#
    .SYNOPSIS
    Polls the in-flight gauge of one run until a condition on it holds, and returns the gauge.
    .DESCRIPTION
    The condition gets the gauge (see Get-TestServerStatus) as its argument. -TimeoutSec only guards against a hang:
    past it this throws with the last gauge; no test measures time with it.
    .EXAMPLE
    $null = Wait-TestServerRun -Server $server -Run $runId -Condition { param($g) $g.requests -ge 1 }
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        # The object Start-TestServer returned.
        [Parameter(Mandatory)]
        [psobject] $Server,

        # The X-Emulator-Run header of the requests to watch.
        [Parameter(Mandatory)]
        [string] $Run,

        # Gets the gauge; true when the wait is over.
        [Parameter(Mandatory)]
        [scriptblock] $Condition,

        # The hang guard.
        [ValidateRange(1, 600)]
        [int] $TimeoutSec = 120
    )

    $deadline = [datetime]::UtcNow.AddSeconds($TimeoutSec)
    do {
        $gauge = (Get-TestServerStatus -Server $Server -Run $Run).run
        if ($gauge -and (& $Condition $gauge)) { return $gauge }
        Start-Sleep -Milliseconds 50
    } while ([datetime]::UtcNow -lt $deadline)
    throw "The emulator's gauge for run $Run never met { $Condition } within the $TimeoutSec s hang guard; last: $($gauge | ConvertTo-Json -Compress)"
}

function Clear-TestServerRequest {
    <#
    .SYNOPSIS
    Forgets every recorded request and every times=N fault budget.
    .EXAMPLE
    Clear-TestServerRequest -Server $server
    #>
    [CmdletBinding(SupportsShouldProcess)]
    param(
        # The object Start-TestServer returned.
        [Parameter(Mandatory)]
        [psobject] $Server
    )

    $uri = (Get-ServerUri -Server $Server) + '/_emulator/requests'
    if ($PSCmdlet.ShouldProcess($uri, 'Clear recorded requests')) {
        $parameters = Get-RestParameter
        $null = Invoke-RestMethod -Method Delete -Uri $uri @parameters
    }
}

Export-ModuleMember -Function Start-TestServer, Stop-TestServer, Get-TestServerRequest, Get-TestServerStatus, Wait-TestServerRun, Clear-TestServerRequest
