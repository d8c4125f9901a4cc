<#
.SYNOPSIS
    One measurement, run by Invoke-Benchmark.ps1 in a fresh pwsh: the module and its floor side by side in this process.

.DESCRIPTION
    Prints exactly one line that matters: 'BENCH-RESULT <json>'. Everything else on stdout is ignored.
    The emulator's address comes in -Uri; CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN (fakes) come from the parent.

    Scenarios:
      CallOverhead  warm per-call time: Invoke-AIChat, a reused raw HttpClient loop, Invoke-RestMethod, in rotating rounds
      FirstCall     the first call in this fresh process (-Kind Module or Raw)
      Stream        time to first chunk and total time for one stream size, module and floors alternating
      StreamMemory  peak working set and bytes allocated for one stream of one size (-Kind Module or Raw)
      Batch         M prompts at latency L through -ThrottleLimit C, and a raw HttpClient floor keeping C in flight
      BombMemory    peak working set growth while a gzip body that inflates to -Chunks MB is refused at -MaxResponseMB
      BatchFaults   M prompts at latency L through -ThrottleLimit C with -FaultRate injected, and the same without faults;
                    the emulator's gauge gives the average number of requests in flight while the batch was sending
      BatchPerMinute M prompts at latency L through -ThrottleLimit C against a server allowing -RateLimit (429 code 3021
                    beyond, no Retry-After), without a pace and with -RequestsPerMinute
      Embeddings    -Prompts texts through Invoke-AIEmbedding -BatchSize B -ThrottleLimit C at latency L, and a raw HttpClient
                    floor sending the same request bodies C at a time and reading the answers as text
      Catalog       Get-AIModel -Refresh over a catalog of -Models models (every page, parsed into ModelInfo) against a raw
                    HttpClient reading and JSON-parsing the same pages, in rotating rounds
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [ValidateSet('CallOverhead', 'FirstCall', 'Stream', 'ToolStream', 'StreamMemory', 'Batch', 'BombMemory', 'BatchFaults', 'BatchPerMinute', 'Catalog', 'Embeddings')]
    [string] $Scenario,

    [Parameter(Mandatory)] [string] $Uri,
    [Parameter(Mandatory)] [string] $ModulePath,

    [ValidateSet('Module', 'Raw')] [string] $Kind = 'Module',
    [int] $Calls = 100,
    [int] $Rounds = 10,
    [int] $Warmup = 30,
    [int] $Chunks = 2000,
    [int] $Prompts = 200,
    [int] $LatencyMs = 100,
    [int] $ThrottleLimit = 20,
    [string] $FaultRate = '429=0.1,503=0.1; retryAfter=0-1',
    [string] $RateLimit = '10/1',
    [int] $RequestsPerMinute = 600,
    [int] $Models = 500,
    [int] $BatchSize = 100
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$script:Account = $env:CLOUDFLARE_ACCOUNT_ID
$script:Token = $env:CLOUDFLARE_API_TOKEN
if (-not $script:Account -or -not $script:Token) { throw 'The parent sets CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN (fakes for the emulator).' }
# The Workers AI flavour of the emulator: the real quirks (keep-alive comment, padding, usage on every chunk).
$script:BaseTemplate = $Uri + '/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1'
$script:ChatUrl = "$Uri/client/v4/accounts/$($script:Account)/ai/v1/chat/completions"
$script:Model = '@cf/meta/llama-3.3-70b-instruct-fp8-fast'
# What Invoke-AIChat sends for the prompt 'hi', so the floors carry the same body.
$script:Body = '{"model":"@cf/meta/llama-3.3-70b-instruct-fp8-fast","messages":[{"role":"user","content":"hi"}]}'
$script:StreamBody = '{"model":"@cf/meta/llama-3.3-70b-instruct-fp8-fast","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true}}'
$script:Watch = [System.Diagnostics.Stopwatch]::new()

function Write-Result([hashtable] $Result) {
    '' # keep the marker on a line of its own even if something wrote without a newline
    'BENCH-RESULT ' + ($Result | ConvertTo-Json -Depth 6 -Compress)
}

function Get-Median([double[]] $Value) {
    $sorted = [double[]]($Value | Sort-Object)
    $n = $sorted.Length
    if ($n % 2) { $sorted[($n - 1) / 2] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
}

# The expected streamed answer for N chunks: 'tok1 tok2 ... tokN '.
function Get-ExpectedLength([int] $Count) {
    $length = 0
    for ($i = 1; $i -le $Count; $i++) { $length += 4 + $i.ToString().Length }
    $length
}

# ---- the module's calls -----------------------------------------------------------------------------------------------

function Invoke-ModuleCall {
    Invoke-AIChat 'hi' -Provider cloudflare-workers-ai -BaseUrl $script:BaseTemplate
}

# ---- the floors: what a script would write with HttpClient alone --------------------------------------------------------

function New-RawClient {
    # One client for the whole loop, as a careful script would keep it.
    [System.Net.Http.HttpClient]::new()
}

function New-RawRequest([string] $Body, [hashtable] $Header) {
    $request = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::Post, $script:ChatUrl)
    $null = $request.Headers.TryAddWithoutValidation('Authorization', 'Bearer ' + $script:Token)
    if ($Header) { foreach ($k in $Header.Keys) { $null = $request.Headers.TryAddWithoutValidation($k, [string]$Header[$k]) } }
    $request.Content = [System.Net.Http.StringContent]::new($Body, [System.Text.Encoding]::UTF8, 'application/json')
    $request
}

function Invoke-RawCall([System.Net.Http.HttpClient] $Client) {
    $request = New-RawRequest $script:Body
    $response = $Client.SendAsync($request).GetAwaiter().GetResult()
    try {
        $text = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult()
        if (-not $response.IsSuccessStatusCode) { throw "The emulator answered $([int]$response.StatusCode): $text" }
        $text
    }
    finally { $response.Dispose(); $request.Dispose() }
}

function Invoke-RestCall {
    Invoke-RestMethod -Method Post -Uri $script:ChatUrl -Body $script:Body -ContentType 'application/json' -Headers @{ Authorization = 'Bearer ' + $script:Token }
}

# ---- scenarios -------------------------------------------------------------------------------------------------------------

function Measure-CallOverhead {
    Import-Module $ModulePath
    $client = New-RawClient
    $base = $script:BaseTemplate
    $url = $script:ChatUrl
    $body = $script:Body
    $authorization = 'Bearer ' + $script:Token
    $restHeaders = @{ Authorization = $authorization }
    # Each path is the loop a script would write, inline: no helper function around the floor or the cmdlet.
    $loops = [ordered]@{
        Module = {
            param($n)
            for ($i = 0; $i -lt $n; $i++) { $null = Invoke-AIChat 'hi' -Provider cloudflare-workers-ai -BaseUrl $base }
        }
        Raw    = {
            param($n)
            for ($i = 0; $i -lt $n; $i++) {
                $request = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::Post, $url)
                $null = $request.Headers.TryAddWithoutValidation('Authorization', $authorization)
                $request.Content = [System.Net.Http.StringContent]::new($body, [System.Text.Encoding]::UTF8, 'application/json')
                $response = $client.SendAsync($request).GetAwaiter().GetResult()
                $null = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult()
                $response.Dispose(); $request.Dispose()
            }
        }
        Rest   = {
            param($n)
            for ($i = 0; $i -lt $n; $i++) { $null = Invoke-RestMethod -Method Post -Uri $url -Body $body -ContentType 'application/json' -Headers $restHeaders }
        }
    }
    # Check once that each path really answers, then warm every path up.
    $answer = Invoke-ModuleCall
    if ($answer.Content -ne 'Hello from the CloudflareAI emulator') { throw "Invoke-AIChat answered '$($answer.Content)'." }
    if ((Invoke-RawCall $client) -notmatch 'Hello from the CloudflareAI emulator') { throw 'The raw HttpClient call did not get the greeting.' }
    foreach ($name in $loops.Keys) { & $loops[$name] $Warmup }

    $perCall = @{ Module = [System.Collections.Generic.List[double]]::new(); Raw = [System.Collections.Generic.List[double]]::new(); Rest = [System.Collections.Generic.List[double]]::new() }
    $names = @($loops.Keys)
    for ($round = 0; $round -lt $Rounds; $round++) {
        # Short blocks, the order rotating: each round's three blocks run within milliseconds of each other, so a change in
        # the machine's load falls on all three, and the round's ratio stays fair.
        for ($k = 0; $k -lt $names.Count; $k++) {
            $name = $names[($round + $k) % $names.Count]
            $script:Watch.Restart()
            & $loops[$name] $Calls
            $perCall[$name].Add($script:Watch.Elapsed.TotalMilliseconds / $Calls)
        }
    }
    # Not counted above: how much of an Invoke-AIChat call is the core's own work (ChatResponse.Duration: building the
    # request, the HTTP exchange, reading the answer) and how much is the cmdlet around it (binding, resolving the alias,
    # the pipeline). For the analysis in docs/benchmarks.md.
    $inside = [System.Collections.Generic.List[double]]::new()
    for ($round = 0; $round -lt [Math]::Max(2, [int]($Rounds / 4)); $round++) {
        $sum = 0.0
        for ($i = 0; $i -lt $Calls; $i++) { $sum += (Invoke-AIChat 'hi' -Provider cloudflare-workers-ai -BaseUrl $base).Duration.TotalMilliseconds }
        $inside.Add($sum / $Calls)
    }
    Write-Result @{ Module = $perCall.Module.ToArray(); Raw = $perCall.Raw.ToArray(); Rest = $perCall.Rest.ToArray(); Calls = $Calls; ModuleCoreMs = $inside.ToArray() }
}

function Measure-FirstCall {
    if ($Kind -eq 'Module') {
        Import-Module $ModulePath
        $script:Watch.Restart()
        $answer = Invoke-ModuleCall
        $ms = $script:Watch.Elapsed.TotalMilliseconds
        if ($answer.Content -ne 'Hello from the CloudflareAI emulator') { throw "Invoke-AIChat answered '$($answer.Content)'." }
    }
    else {
        $script:Watch.Restart()
        $client = New-RawClient
        $text = Invoke-RawCall $client
        $ms = $script:Watch.Elapsed.TotalMilliseconds
        if ($text -notmatch 'Hello from the CloudflareAI emulator') { throw 'The raw HttpClient call did not get the greeting.' }
    }
    Write-Result @{ Kind = $Kind; FirstCallMs = $ms }
}

# The floor for streaming: HttpClient and a StreamReader reading the SSE lines in a PowerShell loop.
function Invoke-RawStream([System.Net.Http.HttpClient] $Client, [int] $Count) {
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $request = New-RawRequest $script:StreamBody @{ 'X-Emulator-Chunks' = $Count; Accept = 'text/event-stream' }
    $response = $Client.SendAsync($request, [System.Net.Http.HttpCompletionOption]::ResponseHeadersRead).GetAwaiter().GetResult()
    $first = -1.0
    $lines = 0
    try {
        $reader = [System.IO.StreamReader]::new($response.Content.ReadAsStreamAsync().GetAwaiter().GetResult())
        while ($null -ne ($line = $reader.ReadLine())) {
            $lines++
            if ($first -lt 0 -and $line.StartsWith('data: {')) { $first = $watch.Elapsed.TotalMilliseconds }
        }
        $reader.Dispose()
    }
    finally { $response.Dispose(); $request.Dispose() }
    [pscustomobject]@{ FirstMs = $first; TotalMs = $watch.Elapsed.TotalMilliseconds; Lines = $lines }
}

# A compiled reader: what the same HttpClient loop costs without PowerShell's per-line interpretation (shown beside).
$script:CompiledReaderSource = @'
using System;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
public static class BenchCompiledSseReader
{
    public static double[] Read(HttpClient client, HttpRequestMessage request)
    {
        var watch = Stopwatch.StartNew();
        double first = -1;
        long lines = 0;
        using (var response = client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult())
        using (var reader = new StreamReader(response.Content.ReadAsStreamAsync().GetAwaiter().GetResult()))
        {
            string line;
            while ((line = reader.ReadLine()) != null)
            {
                lines++;
                if (first < 0 && line.StartsWith("data: {", StringComparison.Ordinal)) first = watch.Elapsed.TotalMilliseconds;
            }
        }
        return new[] { first, watch.Elapsed.TotalMilliseconds, lines };
    }
}
'@

function Invoke-CompiledStream([System.Net.Http.HttpClient] $Client, [int] $Count) {
    $request = New-RawRequest $script:StreamBody @{ 'X-Emulator-Chunks' = $Count; Accept = 'text/event-stream' }
    $r = [BenchCompiledSseReader]::Read($Client, $request)
    $request.Dispose()
    [pscustomobject]@{ FirstMs = $r[0]; TotalMs = $r[1]; Lines = $r[2] }
}

function Invoke-ModuleStream([int] $Count, [switch] $NoRecords) {
    # 6>$null: the streamed text is PSHOST Information records, kept off the console. -InformationVariable keeps them too
    # (a few dozen: the cmdlet batches text that arrives faster than every 10 ms), and each record's TimeGenerated says
    # when the cmdlet wrote it: the first one is the time to first chunk, in the same run as the total.
    $started = [DateTime]::Now
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    if ($NoRecords) {
        $answer = Invoke-AIChat 'hi' -Provider cloudflare-workers-ai -BaseUrl $script:BaseTemplate -Stream -Header @{ 'X-Emulator-Chunks' = $Count } 6>$null
    }
    else {
        $answer = Invoke-AIChat 'hi' -Provider cloudflare-workers-ai -BaseUrl $script:BaseTemplate -Stream -Header @{ 'X-Emulator-Chunks' = $Count } -InformationVariable records 6>$null
    }
    $total = $watch.Elapsed.TotalMilliseconds
    if ($answer.Content.Length -ne (Get-ExpectedLength $Count)) { throw "The streamed answer has $($answer.Content.Length) characters, not $(Get-ExpectedLength $Count)." }
    if ($NoRecords) { return [pscustomobject]@{ FirstMs = [double]::NaN; TotalMs = $total; Records = 0 } }
    $text = @($records | Where-Object { $_.Tags -contains 'PSHOST' -and $_.MessageData.Message })
    if (-not $text) { throw 'No streamed text reached the Information stream.' }
    [pscustomobject]@{ FirstMs = ($text[0].TimeGenerated - $started).TotalMilliseconds; TotalMs = $total; Records = $records.Count }
}

function Measure-Stream {
    Import-Module $ModulePath
    Add-Type -TypeDefinition $script:CompiledReaderSource -ReferencedAssemblies System.Net.Http, System.Net.Primitives, System.Runtime, System.IO, System.Private.CoreLib -ErrorAction Stop 2>$null
    $client = New-RawClient
    # Warm every path (and the emulator) with whole rounds at this size, not counted: the first long streams in a process
    # run on the JIT's quick first-tier code, several times slower than the code it settles on.
    for ($i = 0; $i -lt $Warmup; $i++) {
        $null = Invoke-RawStream $client $Chunks
        $null = Invoke-ModuleStream $Chunks
        $null = Invoke-CompiledStream $client $Chunks
    }
    $result = @{ Chunks = $Chunks; ModuleTotal = @(); ModuleFirst = @(); ModuleRecords = @(); RawTotal = @(); RawFirst = @(); CompiledTotal = @(); CompiledFirst = @() }
    for ($round = 0; $round -lt $Rounds; $round++) {
        [System.GC]::Collect()
        $raw = Invoke-RawStream $client $Chunks
        $result.RawTotal += $raw.TotalMs; $result.RawFirst += $raw.FirstMs
        [System.GC]::Collect()
        $module = Invoke-ModuleStream $Chunks
        $result.ModuleTotal += $module.TotalMs; $result.ModuleFirst += $module.FirstMs; $result.ModuleRecords += $module.Records
        [System.GC]::Collect()
        $compiled = Invoke-CompiledStream $client $Chunks
        $result.CompiledTotal += $compiled.TotalMs; $result.CompiledFirst += $compiled.FirstMs
    }
    Write-Result $result
}

# A streamed answer that is one tool call whose arguments arrive in $Count deltas ('{"text":"tok1 ... tokN "}'): the
# emulator's @emulator/tool-caller model with X-Emulator-Chunks. The floor reads the same stream with HttpClient alone.
$script:EchoTool = @{ name = 'Echo'; description = 'Repeats the text.'; parameters = @{ type = 'object'; properties = @{ text = @{ type = 'string' } } } }
$script:ToolStreamBody = '{"model":"@emulator/tool-caller","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true},' +
    '"tools":[{"type":"function","function":{"name":"Echo","description":"Repeats the text.","parameters":{"type":"object","properties":{"text":{"type":"string"}}}}}]}'

function Invoke-RawToolStream([System.Net.Http.HttpClient] $Client, [int] $Count) {
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $request = New-RawRequest $script:ToolStreamBody @{ 'X-Emulator-Chunks' = $Count; Accept = 'text/event-stream' }
    $response = $Client.SendAsync($request, [System.Net.Http.HttpCompletionOption]::ResponseHeadersRead).GetAwaiter().GetResult()
    $lines = 0
    try {
        $reader = [System.IO.StreamReader]::new($response.Content.ReadAsStreamAsync().GetAwaiter().GetResult())
        while ($null -ne ($line = $reader.ReadLine())) { $lines++ }
        $reader.Dispose()
    }
    finally { $response.Dispose(); $request.Dispose() }
    [pscustomobject]@{ TotalMs = $watch.Elapsed.TotalMilliseconds; Lines = $lines }
}

function Invoke-ModuleToolStream([int] $Count) {
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $answer = Invoke-AIChat 'hi' -Provider cloudflare-workers-ai -BaseUrl $script:BaseTemplate -Model '@emulator/tool-caller' -Tool $script:EchoTool -Stream `
        -Header @{ 'X-Emulator-Chunks' = $Count } 6>$null
    $total = $watch.Elapsed.TotalMilliseconds
    # '{"text":"' and '"}' around the tokens.
    $expected = (Get-ExpectedLength $Count) + 11
    if ($answer.FinishReason -ne 'tool_calls' -or $answer.ToolCalls[0].ArgumentsJson.Length -ne $expected) {
        throw "The streamed tool call has $($answer.ToolCalls[0].ArgumentsJson.Length) characters of arguments, not $expected."
    }
    [pscustomobject]@{ TotalMs = $total }
}

function Measure-ToolStream {
    Import-Module $ModulePath
    $client = New-RawClient
    for ($i = 0; $i -lt $Warmup; $i++) {
        $null = Invoke-RawToolStream $client $Chunks
        $null = Invoke-ModuleToolStream $Chunks
    }
    $result = @{ Chunks = $Chunks; ModuleTotal = @(); RawTotal = @() }
    for ($round = 0; $round -lt $Rounds; $round++) {
        [System.GC]::Collect()
        $result.RawTotal += (Invoke-RawToolStream $client $Chunks).TotalMs
        [System.GC]::Collect()
        $result.ModuleTotal += (Invoke-ModuleToolStream $Chunks).TotalMs
    }
    Write-Result $result
}

# Where the kernel lets a process reset its peak (Linux: /proc/self/clear_refs), the peak is the stream's own; elsewhere it
# is the process's peak since it started, which the stream may not reach.
function Reset-PeakWorkingSet {
    try {
        [System.IO.File]::WriteAllText('/proc/self/clear_refs', '5')
        $true
    }
    catch { $false }
}

function Measure-StreamMemory {
    Import-Module $ModulePath
    $client = New-RawClient
    $process = [System.Diagnostics.Process]::GetCurrentProcess()
    # Warm the path on short streams so the peak is the stream's, not the JIT's.
    $warmSize = [Math]::Min($Chunks, 2000)
    for ($i = 0; $i -lt $Warmup; $i++) {
        if ($Kind -eq 'Module') { $null = Invoke-ModuleStream $warmSize -NoRecords } else { $null = Invoke-RawStream $client $warmSize }
    }
    [System.GC]::Collect(); [System.GC]::WaitForPendingFinalizers(); [System.GC]::Collect()
    $process.Refresh()
    $before = $process.WorkingSet64
    $reset = Reset-PeakWorkingSet
    $allocated = [System.GC]::GetTotalAllocatedBytes($true)
    if ($Kind -eq 'Module') { $null = Invoke-ModuleStream $Chunks -NoRecords } else { $null = Invoke-RawStream $client $Chunks }
    $allocated = [System.GC]::GetTotalAllocatedBytes($true) - $allocated
    $process.Refresh()
    Write-Result @{ Kind = $Kind; Chunks = $Chunks; WorkingSetBeforeMB = $before / 1MB; PeakMB = $process.PeakWorkingSet64 / 1MB
        PeakGrowthMB = ($process.PeakWorkingSet64 - $before) / 1MB; PeakIsTheStreams = $reset; AllocatedBytesPerChunk = $allocated / $Chunks }
}

function Measure-BombMemory {
    Import-Module $ModulePath
    $process = [System.Diagnostics.Process]::GetCurrentProcess()
    $bomb = @{ Provider = 'cloudflare-workers-ai'; BaseUrl = $script:BaseTemplate; MaxRetries = 0; ErrorAction = 'SilentlyContinue' }
    # Warm the same path on a 1 MB body (read whole, then refused as not JSON), so the peak measured is the body's, not
    # the JIT's, and the cap's buffer is not already part of the working set before.
    for ($i = 0; $i -lt [Math]::Max(1, $Warmup); $i++) {
        $null = Invoke-AIChat 'hi' @bomb -Header @{ 'X-Emulator-Scenario' = 'gzip-bomb; sizeMB=1' }
    }
    [System.GC]::Collect(); [System.GC]::WaitForPendingFinalizers(); [System.GC]::Collect()
    $process.Refresh()
    $before = $process.WorkingSet64
    $reset = Reset-PeakWorkingSet
    $errors = $null
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $null = Invoke-AIChat 'hi' @bomb -Header @{ 'X-Emulator-Scenario' = "gzip-bomb; sizeMB=$Chunks" } -ErrorVariable errors
    $elapsed = $watch.Elapsed.TotalMilliseconds
    $process.Refresh()
    $refused = @($errors).Count -eq 1 -and $errors[0].FullyQualifiedErrorId -like 'ChatResponseInvalid,*' -and $errors[0].Exception.Message -match 'larger than 32 MB'
    Write-Result @{ InflatesToMB = $Chunks; CapMB = 32; WorkingSetBeforeMB = $before / 1MB; PeakMB = $process.PeakWorkingSet64 / 1MB
        PeakGrowthMB = ($process.PeakWorkingSet64 - $before) / 1MB; PeakIsTheBodys = $reset; Refused = $refused; ElapsedMs = $elapsed }
}

function Invoke-RawBatch([System.Net.Http.HttpClient] $Client, [int] $Count, [int] $Limit, [int] $Latency) {
    # Keeps $Limit requests in flight from PowerShell and collects the answers in input order.
    $answers = [object[]]::new($Count)
    $inFlight = [System.Collections.Generic.List[object]]::new()
    $next = 0
    while ($next -lt $Count -or $inFlight.Count -gt 0) {
        while ($next -lt $Count -and $inFlight.Count -lt $Limit) {
            $body = '{"model":"@cf/meta/llama-3.3-70b-instruct-fp8-fast","messages":[{"role":"user","content":"prompt ' + $next + '"}]}'
            $request = New-RawRequest $body @{ 'X-Emulator-Latency-Ms' = $Latency }
            $inFlight.Add([pscustomobject]@{ Index = $next; Request = $request; Task = $Client.SendAsync($request) })
            $next++
        }
        $done = [System.Threading.Tasks.Task]::WaitAny([System.Threading.Tasks.Task[]]@($inFlight | ForEach-Object Task))
        $item = $inFlight[$done]
        $inFlight.RemoveAt($done)
        $response = $item.Task.GetAwaiter().GetResult()
        $answers[$item.Index] = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult()
        $response.Dispose(); $item.Request.Dispose()
    }
    $answers
}

function Measure-Batch {
    Import-Module $ModulePath
    $client = New-RawClient
    $promptList = @(0..($Prompts - 1) | ForEach-Object { "prompt $_" })
    $header = @{ 'X-Emulator-Latency-Ms' = $LatencyMs }
    # Warm both paths with one short batch each.
    $null = $promptList[0..([Math]::Min($ThrottleLimit, $Prompts) - 1)] | Invoke-AIChat -Provider cloudflare-workers-ai -BaseUrl $script:BaseTemplate -ThrottleLimit $ThrottleLimit -Header $header
    $null = Invoke-RawBatch $client ([Math]::Min($ThrottleLimit, $Prompts)) $ThrottleLimit $LatencyMs

    $result = @{ Prompts = $Prompts; LatencyMs = $LatencyMs; ThrottleLimit = $ThrottleLimit; Module = @(); Raw = @(); Lost = 0; OutOfOrder = 0; Failed = 0 }
    for ($round = 0; $round -lt $Rounds; $round++) {
        [System.GC]::Collect()
        $errors = $null
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $answers = @($promptList | Invoke-AIChat -Provider cloudflare-workers-ai -BaseUrl $script:BaseTemplate -ThrottleLimit $ThrottleLimit -Header $header -ErrorVariable errors -ErrorAction SilentlyContinue)
        $result.Module += $watch.Elapsed.TotalMilliseconds
        $result.Failed += @($errors).Count
        $result.Lost += $Prompts - $answers.Count
        $ids = @{}
        for ($i = 0; $i -lt $answers.Count; $i++) {
            # Each answer carries the history it answered: its last user message must be the prompt in that position.
            if ($answers[$i].Messages[-2].Content -ne $promptList[$i] -or $ids.ContainsKey($answers[$i].Id)) { $result.OutOfOrder++ }
            $ids[$answers[$i].Id] = $true
        }

        [System.GC]::Collect()
        $watch.Restart()
        $rawAnswers = Invoke-RawBatch $client $Prompts $ThrottleLimit $LatencyMs
        $result.Raw += $watch.Elapsed.TotalMilliseconds
        if (@($rawAnswers | Where-Object { $_ -match 'Hello from the CloudflareAI emulator' }).Count -ne $Prompts) { throw 'The raw batch lost answers.' }
    }
    Write-Result $result
}

# One batch through Invoke-AIChat with the given emulator headers; what came out, and the emulator's gauge of the run.
function Invoke-GaugedBatch([string[]] $PromptList, [hashtable] $Header, [hashtable] $Extra = @{}) {
    $run = [guid]::NewGuid().ToString('n')
    $headers = $Header.Clone()
    $headers['X-Emulator-Run'] = $run
    $errors = $null
    [System.GC]::Collect()
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $answers = @($PromptList | Invoke-AIChat -Provider cloudflare-workers-ai -BaseUrl $script:BaseTemplate -ThrottleLimit $ThrottleLimit -Header $headers @Extra -ErrorVariable errors -ErrorAction SilentlyContinue)
    $elapsed = $watch.Elapsed.TotalMilliseconds
    $rest = @{ Uri = "$Uri/_emulator/status?run=$run" }
    if ((Get-Command Invoke-RestMethod).Parameters.ContainsKey('NoProxy')) { $rest.NoProxy = $true }
    $gauge = (Invoke-RestMethod @rest).run
    # The answers must be the prompts' in input order (failed ones left out), each once.
    $outOfOrder = 0
    $last = -1
    foreach ($answer in $answers) {
        $index = [array]::IndexOf($PromptList, $answer.Messages[-2].Content)
        if ($index -le $last) { $outOfOrder++ }
        $last = $index
    }
    @{
        ElapsedMs                   = $elapsed
        Failed                      = @($errors).Count
        Lost                        = $PromptList.Count - $answers.Count - @($errors).Count
        OutOfOrder                  = $outOfOrder
        Requests                    = [int]$gauge.requests
        Refused                     = [int]$gauge.refused
        Faulted                     = [int]$gauge.faulted
        PeakInFlight                = [int]$gauge.peakInFlight
        AverageInFlightWhileSending = [double]$gauge.averageInFlightWhileSending
        AverageInFlight             = [double]$gauge.averageInFlight
        AverageInFlightWhilePromptsRemain = [double]$gauge.averageInFlightWhilePromptsRemain
        PromptSendingSeconds        = [double]$gauge.promptSendingSeconds
        SendingSeconds              = [double]$gauge.sendingSeconds
        RequestsPerSecond           = $PromptList.Count / ($elapsed / 1000)
    }
}

function Measure-BatchFaults {
    Import-Module $ModulePath
    $promptList = @(0..($Prompts - 1) | ForEach-Object { "prompt $_" })
    $latency = @{ 'X-Emulator-Latency-Ms' = "$LatencyMs" }
    $null = Invoke-GaugedBatch $promptList[0..([Math]::Min($ThrottleLimit, $Prompts) - 1)] $latency
    $result = @{ Prompts = $Prompts; LatencyMs = $LatencyMs; ThrottleLimit = $ThrottleLimit; FaultRate = $FaultRate; Faults = @(); Clean = @() }
    for ($round = 0; $round -lt $Rounds; $round++) {
        $result.Faults += Invoke-GaugedBatch $promptList ($latency + @{ 'X-Emulator-Fault-Rate' = $FaultRate })
        $result.Clean += Invoke-GaugedBatch $promptList $latency
    }
    Write-Result $result
}

function Measure-BatchPerMinute {
    Import-Module $ModulePath
    $promptList = @(0..($Prompts - 1) | ForEach-Object { "prompt $_" })
    $latency = @{ 'X-Emulator-Latency-Ms' = "$LatencyMs" }
    $null = Invoke-GaugedBatch $promptList[0..([Math]::Min($ThrottleLimit, $Prompts) - 1)] $latency
    $result = @{ Prompts = $Prompts; LatencyMs = $LatencyMs; ThrottleLimit = $ThrottleLimit; RateLimit = $RateLimit; RequestsPerMinute = $RequestsPerMinute
        Adaptive = @(); Paced = @() }
    $limited = $latency + @{ 'X-Emulator-Rate-Limit' = $RateLimit }
    for ($round = 0; $round -lt $Rounds; $round++) {
        # Each run is its own emulator window (keyed by run id), so the second does not start where the first left off.
        $result.Adaptive += Invoke-GaugedBatch $promptList $limited
        $result.Paced += Invoke-GaugedBatch $promptList $limited @{ RequestsPerMinute = $RequestsPerMinute }
    }
    Write-Result $result
}

function Measure-Catalog {
    Import-Module $ModulePath
    $client = New-RawClient
    $base = $script:BaseTemplate
    $authorization = 'Bearer ' + $script:Token
    # 100 a page as Cloudflare serves them: 500 models are 5 pages.
    $headers = @{ 'X-Emulator-Catalog-Size' = "$Models"; 'X-Emulator-Max-Per-Page' = '100' }
    $pages = [int][Math]::Ceiling($Models / 100)
    $searchUrl = "$Uri/client/v4/accounts/$($script:Account)/ai/models/search?task=Text%20Generation&per_page=100&page="
    $loops = [ordered]@{
        Module = { @(Get-AIModel -Provider cloudflare-workers-ai -BaseUrl $base -Header $headers -Refresh).Count }
        # The floor: the same pages with one reused HttpClient, each parsed once with System.Text.Json.
        Raw    = {
            $count = 0
            for ($page = 1; $page -le $pages; $page++) {
                $request = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::Get, $searchUrl + $page)
                $null = $request.Headers.TryAddWithoutValidation('Authorization', $authorization)
                foreach ($k in $headers.Keys) { $null = $request.Headers.TryAddWithoutValidation($k, $headers[$k]) }
                $response = $client.SendAsync($request).GetAwaiter().GetResult()
                $text = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult()
                $document = [System.Text.Json.JsonDocument]::Parse($text)
                $count += $document.RootElement.GetProperty('result').GetArrayLength()
                $document.Dispose(); $response.Dispose(); $request.Dispose()
            }
            $count
        }
    }
    foreach ($name in $loops.Keys) {
        $n = & $loops[$name]
        if ($n -ne $Models) { throw "$name read $n models, not $Models." }
    }
    for ($i = 1; $i -lt $Warmup; $i++) { foreach ($name in $loops.Keys) { $null = & $loops[$name] } }
    $times = @{ Module = [System.Collections.Generic.List[double]]::new(); Raw = [System.Collections.Generic.List[double]]::new() }
    $names = @($loops.Keys)
    for ($round = 0; $round -lt $Rounds; $round++) {
        for ($k = 0; $k -lt $names.Count; $k++) {
            $name = $names[($round + $k) % $names.Count]
            $script:Watch.Restart()
            $null = & $loops[$name]
            $times[$name].Add($script:Watch.Elapsed.TotalMilliseconds)
        }
    }
    Write-Result @{ Module = $times.Module.ToArray(); Raw = $times.Raw.ToArray(); Models = $Models; Pages = $pages }
}

function Measure-Embeddings {
    Import-Module $ModulePath
    $client = New-RawClient
    $texts = @(0..($Prompts - 1) | ForEach-Object { "text number $_ of the embeddings benchmark" })
    $header = @{ 'X-Emulator-Latency-Ms' = $LatencyMs }
    $embeddingsUrl = $script:ChatUrl -replace '/chat/completions$', '/embeddings'
    # The bodies Invoke-AIEmbedding sends, for the floor.
    $bodies = for ($start = 0; $start -lt $Prompts; $start += $BatchSize) {
        $slice = $texts[$start..([Math]::Min($start + $BatchSize, $Prompts) - 1)]
        @{ model = '@cf/baai/bge-m3'; input = @($slice) } | ConvertTo-Json -Compress
    }
    $bodies = @($bodies)
    function Invoke-RawEmbeddings {
        $answers = [object[]]::new($bodies.Count)
        $inFlight = [System.Collections.Generic.List[object]]::new()
        $next = 0
        while ($next -lt $bodies.Count -or $inFlight.Count -gt 0) {
            while ($next -lt $bodies.Count -and $inFlight.Count -lt $ThrottleLimit) {
                $request = New-RawRequest $bodies[$next] $header
                $request.RequestUri = $embeddingsUrl
                $inFlight.Add([pscustomobject]@{ Index = $next; Request = $request; Task = $client.SendAsync($request) })
                $next++
            }
            $done = [System.Threading.Tasks.Task]::WaitAny([System.Threading.Tasks.Task[]]@($inFlight | ForEach-Object Task))
            $item = $inFlight[$done]
            $inFlight.RemoveAt($done)
            $response = $item.Task.GetAwaiter().GetResult()
            $answers[$item.Index] = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult()
            $response.Dispose(); $item.Request.Dispose()
        }
        $answers
    }
    # Warm both paths with one request each.
    $null = $texts[0..([Math]::Min($BatchSize, $Prompts) - 1)] | Invoke-AIEmbedding -Provider cloudflare-workers-ai -BaseUrl $script:BaseTemplate -BatchSize $BatchSize -Header $header
    $null = Invoke-RawEmbeddings

    $result = @{ Texts = $Prompts; BatchSize = $BatchSize; LatencyMs = $LatencyMs; ThrottleLimit = $ThrottleLimit; Module = @(); Raw = @(); Lost = 0; OutOfOrder = 0; Failed = 0; Dimensions = 0 }
    for ($round = 0; $round -lt $Rounds; $round++) {
        [System.GC]::Collect()
        $errors = $null
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $vectors = @($texts | Invoke-AIEmbedding -Provider cloudflare-workers-ai -BaseUrl $script:BaseTemplate -BatchSize $BatchSize -ThrottleLimit $ThrottleLimit -Header $header -ErrorVariable errors -ErrorAction SilentlyContinue)
        $result.Module += $watch.Elapsed.TotalMilliseconds
        $result.Failed += @($errors).Count
        $result.Lost += $Prompts - $vectors.Count
        for ($i = 0; $i -lt $vectors.Count; $i++) {
            if ($vectors[$i].Text -ne $texts[$i] -or $vectors[$i].Index -ne $i) { $result.OutOfOrder++ }
        }
        if ($vectors.Count) { $result.Dimensions = $vectors[0].Dimensions }

        [System.GC]::Collect()
        $watch.Restart()
        $rawAnswers = Invoke-RawEmbeddings
        $result.Raw += $watch.Elapsed.TotalMilliseconds
        if (@($rawAnswers | Where-Object { $_ -match '"object":"list"' }).Count -ne $bodies.Count) { throw 'The raw embeddings lost answers.' }
    }
    Write-Result $result
}

switch ($Scenario) {
    'Embeddings' { Measure-Embeddings }
    'Catalog' { Measure-Catalog }
    'CallOverhead' { Measure-CallOverhead }
    'FirstCall' { Measure-FirstCall }
    'Stream' { Measure-Stream }
    'ToolStream' { Measure-ToolStream }
    'StreamMemory' { Measure-StreamMemory }
    'Batch' { Measure-Batch }
    'BombMemory' { Measure-BombMemory }
    'BatchFaults' { Measure-BatchFaults }
    'BatchPerMinute' { Measure-BatchPerMinute }
}
