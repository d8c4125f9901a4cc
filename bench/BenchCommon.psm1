# Shared by bench/Invoke-Benchmark.ps1: child processes, statistics, the machine description, the table and the SVG chart.
# No packages: everything here is PowerShell and .NET.

Set-StrictMode -Version 3.0

# ---- child pwsh processes ------------------------------------------------------------------------------------------------

# How to start a fresh pwsh like this one. Under the local dotnet tool this process is dotnet running pwsh.dll.
function Get-PwshLauncher {
    $self = [System.Environment]::ProcessPath
    if ([System.IO.Path]::GetFileNameWithoutExtension($self) -eq 'dotnet') {
        return [pscustomobject]@{ FilePath = $self; Prefix = @(Join-Path $PSHOME 'pwsh.dll') }
    }
    [pscustomobject]@{ FilePath = $self; Prefix = @() }
}

# Runs one child pwsh to the end; returns its exit code, wall-clock time (start to exit, ms) and stdout.
function Invoke-PwshProcess {
    param(
        [Parameter(Mandatory)] [psobject] $Launcher,
        [Parameter(Mandatory)] [string[]] $ArgumentList,
        [string] $WorkingDirectory = (Get-Location).Path,
        [int] $TimeoutSec = 300
    )
    $info = [System.Diagnostics.ProcessStartInfo]::new($Launcher.FilePath)
    foreach ($a in @($Launcher.Prefix) + $ArgumentList) { $info.ArgumentList.Add($a) }
    $info.UseShellExecute = $false
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.WorkingDirectory = $WorkingDirectory
    # Plain error text from the child, without ANSI colour sequences.
    $info.Environment['NO_COLOR'] = '1'
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $process = [System.Diagnostics.Process]::Start($info)
    $stdout = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
    if (-not $process.WaitForExit($TimeoutSec * 1000)) {
        $process.Kill($true)
        throw "A benchmark process did not finish within $TimeoutSec s: $($ArgumentList -join ' ')"
    }
    $process.WaitForExit()
    $elapsed = $watch.Elapsed.TotalMilliseconds
    [pscustomobject]@{
        ExitCode  = $process.ExitCode
        ElapsedMs = $elapsed
        StdOut    = $stdout.GetAwaiter().GetResult()
        StdErr    = $stderr.GetAwaiter().GetResult()
    }
}

# Runs bench/BenchWorker.ps1 with the given parameters and returns its BENCH-RESULT object.
function Invoke-BenchWorker {
    param(
        [Parameter(Mandatory)] [psobject] $Launcher,
        [Parameter(Mandatory)] [string] $WorkerPath,
        [Parameter(Mandatory)] [hashtable] $Parameter,
        [string] $WorkingDirectory = (Get-Location).Path
    )
    $arguments = @('-NoProfile', '-NonInteractive', '-File', $WorkerPath)
    foreach ($entry in $Parameter.GetEnumerator() | Sort-Object Key) { $arguments += @("-$($entry.Key)", [string]$entry.Value) }
    $run = Invoke-PwshProcess -Launcher $Launcher -ArgumentList $arguments -WorkingDirectory $WorkingDirectory
    $line = ($run.StdOut -split "`r?`n") | Where-Object { $_.StartsWith('BENCH-RESULT ') } | Select-Object -Last 1
    if ($run.ExitCode -ne 0 -or -not $line) {
        $detail = (($run.StdErr, $run.StdOut) | Where-Object { $_ }) -join "`n"
        throw "The $($Parameter.Scenario) measurement failed (exit code $($run.ExitCode)):`n$detail"
    }
    $line.Substring('BENCH-RESULT '.Length) | ConvertFrom-Json
}

# ---- statistics --------------------------------------------------------------------------------------------------------------

function Get-Median([double[]] $Value) {
    # Not `-not $Value`: a one-element array holding 0 is falsy in PowerShell, and a growth of exactly 0.0 MB is a real figure.
    $Value = @($Value | Where-Object { -not [double]::IsNaN($_) })
    if ($Value.Length -eq 0) { return [double]::NaN }
    $sorted = [double[]]($Value | Sort-Object)
    $n = $sorted.Length
    if ($n % 2) { $sorted[($n - 1) / 2] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
}

# Median and range (minimum, maximum) of repeated measurements.
function Get-Summary([double[]] $Value) {
    $v = @($Value | Where-Object { -not [double]::IsNaN($_) })
    if ($v.Count -eq 0) { return [pscustomobject]@{ Median = [double]::NaN; Min = [double]::NaN; Max = [double]::NaN; Count = 0 } }
    $measure = $v | Measure-Object -Minimum -Maximum
    [pscustomobject]@{ Median = Get-Median $v; Min = [double]$measure.Minimum; Max = [double]$measure.Maximum; Count = $v.Count }
}

# Element-wise a[i] op b[i] for measurements paired in time (same round or adjacent processes).
function Get-Paired([double[]] $A, [double[]] $B, [ValidateSet('Ratio', 'Difference')] [string] $Operation) {
    $n = [Math]::Min($A.Length, $B.Length)
    for ($i = 0; $i -lt $n; $i++) {
        if ($Operation -eq 'Ratio') { $A[$i] / $B[$i] } else { $A[$i] - $B[$i] }
    }
}

# ---- the machine -------------------------------------------------------------------------------------------------------------

function Get-LoadAverage {
    if (Test-Path -LiteralPath '/proc/loadavg') { return ((Get-Content -LiteralPath '/proc/loadavg' -Raw) -split ' ')[0..2] -join ' ' }
    $null
}

function Get-MachineDescription {
    $cpu = $null
    if (Test-Path -LiteralPath '/proc/cpuinfo') {
        $cpu = (Select-String -LiteralPath '/proc/cpuinfo' -Pattern '^model name\s*:\s*(.+)$' | Select-Object -First 1).Matches.Groups[1].Value
    }
    elseif ($IsWindows) {
        $cpu = (Get-CimInstance -ClassName Win32_Processor -ErrorAction SilentlyContinue | Select-Object -First 1).Name
    }
    elseif ($IsMacOS) {
        $cpu = (& sysctl -n machdep.cpu.brand_string 2>$null)
    }
    $memoryGB = $null
    if (Test-Path -LiteralPath '/proc/meminfo') {
        $kb = [double]((Select-String -LiteralPath '/proc/meminfo' -Pattern '^MemTotal:\s*(\d+)').Matches.Groups[1].Value)
        $memoryGB = [Math]::Round($kb / 1MB, 1)
    }
    [pscustomobject]@{
        OS          = [System.Runtime.InteropServices.RuntimeInformation]::OSDescription.Trim()
        Cpu         = if ($cpu) { $cpu.Trim() } else { 'unknown' }
        LogicalCpus = [System.Environment]::ProcessorCount
        MemoryGB    = $memoryGB
        Runtime     = [System.Runtime.InteropServices.RuntimeInformation]::FrameworkDescription
        PowerShell  = $PSVersionTable.PSVersion.ToString()
    }
}

# ---- the table -----------------------------------------------------------------------------------------------------------------

function Format-Number([double] $Value, [string] $Unit) {
    if ([double]::IsNaN($Value)) { return 'n/a' }
    $inv = [System.Globalization.CultureInfo]::InvariantCulture
    switch ($Unit) {
        'x' { return $Value.ToString('0.00', $inv) + '×' }
        'MB' { return $Value.ToString('0.0', $inv) + ' MB' }
        'B' { return $Value.ToString('0', $inv) + ' B' }
        default {
            $abs = [Math]::Abs($Value)
            $format = if ($abs -ge 100) { '0' } elseif ($abs -ge 10) { '0.0' } else { '0.00' }
            return $Value.ToString($format, $inv) + ' ' + $Unit
        }
    }
}

function Format-Summary([psobject] $Summary, [string] $Unit, [switch] $Signed) {
    $median = Format-Number $Summary.Median $Unit
    if ($Signed -and $Summary.Median -ge 0) { $median = '+' + $median }
    if ($Summary.Count -le 1) { return $median }
    $range = (Format-Number $Summary.Min $Unit) + ' … ' + (Format-Number $Summary.Max $Unit)
    "$median ($range)"
}

# A row: Figure, Floor, Module, Beside (optional third path), Measured (summary + unit), Target (text), Met ($true/$false/$null).
function New-ResultRow {
    param(
        [string] $Figure, [string] $FloorName, [psobject] $Floor, [psobject] $Module, [string] $Unit,
        [psobject] $Measured, [string] $MeasuredUnit, [string] $Target, [Nullable[bool]] $Met, [string] $Note,
        [string] $BesideName, [psobject] $Beside
    )
    [pscustomobject]@{
        Figure       = $Figure
        FloorName    = $FloorName
        Floor        = $Floor
        Module       = $Module
        BesideName   = $BesideName
        Beside       = $Beside
        Unit         = $Unit
        Measured     = $Measured
        MeasuredUnit = $MeasuredUnit
        Target       = $Target
        Met          = $Met
        Note         = $Note
    }
}

function Get-MetText([Nullable[bool]] $Met) {
    if ($null -eq $Met) { 'info' } elseif ($Met) { 'met' } else { 'MISSED' }
}

# The rows as a Markdown table (the console prints the same table).
function ConvertTo-ResultMarkdown([object[]] $Rows) {
    $lines = [System.Collections.Generic.List[string]]::new()
    $lines.Add('| Figure | Floor: median (range) | CloudflareAI: median (range) | Measured vs floor: median (range) | Target | Result |')
    $lines.Add('|---|---|---|---|---|---|')
    foreach ($row in $Rows) {
        $floor = if ($row.Floor) { "$($row.FloorName): " + (Format-Summary $row.Floor $row.Unit) } else { $row.FloorName }
        $module = if ($row.Module) { Format-Summary $row.Module $row.Unit } else { '' }
        if ($row.Beside) { $module += $(if ($module) { '<br>' }) + "$($row.BesideName): " + (Format-Summary $row.Beside $row.Unit) }
        $signed = $row.MeasuredUnit -ne 'x'
        $measured = if ($row.Measured) { Format-Summary $row.Measured $row.MeasuredUnit -Signed:$signed } else { '' }
        if ($row.Note) { $measured += "<br>$($row.Note)" }
        $lines.Add("| $($row.Figure) | $floor | $module | $measured | $($row.Target) | $(Get-MetText $row.Met) |")
    }
    $lines
}

function Write-ResultTable([object[]] $Rows) {
    $table = foreach ($row in $Rows) {
        $signed = $row.MeasuredUnit -ne 'x'
        [pscustomobject]@{
            Figure         = $row.Figure
            Floor          = if ($row.Floor) { Format-Summary $row.Floor $row.Unit } else { $row.FloorName }
            CloudflareAI   = if ($row.Module) { Format-Summary $row.Module $row.Unit } else { '' }
            'Vs floor'     = if ($row.Measured) { Format-Summary $row.Measured $row.MeasuredUnit -Signed:$signed } else { '' }
            Target         = $row.Target
            Result         = Get-MetText $row.Met
        }
    }
    $table | Format-Table -AutoSize -Wrap | Out-String -Width 240
}

# ---- the chart -----------------------------------------------------------------------------------------------------------------

function ConvertTo-SvgText([string] $Text) {
    [System.Security.SecurityElement]::Escape($Text)
}

# One panel per figure: a bar per path (floor, CloudflareAI, and any path shown beside), the median as the bar, the range as a
# whisker, and the target as a dashed line where the target is a limit on the CloudflareAI bar. Each panel has its own scale,
# set by the medians and the target (a whisker past the edge ends in an arrow), so one slow outlier does not flatten the bars.
function Write-BenchmarkChart {
    param(
        [Parameter(Mandatory)] [object[]] $Panels,
        [Parameter(Mandatory)] [string] $Path,
        [string] $Title,
        [string] $Subtitle
    )
    $inv = [System.Globalization.CultureInfo]::InvariantCulture
    $width = 960; $barLeft = 200; $barRight = $width - 140; $valueX = $barRight + 14
    $barHeight = 16; $gap = 6; $top = 64
    $colors = @{ Floor = '#8a94a6'; Module = '#f38020'; Beside = '#4c7bd9' }
    $svg = [System.Text.StringBuilder]::new()
    $body = [System.Text.StringBuilder]::new()
    $y = $top
    foreach ($panel in $Panels) {
        $bars = @($panel.Bars)
        $panelHeight = 26 + $bars.Count * ($barHeight + $gap) + 16
        $max = 0.0
        foreach ($bar in $bars) { if (-not [double]::IsNaN([double]$bar.Median)) { $max = [Math]::Max($max, [double]$bar.Median) } }
        if ([double]::IsNaN([double]$panel.Target)) { $panel.Target = 0.0 }
        if ($panel.Target -gt 0) { $max = [Math]::Max($max, $panel.Target) }
        if ($max -le 0) { $max = 1 }
        $scale = ($barRight - $barLeft) / ($max * 1.4)
        $edge = [double]($barRight - $barLeft)
        [void]$body.AppendFormat($inv, '<rect x="8" y="{0}" width="{1}" height="{2}" fill="{3}"/>', $y, $width - 16, $panelHeight - 4, '#f7f7f9').AppendLine()
        [void]$body.AppendFormat($inv, '<text x="16" y="{0}" class="panel">{1}</text>', $y + 17, (ConvertTo-SvgText $panel.Title)).AppendLine()
        if ($panel.Verdict) {
            $fill = if ($panel.Verdict.StartsWith('MISSED')) { '#c0392b' } elseif ($panel.Verdict.StartsWith('met')) { '#1e8449' } else { '#555' }
            [void]$body.AppendFormat($inv, '<text x="{0}" y="{1}" class="verdict" fill="{2}" text-anchor="end">{3}</text>', $width - 18, $y + 17, $fill, (ConvertTo-SvgText $panel.Verdict)).AppendLine()
        }
        $by = $y + 26
        $barsTop = $by
        foreach ($bar in $bars) {
            # A negative figure (memory that shrank) is drawn as no bar; its value is still written. A figure that could not be
            # measured (NaN, written as n/a) is drawn as no bar and no whisker.
            $median = if ([double]::IsNaN([double]$bar.Median)) { 0.0 } else { [Math]::Max(0.0, [double]$bar.Median) }
            $w = [Math]::Min($edge, [Math]::Max(1.0, $median * $scale))
            [void]$body.AppendFormat($inv, '<text x="{0}" y="{1}" class="bar" text-anchor="end">{2}</text>', $barLeft - 8, $by + 12, (ConvertTo-SvgText $bar.Label)).AppendLine()
            [void]$body.AppendFormat($inv, '<rect x="{0}" y="{1}" width="{2:0.0}" height="{3}" fill="{4}"/>', $barLeft, $by, $w, $barHeight, $colors[$bar.Kind]).AppendLine()
            if (-not [double]::IsNaN([double]$bar.Min) -and $bar.Max -gt $bar.Min) {
                $x1 = $barLeft + [Math]::Min($edge, [Math]::Max(0.0, $bar.Min) * $scale)
                $x2 = $barLeft + [Math]::Min($edge, [Math]::Max(0.0, $bar.Max) * $scale)
                $mid = $by + $barHeight / 2
                [void]$body.AppendFormat($inv, '<path d="M{0:0.0} {1:0.0}H{2:0.0}M{0:0.0} {3:0.0}V{4:0.0}" class="whisker"/>', $x1, $mid, $x2, $mid - 4, $mid + 4).AppendLine()
                if ($bar.Max * $scale -gt $edge) {
                    [void]$body.AppendFormat($inv, '<path d="M{0:0.0} {1:0.0}l-6 -4v8z" class="arrow"/>', $x2, $mid).AppendLine()
                }
                else {
                    [void]$body.AppendFormat($inv, '<path d="M{0:0.0} {1:0.0}V{2:0.0}" class="whisker"/>', $x2, $mid - 4, $mid + 4).AppendLine()
                }
            }
            [void]$body.AppendFormat($inv, '<text x="{0:0.0}" y="{1}" class="value">{2}</text>', $valueX, $by + 12, (ConvertTo-SvgText $bar.Text)).AppendLine()
            $by += $barHeight + $gap
        }
        if ($panel.Target -gt 0) {
            $tx = $barLeft + $panel.Target * $scale
            [void]$body.AppendFormat($inv, '<line x1="{0:0.0}" y1="{1}" x2="{0:0.0}" y2="{2}" class="target"/>', $tx, $barsTop - 3, $by - 3).AppendLine()
            [void]$body.AppendFormat($inv, '<text x="{0:0.0}" y="{1}" class="target-label" text-anchor="middle">{2}</text>', $tx, $by + 8, (ConvertTo-SvgText $panel.TargetLabel)).AppendLine()
        }
        $y += $panelHeight + 4
    }
    $height = $y + 30
    [void]$svg.AppendFormat($inv, '<svg xmlns="http://www.w3.org/2000/svg" width="{0}" height="{1}" viewBox="0 0 {0} {1}" font-family="Segoe UI, Helvetica, Arial, sans-serif">', $width, $height).AppendLine()
    [void]$svg.AppendLine('<style>.title{font-size:18px;font-weight:600}.sub{font-size:12px;fill:#555}.panel{font-size:13px;font-weight:600}.verdict{font-size:12px;font-weight:600}.bar{font-size:12px;fill:#333}.value{font-size:11px;fill:#333}.whisker{stroke:#222;stroke-width:1.2;fill:none}.arrow{fill:#222}.target{stroke:#c0392b;stroke-width:1.5;stroke-dasharray:5 3}.target-label{font-size:10px;fill:#c0392b}.legend{font-size:11px;fill:#333}</style>')
    [void]$svg.AppendLine('<rect width="100%" height="100%" fill="white"/>')
    [void]$svg.AppendFormat($inv, '<text x="16" y="26" class="title">{0}</text>', (ConvertTo-SvgText $Title)).AppendLine()
    [void]$svg.AppendFormat($inv, '<text x="16" y="46" class="sub">{0}</text>', (ConvertTo-SvgText $Subtitle)).AppendLine()
    [void]$svg.Append($body.ToString())
    $ly = $height - 14
    $legend = @(@('Floor', 'floor (raw HttpClient / pwsh without the module / ideal)'), @('Module', 'CloudflareAI'), @('Beside', 'shown beside (Invoke-RestMethod, a compiled C# reader, a raw batch)'))
    $lx = 16
    foreach ($item in $legend) {
        [void]$svg.AppendFormat($inv, '<rect x="{0}" y="{1}" width="12" height="12" fill="{2}"/><text x="{3}" y="{4}" class="legend">{5}</text>', $lx, $ly - 10, $colors[$item[0]], $lx + 16, $ly, (ConvertTo-SvgText $item[1])).AppendLine()
        $lx += 40 + 6.2 * $item[1].Length
    }
    [void]$svg.AppendFormat($inv, '<line x1="{0}" y1="{1}" x2="{2}" y2="{1}" class="target"/><text x="{3}" y="{4}" class="legend">target (limit for CloudflareAI)</text>', $lx, $ly - 4, $lx + 24, $lx + 30, $ly).AppendLine()
    [void]$svg.AppendLine('</svg>')
    $directory = Split-Path -Parent $Path
    if ($directory) { $null = New-Item -ItemType Directory -Force -Path $directory }
    [System.IO.File]::WriteAllText($Path, $svg.ToString(), [System.Text.UTF8Encoding]::new($false))
}

Export-ModuleMember -Function Get-PwshLauncher, Invoke-PwshProcess, Invoke-BenchWorker, Get-Median, Get-Summary, Get-Paired,
    Get-LoadAverage, Get-MachineDescription, Format-Number, Format-Summary, New-ResultRow, Get-MetText, ConvertTo-ResultMarkdown,
    Write-ResultTable, Write-BenchmarkChart
