#requires -Version 7.4
<#
.SYNOPSIS
    The CloudflareAI performance budget: import time, per-call overhead, streaming and batches, each measured beside its
    floor in the same run against the loopback emulator.

.DESCRIPTION
    build.ps1 -Task Bench runs this from the repository root in a fresh pwsh. Every figure is the median of repeated runs with
    its range (minimum … maximum), measured side by side with its floor and reported as a ratio to the floor or a difference
    from it. Measurements run in fresh child processes (bench/BenchWorker.ps1), one at a time.

    Prints the table; writes results.json, results.md and benchmarks.svg (the chart) to -OutputDirectory.
    Exit code 0 when every measurement ran and the module's answers were complete and in order; missed performance targets
    are reported in the table, not as a failure (benchmarks are not tests). -Smoke is a short run that proves the script
    works; its figures are not for publishing.

.EXAMPLE
    dotnet pwsh -NoProfile -File ./build.ps1 -Task Bench

.EXAMPLE
    dotnet pwsh -NoProfile -File bench/Invoke-Benchmark.ps1 -ModulePath out/CloudflareAI -Smoke
#>
[CmdletBinding()]
param(
    # The built module: out/CloudflareAI (the folder holding the version folder) or a psd1.
    [string] $ModulePath = 'out/CloudflareAI',

    # Which build of the emulator to run.
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # A short run (well under a minute) that proves the script works; CI uses it.
    [switch] $Smoke,

    # Where results.json, results.md and benchmarks.svg go.
    [string] $OutputDirectory = 'out/bench',

    # Only these figures, for working on one of them: Import, Calls, FirstCall, Stream, ToolStream, Memory, Batch, Bomb, Faults,
    # PerMinute, Catalog, Embeddings (commas work too, for -File). The default is all.
    [string[]] $Only = @('Import', 'Calls', 'FirstCall', 'Stream', 'ToolStream', 'Memory', 'Batch', 'Bomb', 'Faults', 'PerMinute', 'Catalog', 'Embeddings')
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$figures = 'Import', 'Calls', 'FirstCall', 'Stream', 'ToolStream', 'Memory', 'Batch', 'Bomb', 'Faults', 'PerMinute', 'Catalog', 'Embeddings'
$Only = @($Only | ForEach-Object { $_ -split ',' } | ForEach-Object { $_.Trim() } | Where-Object { $_ })
$unknown = @($Only | Where-Object { $_ -notin $figures })
if ($unknown) { throw "-Only takes $($figures -join ', '); not $($unknown -join ', ')." }

$root = Split-Path -Parent $PSScriptRoot
Import-Module (Join-Path $PSScriptRoot 'BenchCommon.psm1') -Force
Import-Module (Join-Path $root 'tests/TestServer.psm1') -Force

$ModulePath = (Resolve-Path -LiteralPath $ModulePath).Path
if (-not [System.IO.Path]::IsPathRooted($OutputDirectory)) { $OutputDirectory = Join-Path $root $OutputDirectory }
$null = New-Item -ItemType Directory -Force -Path $OutputDirectory
$worker = Join-Path $PSScriptRoot 'BenchWorker.ps1'
$launcher = Get-PwshLauncher
$started = Get-Date

# The sizes of the run. Smoke: every path once, with the fewest samples that still run it (CI runs it in every test pass):
# one round and one warm-up, a batch larger than its limit, more prompts than the rate limit allows in a second, and a
# body that inflates past the 32 MB cap.
$plan = if ($Smoke) {
    @{ ImportPairs = 1; Calls = 2; CallRounds = 1; CallWarmup = 1; FirstCallPairs = 1; StreamSizes = @(20, 200); StreamRounds = @(1, 1); StreamWarmup = 1
        ToolStreamChunks = 100; ToolStreamRounds = 1
        MemoryReps = 1; MemoryWarmup = 1; BatchPrompts = 8; BatchLatencyMs = 20; BatchLimit = 4; BatchRounds = 1; BombMB = 40; BombReps = 1
        FaultPrompts = 12; FaultLatencyMs = 20; FaultLimit = 4; FaultRounds = 1
        PerMinutePrompts = 12; PerMinuteLatencyMs = 20; PerMinuteLimit = 8; PerMinuteRounds = 1
        CatalogModels = 500; CatalogRounds = 1; CatalogWarmup = 1
        EmbeddingTexts = 200; EmbeddingBatchSize = 100; EmbeddingLimit = 4; EmbeddingLatencyMs = 20; EmbeddingRounds = 1 }
}
else {
    @{ ImportPairs = 20; Calls = 25; CallRounds = 40; CallWarmup = 100; FirstCallPairs = 10; StreamSizes = @(2000, 100000); StreamRounds = @(30, 9); StreamWarmup = 3
        ToolStreamChunks = 2000; ToolStreamRounds = 30
        MemoryReps = 3; MemoryWarmup = 3; BatchPrompts = 200; BatchLatencyMs = 100; BatchLimit = 20; BatchRounds = 5; BombMB = 512; BombReps = 3
        FaultPrompts = 1000; FaultLatencyMs = 500; FaultLimit = 32; FaultRounds = 1
        PerMinutePrompts = 300; PerMinuteLatencyMs = 1000; PerMinuteLimit = 32; PerMinuteRounds = 1
        CatalogModels = 500; CatalogRounds = 20; CatalogWarmup = 3
        EmbeddingTexts = 1000; EmbeddingBatchSize = 100; EmbeddingLimit = 4; EmbeddingLatencyMs = 500; EmbeddingRounds = 9 }
}

$clock = [System.Diagnostics.Stopwatch]::StartNew()
function Write-Step([string] $Text) { Write-Host ('==> [{0,3:0} s] {1}' -f $clock.Elapsed.TotalSeconds, $Text) -ForegroundColor Cyan }

# Fakes for the emulator only; the real values (if any) are restored at the end.
$savedEnvironment = @{}
foreach ($name in 'CLOUDFLARE_ACCOUNT_ID', 'CLOUDFLARE_API_TOKEN') { $savedEnvironment[$name] = [System.Environment]::GetEnvironmentVariable($name) }
$env:CLOUDFLARE_ACCOUNT_ID = '0123456789abcdef0123456789abcdef'
$env:CLOUDFLARE_API_TOKEN = 'bench-fake-token-for-the-local-emulator'

$machine = Get-MachineDescription
$loadBefore = Get-LoadAverage
Write-Step "CloudflareAI benchmarks$(if ($Smoke) { ' (smoke run: proves the script works; not figures to publish)' })"
Write-Host "Machine: $($machine.Cpu), $($machine.LogicalCpus) logical CPUs, $($machine.OS); $($machine.Runtime); PowerShell $($machine.PowerShell)$(if ($loadBefore) { "; load average $loadBefore" })"

$server = Start-TestServer -Configuration $Configuration
$raw = [ordered]@{}
$rows = [System.Collections.Generic.List[object]]::new()
$problems = [System.Collections.Generic.List[string]]::new()
try {
    $common = @{ Uri = $server.Uri; ModulePath = $ModulePath }

    # ---- 1. Import ---------------------------------------------------------------------------------------------------------
    if ('Import' -in $Only) {
        Write-Step "1. Import: pwsh -NoProfile -Command 'Import-Module …; Get-AIProviderAlias | Out-Null' against the same start without the module ($($plan.ImportPairs) pairs)"
        $withModule = @('-NoProfile', '-Command', "Import-Module '$($ModulePath.Replace("'", "''"))'; Get-AIProviderAlias | Out-Null")
        $withoutModule = @('-NoProfile', '-Command', '$null | Out-Null')
        # One pair first, not counted: it brings both into the file cache (the smoke run skips it).
        if (-not $Smoke) {
            foreach ($arguments in $withoutModule, $withModule) { $null = Invoke-PwshProcess -Launcher $launcher -ArgumentList $arguments -WorkingDirectory $root }
        }
        $importBase = [System.Collections.Generic.List[double]]::new()
        $importModule = [System.Collections.Generic.List[double]]::new()
        for ($i = 0; $i -lt $plan.ImportPairs; $i++) {
            # Alternate which goes first, so a drift in the machine's load falls on both.
            $order = if ($i % 2) { @('Module', 'Base') } else { @('Base', 'Module') }
            foreach ($which in $order) {
                $run = Invoke-PwshProcess -Launcher $launcher -ArgumentList $(if ($which -eq 'Module') { $withModule } else { $withoutModule }) -WorkingDirectory $root
                if ($run.ExitCode -ne 0) { throw "pwsh exited with $($run.ExitCode): $($run.StdErr)" }
                if ($which -eq 'Module') { $importModule.Add($run.ElapsedMs) } else { $importBase.Add($run.ElapsedMs) }
            }
        }
        $raw.Import = @{ WithoutModuleMs = $importBase.ToArray(); WithModuleMs = $importModule.ToArray() }
        $rows.Add((New-ResultRow -Figure '1. Import + Get-AIProviderAlias (pwsh start)' -FloorName 'pwsh alone' -Floor (Get-Summary $importBase) `
            -Module (Get-Summary $importModule) -Unit 'ms' -Measured (Get-Summary (Get-Paired $importModule $importBase Difference)) -MeasuredUnit 'ms' `
            -Target '≤ +150 ms' -Met ((Get-Median (Get-Paired $importModule $importBase Difference)) -le 150)))
    }

    # ---- 2. Per-call overhead ------------------------------------------------------------------------------------------------
    if ('Calls' -in $Only) {
        Write-Step "2. Per-call overhead: $($plan.CallRounds) rounds of $($plan.Calls) sequential calls per path, one warm process"
        $calls = Invoke-BenchWorker -Launcher $launcher -WorkerPath $worker -WorkingDirectory $root -Parameter ($common + @{
                Scenario = 'CallOverhead'; Calls = $plan.Calls; Rounds = $plan.CallRounds; Warmup = $plan.CallWarmup })
        $raw.CallOverhead = $calls
        $moduleRatio = Get-Paired ([double[]]$calls.Module) ([double[]]$calls.Raw) Ratio
        $rows.Add((New-ResultRow -Figure '2. Per call, warm (ms/call)' -FloorName 'raw HttpClient' -Floor (Get-Summary $calls.Raw) -Module (Get-Summary $calls.Module) `
            -Unit 'ms' -Measured (Get-Summary $moduleRatio) -MeasuredUnit 'x' -Target '≤ 1.5×' -Met ((Get-Median $moduleRatio) -le 1.5) `
            -BesideName 'Invoke-RestMethod' -Beside (Get-Summary $calls.Rest) `
            -Note ('of which in the core (ChatResponse.Duration): {0:0.00} ms' -f (Get-Median ([double[]]$calls.ModuleCoreMs)))))
        $restRatio = Get-Paired ([double[]]$calls.Rest) ([double[]]$calls.Raw) Ratio
        $rows.Add((New-ResultRow -Figure '2. Invoke-RestMethod beside it (ms/call)' -FloorName 'raw HttpClient' -Floor (Get-Summary $calls.Raw) `
            -Module $null -Unit 'ms' -Measured (Get-Summary $restRatio) -MeasuredUnit 'x' -Target '(for comparison)' -Met $null `
            -BesideName 'Invoke-RestMethod' -Beside (Get-Summary $calls.Rest)))
    }

    if ('FirstCall' -in $Only) {
        Write-Step "2. First call in a fresh process ($($plan.FirstCallPairs) pairs of processes)"
        $firstModule = [System.Collections.Generic.List[double]]::new()
        $firstRaw = [System.Collections.Generic.List[double]]::new()
        for ($i = 0; $i -lt $plan.FirstCallPairs; $i++) {
            $order = if ($i % 2) { @('Module', 'Raw') } else { @('Raw', 'Module') }
            foreach ($kind in $order) {
                $r = Invoke-BenchWorker -Launcher $launcher -WorkerPath $worker -WorkingDirectory $root -Parameter ($common + @{ Scenario = 'FirstCall'; Kind = $kind })
                if ($kind -eq 'Module') { $firstModule.Add($r.FirstCallMs) } else { $firstRaw.Add($r.FirstCallMs) }
            }
        }
        $raw.FirstCall = @{ ModuleMs = $firstModule.ToArray(); RawMs = $firstRaw.ToArray() }
        $firstDiff = Get-Paired $firstModule.ToArray() $firstRaw.ToArray() Difference
        $rows.Add((New-ResultRow -Figure '2. First call in a fresh process' -FloorName 'raw HttpClient' -Floor (Get-Summary $firstRaw) -Module (Get-Summary $firstModule) `
            -Unit 'ms' -Measured (Get-Summary $firstDiff) -MeasuredUnit 'ms' -Target '≤ +20 ms' -Met ((Get-Median $firstDiff) -le 20)))
    }

    # ---- 3. Streaming ---------------------------------------------------------------------------------------------------------
    $raw.Stream = [ordered]@{}
    for ($s = 0; $s -lt $plan.StreamSizes.Count -and 'Stream' -in $Only; $s++) {
        $size = $plan.StreamSizes[$s]
        $label = $size.ToString('N0', [System.Globalization.CultureInfo]::InvariantCulture)
        Write-Step "3. Stream of $label chunks: $($plan.StreamRounds[$s]) rounds, module and floors alternating in one process"
        $st = Invoke-BenchWorker -Launcher $launcher -WorkerPath $worker -WorkingDirectory $root -Parameter ($common + @{
                Scenario = 'Stream'; Chunks = $size; Rounds = $plan.StreamRounds[$s]; Warmup = $plan.StreamWarmup })
        $raw.Stream["$size"] = $st
        $firstDelta = Get-Paired ([double[]]$st.ModuleFirst) ([double[]]$st.RawFirst) Difference
        $rows.Add((New-ResultRow -Figure "3. Stream $label chunks: first chunk" -FloorName 'raw HttpClient' -Floor (Get-Summary $st.RawFirst) `
            -Module (Get-Summary $st.ModuleFirst) -Unit 'ms' -Measured (Get-Summary $firstDelta) -MeasuredUnit 'ms' -Target '≤ +1.5 ms' `
            -Met ((Get-Median $firstDelta) -le 1.5)))
        $totalRatio = Get-Paired ([double[]]$st.ModuleTotal) ([double[]]$st.RawTotal) Ratio
        $rows.Add((New-ResultRow -Figure "3. Stream $label chunks: total" -FloorName 'raw HttpClient' -Floor (Get-Summary $st.RawTotal) `
            -Module (Get-Summary $st.ModuleTotal) -Unit 'ms' -Measured (Get-Summary $totalRatio) -MeasuredUnit 'x' -Target '≤ 2×' `
            -Met ((Get-Median $totalRatio) -le 2) -BesideName 'compiled C# reader' -Beside (Get-Summary $st.CompiledTotal)))
    }

    # The same budget for a streamed tool call: its arguments in ToolStreamChunks deltas, assembled by index.
    if ('ToolStream' -in $Only) {
        $size = $plan.ToolStreamChunks
        $label = $size.ToString('N0', [System.Globalization.CultureInfo]::InvariantCulture)
        Write-Step "3. Stream of $label tool-call deltas: $($plan.ToolStreamRounds) rounds, module and floor alternating in one process"
        $ts = Invoke-BenchWorker -Launcher $launcher -WorkerPath $worker -WorkingDirectory $root -Parameter ($common + @{
                Scenario = 'ToolStream'; Chunks = $size; Rounds = $plan.ToolStreamRounds; Warmup = $plan.StreamWarmup })
        $raw.ToolStream = $ts
        $toolRatio = Get-Paired ([double[]]$ts.ModuleTotal) ([double[]]$ts.RawTotal) Ratio
        $rows.Add((New-ResultRow -Figure "3. Stream $label tool-call deltas: total" -FloorName 'raw HttpClient' -Floor (Get-Summary $ts.RawTotal) `
            -Module (Get-Summary $ts.ModuleTotal) -Unit 'ms' -Measured (Get-Summary $toolRatio) -MeasuredUnit 'x' -Target '≤ 2×' `
            -Met ((Get-Median $toolRatio) -le 2)))
    }

    $small = $plan.StreamSizes[0]; $large = $plan.StreamSizes[-1]
    if ('Memory' -in $Only) {
        Write-Step "3. Memory: peak working set of a fresh process streaming $small and $large chunks ($($plan.MemoryReps) of each)"
        $memory = @{ Module = @{}; Raw = @{} }
        foreach ($kind in 'Module', 'Raw') { foreach ($size in $small, $large) { $memory[$kind]["$size"] = [System.Collections.Generic.List[object]]::new() } }
        for ($i = 0; $i -lt $plan.MemoryReps; $i++) {
            foreach ($size in $small, $large) {
                foreach ($kind in 'Module', 'Raw') {
                    $memory[$kind]["$size"].Add((Invoke-BenchWorker -Launcher $launcher -WorkerPath $worker -WorkingDirectory $root -Parameter ($common + @{
                                    Scenario = 'StreamMemory'; Kind = $kind; Chunks = $size; Warmup = $plan.MemoryWarmup })))
                }
            }
        }
        $raw.StreamMemory = $memory
        $growth = @{}
        foreach ($kind in 'Module', 'Raw') {
            $growth[$kind] = Get-Paired ([double[]]($memory[$kind]["$large"] | ForEach-Object PeakGrowthMB)) ([double[]]($memory[$kind]["$small"] | ForEach-Object PeakGrowthMB)) Difference
        }
        # The answer itself must be held (the builder's chunks and the final string, UTF-16): growth beyond a few copies of it
        # would mean memory that grows per chunk.
        $answerChars = 0
        for ($n = 1; $n -le $large; $n++) { $answerChars += 4 + $n.ToString().Length }
        $answerMB = 2.0 * $answerChars / 1MB
        $budgetMB = 4 * $answerMB
        $extra = Get-Paired ([double[]]$growth.Module) ([double[]]$growth.Raw) Difference
        $rows.Add((New-ResultRow -Figure "3. Peak working set growth, $large vs $small chunks" -FloorName 'raw HttpClient' -Floor (Get-Summary $growth.Raw) `
            -Module (Get-Summary $growth.Module) -Unit 'MB' -Measured (Get-Summary $extra) -MeasuredUnit 'MB' `
            -Target ("flat: ≤ +{0:0.0} MB (4 × the {1:0.0} MB answer)" -f $budgetMB, $answerMB) -Met ((Get-Median $extra) -le $budgetMB) `
            -Note ('CloudflareAI peak while streaming: +{0:0.0} MB at {2}, +{1:0.0} MB at {3}{4}' -f (Get-Median ([double[]]($memory.Module["$large"] | ForEach-Object PeakGrowthMB))),
                (Get-Median ([double[]]($memory.Module["$small"] | ForEach-Object PeakGrowthMB))), $large, $small,
                $(if (@($memory.Module["$large"] | Where-Object { -not $_.PeakIsTheStreams }).Count) { ' (process peaks: this OS cannot reset the peak)' }))))
        $allocModule = [double[]]($memory.Module["$large"] | ForEach-Object AllocatedBytesPerChunk)
        $allocRaw = [double[]]($memory.Raw["$large"] | ForEach-Object AllocatedBytesPerChunk)
        $rows.Add((New-ResultRow -Figure "3. Bytes allocated per chunk ($large chunks)" -FloorName 'raw HttpClient' -Floor (Get-Summary $allocRaw) `
            -Module (Get-Summary $allocModule) -Unit 'B' -Measured (Get-Summary (Get-Paired $allocModule $allocRaw Ratio)) -MeasuredUnit 'x' `
            -Target '(for comparison)' -Met $null))
    }

    # ---- 3. Memory under a gzip bomb: the body is refused at -MaxResponseMB, and memory grows by the cap's buffer at most -----
    if ('Bomb' -in $Only) {
        Write-Step "3. Memory: a gzip body that inflates to $($plan.BombMB) MB, refused at the 32 MB cap ($($plan.BombReps) fresh processes)"
        $bombs = [System.Collections.Generic.List[object]]::new()
        for ($i = 0; $i -lt $plan.BombReps; $i++) {
            $bombs.Add((Invoke-BenchWorker -Launcher $launcher -WorkerPath $worker -WorkingDirectory $root -Parameter ($common + @{
                            Scenario = 'BombMemory'; Chunks = $plan.BombMB; Warmup = 1 })))
        }
        $raw.BombMemory = $bombs
        $refusedAll = @($bombs | Where-Object { -not $_.Refused }).Count -eq 0
        if (-not $refusedAll) { $problems.Add('Bomb: the inflating body was not refused as ChatResponseInvalid at the 32 MB cap.') }
        # The floor is the buffer the cap allows: one 32 MB answer held in memory.
        $capMB = 32.0
        $bombGrowth = [double[]]($bombs | ForEach-Object PeakGrowthMB)
        $beyond = [double[]]($bombGrowth | ForEach-Object { $_ - $capMB })
        $rows.Add((New-ResultRow -Figure "3. Peak working set growth, gzip body inflating to $($plan.BombMB) MB" -FloorName 'the 32 MB cap''s buffer' `
            -Floor ([pscustomobject]@{ Median = $capMB; Min = $capMB; Max = $capMB; Count = 1 }) -Module (Get-Summary $bombGrowth) -Unit 'MB' `
            -Measured (Get-Summary $beyond) -MeasuredUnit 'MB' -Target '≤ +64 MB beyond the cap, refused' -Met (((Get-Median $beyond) -le 64) -and $refusedAll) `
            -Note ('refused as ChatResponseInvalid: {0}; {1:0} ms to refuse{2}' -f $refusedAll, (Get-Median ([double[]]($bombs | ForEach-Object ElapsedMs))),
                $(if (@($bombs | Where-Object { -not $_.PeakIsTheBodys }).Count) { ' (process peaks: this OS cannot reset the peak)' }))))
    }

    # ---- 4. Batch -------------------------------------------------------------------------------------------------------------
    if ('Batch' -in $Only) {
        $ideal = $plan.BatchPrompts * $plan.BatchLatencyMs / $plan.BatchLimit
        Write-Step "4. Batch: $($plan.BatchPrompts) prompts at $($plan.BatchLatencyMs) ms through -ThrottleLimit $($plan.BatchLimit) (ideal $ideal ms), $($plan.BatchRounds) rounds"
        $batch = Invoke-BenchWorker -Launcher $launcher -WorkerPath $worker -WorkingDirectory $root -Parameter ($common + @{
                Scenario = 'Batch'; Prompts = $plan.BatchPrompts; LatencyMs = $plan.BatchLatencyMs; ThrottleLimit = $plan.BatchLimit; Rounds = $plan.BatchRounds })
        $raw.Batch = $batch
        $batchRatio = [double[]]($batch.Module | ForEach-Object { $_ / $ideal })
        $complete = $batch.Lost -eq 0 -and $batch.OutOfOrder -eq 0 -and $batch.Failed -eq 0
        if (-not $complete) { $problems.Add("Batch: $($batch.Lost) answers lost, $($batch.OutOfOrder) out of order, $($batch.Failed) failed.") }
        $rows.Add((New-ResultRow -Figure "4. Batch $($plan.BatchPrompts) × $($plan.BatchLatencyMs) ms, -ThrottleLimit $($plan.BatchLimit)" -FloorName "ideal M·L/C = $ideal ms" `
            -Floor ([pscustomobject]@{ Median = $ideal; Min = $ideal; Max = $ideal; Count = 1 }) -Module (Get-Summary $batch.Module) -Unit 'ms' `
            -Measured (Get-Summary $batchRatio) -MeasuredUnit 'x' -Target '≤ 1.1×, none lost or out of order' `
            -Met (((Get-Median $batchRatio) -le 1.1) -and $complete) -BesideName 'raw HttpClient, C in flight' -Beside (Get-Summary $batch.Raw) `
            -Note "lost $($batch.Lost), out of order $($batch.OutOfOrder), failed $($batch.Failed)"))
    }

    # ---- 5. Batches under real limits ------------------------------------------------------------------------------------------
    # The emulator's gauge of the run is the measurement: requests in flight integrated over time from the first request to
    # the last one sent (after that no work is left to send, only answers to wait for).
    $faultRate = '429=0.1,503=0.1; retryAfter=0-1'
    if ('Faults' -in $Only) {
        $n = $plan.FaultLimit
        Write-Step "5. Faults: $($plan.FaultPrompts) prompts at $($plan.FaultLatencyMs) ms through -ThrottleLimit $n with '$faultRate', and without faults"
        $faults = Invoke-BenchWorker -Launcher $launcher -WorkerPath $worker -WorkingDirectory $root -Parameter ($common + @{
                Scenario = 'BatchFaults'; Prompts = $plan.FaultPrompts; LatencyMs = $plan.FaultLatencyMs; ThrottleLimit = $n; Rounds = $plan.FaultRounds; FaultRate = $faultRate })
        $raw.BatchFaults = $faults
        $inFlight = [double[]]($faults.Faults | ForEach-Object AverageInFlightWhileSending)
        $clean = [double[]]($faults.Clean | ForEach-Object AverageInFlightWhileSending)
        $share = [double[]]($inFlight | ForEach-Object { $_ / $n })
        $lost = ($faults.Faults | Measure-Object Lost -Sum).Sum + ($faults.Faults | Measure-Object OutOfOrder -Sum).Sum
        if ($lost) { $problems.Add("Faults: $lost answers lost or out of order.") }
        $attempts = Get-Median ([double[]]($faults.Faults | ForEach-Object Requests))
        $idealMs = $attempts * $plan.FaultLatencyMs / $n
        $tookMs = Get-Median ([double[]]($faults.Faults | ForEach-Object ElapsedMs))
        $firstRemain = Get-Median ([double[]]($faults.Faults | ForEach-Object AverageInFlightWhilePromptsRemain))
        $rows.Add((New-ResultRow -Figure "5. $($plan.FaultPrompts) prompts, 10% 429 + 10% 503 (Retry-After 0–1 s), -ThrottleLimit ${n}: in flight while sending" `
            -FloorName "ideal = $n" -Floor ([pscustomobject]@{ Median = $n; Min = $n; Max = $n; Count = 1 }) -Module (Get-Summary $inFlight) -Unit 'in flight' `
            -Measured (Get-Summary $share) -MeasuredUnit 'x' -Target '≥ 0.80× of the limit, none lost or out of order' -Met (((Get-Median $share) -ge 0.8) -and -not $lost) `
            -BesideName 'no faults' -Beside (Get-Summary $clean) `
            -Note ('{0:0.0} s for {1} attempts at {2} ms (ideal {3:0.0} s); {4} failed after retries; without faults {5:0.0} s; while prompts were still sent for the first time (before the drain of retries): {6:0.0} in flight ({7:0.00}×)' -f ($tookMs / 1000), $attempts, $plan.FaultLatencyMs, ($idealMs / 1000),
                ($faults.Faults | Measure-Object Failed -Sum).Sum, ((Get-Median ([double[]]($faults.Clean | ForEach-Object ElapsedMs))) / 1000),
                $firstRemain, ($firstRemain / $n))))
    }

    if ('PerMinute' -in $Only) {
        # 600 a minute, enforced over any 1 s (10 per second): a window of a whole minute would never fill in a 30 s batch.
        $rateLimit = '10/1'
        $allowed = 10.0
        $n = $plan.PerMinuteLimit
        Write-Step "5. Per-minute limit: $($plan.PerMinutePrompts) prompts at $($plan.PerMinuteLatencyMs) ms through -ThrottleLimit $n against '$rateLimit' (429 code 3021 beyond), without and with -RequestsPerMinute 600"
        $perMinute = Invoke-BenchWorker -Launcher $launcher -WorkerPath $worker -WorkingDirectory $root -Parameter ($common + @{
                Scenario = 'BatchPerMinute'; Prompts = $plan.PerMinutePrompts; LatencyMs = $plan.PerMinuteLatencyMs; ThrottleLimit = $n; Rounds = $plan.PerMinuteRounds
                RateLimit = $rateLimit; RequestsPerMinute = 600 })
        $raw.BatchPerMinute = $perMinute
        foreach ($mode in 'Adaptive', 'Paced') {
            $runs = @($perMinute.$mode)
            $rate = [double[]]($runs | ForEach-Object RequestsPerSecond)
            $failed = ($runs | Measure-Object Failed -Sum).Sum
            $lost = ($runs | Measure-Object Lost -Sum).Sum + ($runs | Measure-Object OutOfOrder -Sum).Sum
            if ($lost) { $problems.Add("PerMinute ($mode): $lost answers lost or out of order.") }
            $share = [double[]]($rate | ForEach-Object { $_ / $allowed })
            $how = if ($mode -eq 'Paced') { '-RequestsPerMinute 600' } else { 'no pace (adaptive)' }
            $rows.Add((New-ResultRow -Figure "5. $($plan.PerMinutePrompts) prompts vs 600/min (429 3021 beyond), -ThrottleLimit $n, $how" `
                -FloorName 'allowed = 10 req/s' -Floor ([pscustomobject]@{ Median = $allowed; Min = $allowed; Max = $allowed; Count = 1 }) -Module (Get-Summary $rate) -Unit 'req/s' `
                -Measured (Get-Summary $share) -MeasuredUnit 'x' -Target '≥ 0.90× of the allowed rate, 0 failures' -Met (((Get-Median $share) -ge 0.9) -and $failed -eq 0 -and -not $lost) `
                -Note ('{0} failed; {1} requests, {2} refused with 429' -f $failed, ($runs | Measure-Object Requests -Sum).Sum, ($runs | Measure-Object Refused -Sum).Sum)))
        }
    }

    # ---- 6. Model catalog ------------------------------------------------------------------------------------------------------
    if ('Catalog' -in $Only) {
        Write-Step "6. Catalog: Get-AIModel -Refresh over $($plan.CatalogModels) models (every page, parsed) against a raw HttpClient reading and parsing the same pages, $($plan.CatalogRounds) rounds"
        $catalog = Invoke-BenchWorker -Launcher $launcher -WorkerPath $worker -WorkingDirectory $root -Parameter ($common + @{
                Scenario = 'Catalog'; Models = $plan.CatalogModels; Rounds = $plan.CatalogRounds; Warmup = $plan.CatalogWarmup })
        $raw.Catalog = $catalog
        $catalogRatio = Get-Paired ([double[]]$catalog.Module) ([double[]]$catalog.Raw) Ratio
        $rows.Add((New-ResultRow -Figure "6. Get-AIModel, $($catalog.Models) models in $($catalog.Pages) pages" -FloorName 'raw HttpClient + JsonDocument' `
            -Floor (Get-Summary $catalog.Raw) -Module (Get-Summary $catalog.Module) -Unit 'ms' -Measured (Get-Summary $catalogRatio) -MeasuredUnit 'x' `
            -Target '≤ 2×' -Met ((Get-Median $catalogRatio) -le 2)))
    }

    # ---- 7. Embeddings ---------------------------------------------------------------------------------------------------------
    # N texts go in ceil(N/B) requests, C at a time, each taking the emulator's latency L: the ideal is ceil(ceil(N/B)/C) × L.
    # The figure is that ideal as a share of the time Invoke-AIEmbedding takes, texts piped in, vectors out in order.
    if ('Embeddings' -in $Only) {
        $requests = [Math]::Ceiling($plan.EmbeddingTexts / $plan.EmbeddingBatchSize)
        $ideal = [Math]::Ceiling($requests / $plan.EmbeddingLimit) * $plan.EmbeddingLatencyMs
        Write-Step "7. Embeddings: $($plan.EmbeddingTexts) texts, -BatchSize $($plan.EmbeddingBatchSize), -ThrottleLimit $($plan.EmbeddingLimit), $($plan.EmbeddingLatencyMs) ms a request (ideal $ideal ms), $($plan.EmbeddingRounds) rounds"
        $embeddings = Invoke-BenchWorker -Launcher $launcher -WorkerPath $worker -WorkingDirectory $root -Parameter ($common + @{
                Scenario = 'Embeddings'; Prompts = $plan.EmbeddingTexts; BatchSize = $plan.EmbeddingBatchSize; ThrottleLimit = $plan.EmbeddingLimit
                LatencyMs = $plan.EmbeddingLatencyMs; Rounds = $plan.EmbeddingRounds })
        $raw.Embeddings = $embeddings
        $share = [double[]]($embeddings.Module | ForEach-Object { $ideal / $_ })
        $complete = $embeddings.Lost -eq 0 -and $embeddings.OutOfOrder -eq 0 -and $embeddings.Failed -eq 0
        if (-not $complete) { $problems.Add("Embeddings: $($embeddings.Lost) vectors lost, $($embeddings.OutOfOrder) out of order, $($embeddings.Failed) failed.") }
        $rows.Add((New-ResultRow -Figure "7. Embeddings $($plan.EmbeddingTexts) texts, -BatchSize $($plan.EmbeddingBatchSize), -ThrottleLimit $($plan.EmbeddingLimit), $($plan.EmbeddingLatencyMs) ms" `
            -FloorName "ideal ⌈⌈N/B⌉/C⌉·L = $ideal ms" -Floor ([pscustomobject]@{ Median = $ideal; Min = $ideal; Max = $ideal; Count = 1 }) `
            -Module (Get-Summary $embeddings.Module) -Unit 'ms' -Measured (Get-Summary $share) -MeasuredUnit 'x' -Target '≥ 0.9 of the ideal, none lost or out of order' `
            -Met (((Get-Median $share) -ge 0.9) -and $complete) -BesideName 'raw HttpClient, C in flight' -Beside (Get-Summary $embeddings.Raw) `
            -Note "ideal / measured; $($embeddings.Dimensions) dimensions; lost $($embeddings.Lost), out of order $($embeddings.OutOfOrder), failed $($embeddings.Failed)"))
    }
}
finally {
    Stop-TestServer -Server $server
    foreach ($entry in $savedEnvironment.GetEnumerator()) { [System.Environment]::SetEnvironmentVariable($entry.Key, $entry.Value) }
}

# ---- report ---------------------------------------------------------------------------------------------------------------------
$loadAfter = Get-LoadAverage
$elapsed = (Get-Date) - $started
Write-Host ''
Write-Host (Write-ResultTable $rows)
$missed = @($rows | Where-Object { $_.Met -eq $false }).Count
Write-Host "$(@($rows | Where-Object { $_.Met -eq $true }).Count) targets met, $missed missed; run took $([int]$elapsed.TotalSeconds) s$(if ($loadAfter) { "; load average $loadBefore before, $loadAfter after" })."

$results = [ordered]@{
    Date          = $started.ToUniversalTime().ToString('yyyy-MM-dd HH:mm') + ' UTC'
    Smoke         = [bool]$Smoke
    Configuration = $Configuration
    Machine       = $machine
    LoadAverage   = @{ Before = $loadBefore; After = $loadAfter }
    Plan          = $plan
    Rows          = $rows
    Measurements  = $raw
}
$results | ConvertTo-Json -Depth 10 | Set-Content -LiteralPath (Join-Path $OutputDirectory 'results.json') -Encoding utf8NoBOM
$markdown = @(
    "Run of $($results.Date)$(if ($Smoke) { ' (smoke)' }): $($machine.Cpu), $($machine.LogicalCpus) logical CPUs, $($machine.MemoryGB) GB, $($machine.OS), $($machine.Runtime), PowerShell $($machine.PowerShell)$(if ($loadBefore) { "; load average $loadBefore before, $loadAfter after" })."
    ''
    ConvertTo-ResultMarkdown $rows
)
$markdown | Set-Content -LiteralPath (Join-Path $OutputDirectory 'results.md') -Encoding utf8NoBOM

# The chart: one panel per figure with a CloudflareAI bar.
$panels = foreach ($row in $rows) {
    # Invoke-RestMethod's own row repeats bars the per-call panel already shows.
    if (-not $row.Module) { continue }
    $bars = [System.Collections.Generic.List[object]]::new()
    $floorLabel = ($row.FloorName -split ' = ')[0]
    if ($row.Floor) { $bars.Add([pscustomobject]@{ Label = $floorLabel; Kind = 'Floor'; Median = $row.Floor.Median; Min = $row.Floor.Min; Max = $row.Floor.Max; Text = Format-Number $row.Floor.Median $row.Unit }) }
    if ($row.Module) { $bars.Add([pscustomobject]@{ Label = 'CloudflareAI'; Kind = 'Module'; Median = $row.Module.Median; Min = $row.Module.Min; Max = $row.Module.Max; Text = Format-Number $row.Module.Median $row.Unit }) }
    if ($row.Beside) { $bars.Add([pscustomobject]@{ Label = $row.BesideName; Kind = 'Beside'; Median = $row.Beside.Median; Min = $row.Beside.Min; Max = $row.Beside.Max; Text = Format-Number $row.Beside.Median $row.Unit }) }
    # The target as a limit on the CloudflareAI bar, in the panel's own unit.
    $target = 0.0; $targetLabel = ''
    if ($row.Module -and $row.Floor -and $row.Target -match '^≤ \+?([\d.]+) ?(ms|×|MB)') {
        $limit = [double]$Matches[1]
        if ($Matches[2] -eq '×') { $target = $row.Floor.Median * $limit; $targetLabel = "$($Matches[1])× floor" }
        else { $target = $row.Floor.Median + $limit; $targetLabel = "floor + $($Matches[1]) $($Matches[2])" }
    }
    elseif ($row.Module -and $row.Floor -and $row.Target -match '^flat: ≤ \+([\d.]+) MB') {
        $target = $row.Floor.Median + [double]$Matches[1]; $targetLabel = "floor + $($Matches[1]) MB"
    }
    $verdict = Get-MetText $row.Met
    $measuredText = if ($row.Measured) { Format-Summary $row.Measured $row.MeasuredUnit -Signed:($row.MeasuredUnit -ne 'x') } else { '' }
    [pscustomobject]@{
        Title       = $row.Figure
        Verdict     = "$verdict$(if ($measuredText) { ": $measuredText" })"
        Bars        = $bars
        Target      = $target
        TargetLabel = $targetLabel
    }
}
$chartPath = Join-Path $OutputDirectory 'benchmarks.svg'
Write-BenchmarkChart -Panels $panels -Path $chartPath -Title "CloudflareAI benchmarks$(if ($Smoke) { ' (smoke run)' })" `
    -Subtitle "$($results.Date): $($machine.Cpu), $($machine.LogicalCpus) logical CPUs, shared; bar = median, whisker = range (arrow: beyond the panel); each panel its own scale"
Write-Host "Wrote $(Join-Path $OutputDirectory 'results.md'), results.json and $chartPath"

if ($problems.Count -gt 0) {
    $problems | ForEach-Object { Write-Host $_ -ForegroundColor Red }
    exit 1
}
exit 0
