<#
.SYNOPSIS
    Summarises a batch of texts or files, several at a time, and writes one result object per item, failed items
    included.

.DESCRIPTION
    A runbook: each item (a string, an object with a Text property, or a file) is sent as one prompt through
    Invoke-AIChat -ThrottleLimit, so up to -ThrottleLimit requests are in flight at once, and one result object per
    item comes out in input order: Status 'Succeeded' with the Summary, or Status 'Failed' with the ErrorId, the
    message, whether a later run may succeed (Retryable) and the module's RecommendedAction.

    One failed item does not stop the batch. Items that cannot be sent (an empty text, a text over -MaxCharacters, a
    file that cannot be read) fail before any request; a failed request (after the module's own retries of 429, 5xx
    and connection failures) fails only its item. After the last result, when any item failed, the script writes one
    non-terminating error (BatchItemsFailed) naming the failed items: run it with -ErrorAction Stop to make that fail
    the job, or inspect the Status of the results.

    Setup problems (a variable missing or unfit, an unknown alias, a bad -BaseUrl template, no model) stop the script
    before any request, with the module's error and its fix; catch them by FullyQualifiedErrorId, for example
    'ProviderEnvironmentVariableMissing,*'.

    With the default alias, set CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN. No token is printed.

.PARAMETER Path
    Files to summarise, one item each; wildcards are permitted, and a folder stands for the files in it. The item's Id
    is the file name. A path that does not exist fails as an item (PathNotFound).

.PARAMETER InputObject
    The items, from the pipeline or as an array: strings (Id item-1, item-2, ...), objects with a Text property and
    an optional Id property (Import-Csv rows, for example), or files from Get-ChildItem.

.PARAMETER Provider
    The provider alias. Default cloudflare-workers-ai; cloudflare-ai-gateway and the other aliases work the same way.

.PARAMETER Model
    The model. Without it, the alias's default model is used (only the two Cloudflare aliases have one).

.PARAMETER Instructions
    The system message that tells the model what kind of summary to write.

.PARAMETER ThrottleLimit
    How many requests may be in flight at once. Default 4. Workers AI allows about 300 text-generation requests a
    minute; a 429 is retried, but a lower limit wastes fewer attempts.

.PARAMETER RequestsPerMinute
    Paces the requests to the model's per-minute limit, retries included (Invoke-AIChat -RequestsPerMinute): 20 for
    Cloudflare's frontier models such as kimi-k2.6, 300 for most Workers AI text models. Not set by default: then a
    429 halves the batch's concurrency and each success adds one back.

.PARAMETER MaxTokens
    The most tokens each summary may have. Default 256. A summary cut by the limit has Truncated = $true.

.PARAMETER MaxCharacters
    Items longer than this fail without being sent (ItemTooLong), because they would not fit the model's context.
    Default 24000 characters, about 6000 tokens.

.PARAMETER MaxRetries
    How many times the module retries a transient failure of one request. Default 3.

.PARAMETER TimeoutSec
    How long one attempt may take, in seconds. Default 120.

.PARAMETER Header
    Extra HTTP headers for every request, as a hashtable; values are templates. For example the AI Gateway's
    @{ 'cf-aig-metadata' = '{"job":"nightly"}' } or, on Workers AI, @{ 'cf-aig-gateway-id' = '${CLOUDFLARE_GATEWAY_ID}' }.

.PARAMETER BaseUrl
    A base URL template to use instead of the alias's own, in single quotes, for example the loopback emulator in
    tests/CloudflareAI.TestServer: 'http://127.0.0.1:5000/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1'.

.EXAMPLE
    ./examples/summarize-batch.ps1 -Path ./incidents/*.md -ThrottleLimit 4 |
        Format-Table Id, Status, Summary -Wrap

    One summary per incident file, four requests at a time.

.EXAMPLE
    $texts = @{}
    Import-Csv ./tickets.csv | ForEach-Object { $texts[$_.Id] = $_.Body }
    $first = $texts.GetEnumerator() | ForEach-Object { [pscustomobject]@{ Id = $_.Key; Text = $_.Value } } |
        ./examples/summarize-batch.ps1 -ErrorAction SilentlyContinue
    $retry = $first | Where-Object { $_.Status -eq 'Failed' -and $_.Retryable } |
        ForEach-Object { [pscustomobject]@{ Id = $_.Id; Text = $texts[$_.Id] } }
    if ($retry) { $second = $retry | ./examples/summarize-batch.ps1 -ThrottleLimit 1 }

    Runs the batch, then retries once, one at a time, only the items that failed on a transient error.

.EXAMPLE
    try {
        Get-ChildItem ./logs -Filter *.log | ./examples/summarize-batch.ps1 -ErrorAction Stop
    }
    catch {
        switch -Wildcard ($_.FullyQualifiedErrorId) {
            'ProviderEnvironmentVariableMissing,*' { Write-Warning $_.ErrorDetails.RecommendedAction; throw }
            'BatchItemsFailed,*' { Write-Warning $_.Exception.Message; exit 2 }
            default { throw }
        }
    }

    In a scheduled task: a missing variable and failed items end the job differently.

.OUTPUTS
    PSCustomObject (CloudflareAI.Example.BatchSummary): Id, Status, Summary, Truncated, ErrorId, Error, Retryable,
    RecommendedAction, Attempts, TotalTokens.
#>

#Requires -Modules CloudflareAI
[CmdletBinding(DefaultParameterSetName = 'InputObject')]
[OutputType('CloudflareAI.Example.BatchSummary')]
param(
    [Parameter(Mandatory, Position = 0, ParameterSetName = 'Path')]
    [SupportsWildcards()]
    [ValidateNotNullOrEmpty()]
    [string[]] $Path,

    [Parameter(Mandatory, ValueFromPipeline, ParameterSetName = 'InputObject')]
    [AllowEmptyString()]
    [AllowNull()]
    [object[]] $InputObject,

    [ValidateNotNullOrEmpty()]
    [string] $Provider = 'cloudflare-workers-ai',

    [ValidateNotNullOrEmpty()]
    [string] $Model,

    [ValidateNotNullOrEmpty()]
    [string] $Instructions = 'Summarise the text in at most three sentences for a busy engineer. Reply with the summary only.',

    [ValidateRange(1, 64)]
    [int] $ThrottleLimit = 4,

    [ValidateRange(1, 1000000)]
    [int] $RequestsPerMinute,

    [ValidateRange(1, 131072)]
    [int] $MaxTokens = 256,

    [ValidateRange(1, 10000000)]
    [int] $MaxCharacters = 24000,

    [ValidateRange(0, 10)]
    [int] $MaxRetries = 3,

    [ValidateRange(1, 86400)]
    [int] $TimeoutSec = 120,

    [hashtable] $Header,

    [ValidateNotNullOrEmpty()]
    [string] $BaseUrl
)

begin {
    Set-StrictMode -Version 3.0

    $items = [System.Collections.Generic.List[object]]::new()

    function New-BatchItem([string] $Id, [string] $Text) {
        [pscustomobject]@{ Id = $Id; Text = $Text; Result = $null }
    }

    function New-Result {
        param($Item, [string] $Status, [string] $Summary, [bool] $Truncated, [string] $ErrorId, [string] $Message,
            [bool] $Retryable, [string] $RecommendedAction, [int] $Attempts, $TotalTokens)
        [pscustomobject]@{
            PSTypeName        = 'CloudflareAI.Example.BatchSummary'
            Id                = $Item.Id
            Status            = $Status
            Summary           = $Summary
            Truncated         = $Truncated
            ErrorId           = $ErrorId
            Error             = $Message
            Retryable         = $Retryable
            RecommendedAction = $RecommendedAction
            Attempts          = $Attempts
            TotalTokens       = $TotalTokens
        }
    }

    # A failure of this item alone, from an ErrorRecord: the ErrorId is the part of FullyQualifiedErrorId before the comma.
    function Set-ItemFailure($Item, [System.Management.Automation.ErrorRecord] $Record) {
        $errorId = ($Record.FullyQualifiedErrorId -split ',')[0]
        $fix = if ($Record.ErrorDetails) { $Record.ErrorDetails.RecommendedAction } else { $null }
        # Transient failures that outlasted the retries: a later run may well succeed.
        $retryable = $errorId -in 'ChatRateLimited', 'ChatServerError', 'ChatConnectionFailed', 'ChatTimeout'
        $Item.Result = New-Result -Item $Item -Status 'Failed' -ErrorId $errorId -Message $Record.Exception.Message `
            -Retryable $retryable -RecommendedAction $fix
    }

    function Set-ItemRefused($Item, [string] $ErrorId, [string] $Message, [string] $Fix) {
        $Item.Result = New-Result -Item $Item -Status 'Failed' -ErrorId $ErrorId -Message $Message -RecommendedAction $Fix
    }

    function Add-File([System.IO.FileInfo] $File) {
        $item = New-BatchItem -Id $File.Name -Text $null
        try {
            $item.Text = Get-Content -LiteralPath $File.FullName -Raw -ErrorAction Stop
        }
        catch {
            Set-ItemFailure -Item $item -Record $_
        }
        $items.Add($item)
    }
}

process {
    if ($PSCmdlet.ParameterSetName -ne 'InputObject') { return }
    foreach ($object in $InputObject) {
        if ($object -is [System.IO.FileInfo]) { Add-File $object; continue }
        $id = 'item-' + ($items.Count + 1)
        if ($null -eq $object -or $object -is [string]) {
            $items.Add((New-BatchItem -Id $id -Text $object))
            continue
        }
        $properties = $object.PSObject.Properties
        if (-not $properties['Text']) {
            $item = New-BatchItem -Id $id -Text $null
            Set-ItemRefused $item 'ItemHasNoText' 'The item is neither a string nor an object with a Text property.' `
                'Pass strings, objects with Text (and optionally Id) properties, or files.'
            $items.Add($item)
            continue
        }
        if ($properties['Id'] -and "$($object.Id)") { $id = [string]$object.Id }
        $items.Add((New-BatchItem -Id $id -Text ([string]$object.Text)))
    }
}

end {
    if ($PSCmdlet.ParameterSetName -eq 'Path') {
        foreach ($pattern in $Path) {
            try {
                $files = @(Get-ChildItem -Path $pattern -File -ErrorAction Stop)
            }
            catch {
                # A path that does not exist fails as an item: the rest of the batch still runs.
                $item = New-BatchItem -Id $pattern -Text $null
                Set-ItemFailure -Item $item -Record $_
                $items.Add($item)
                continue
            }
            if ($files.Count -eq 0) { Write-Warning "No file matches '$pattern'." }
            foreach ($file in $files) { Add-File $file }
        }
    }

    foreach ($item in $items) {
        if ($item.Result) { continue }
        if ([string]::IsNullOrWhiteSpace($item.Text)) {
            Set-ItemRefused $item 'ItemEmpty' 'The item has no text to summarise.' 'Remove the item or give it text.'
        }
        elseif ($item.Text.Length -gt $MaxCharacters) {
            Set-ItemRefused $item 'ItemTooLong' "The item has $($item.Text.Length) characters, more than -MaxCharacters ($MaxCharacters)." `
                'Split the item, or raise -MaxCharacters with a model whose context window fits it.'
        }
    }

    $toSend = @($items | Where-Object { -not $_.Result })
    Write-Verbose "$($items.Count) item(s); sending $($toSend.Count) with -ThrottleLimit $ThrottleLimit."

    if ($toSend.Count -gt 0) {
        $chat = @{
            Provider      = $Provider
            SystemPrompt  = $Instructions
            MaxTokens     = $MaxTokens
            MaxRetries    = $MaxRetries
            TimeoutSec    = $TimeoutSec
            ThrottleLimit = $ThrottleLimit
        }
        if ($Model) { $chat.Model = $Model }
        if ($RequestsPerMinute) { $chat.RequestsPerMinute = $RequestsPerMinute }
        if ($Header) { $chat.Header = $Header }
        if ($BaseUrl) { $chat.BaseUrl = $BaseUrl }

        $responses = @()
        $requestErrors = $null
        try {
            # Per-request failures are non-terminating: collect them and go on. Setup errors still throw.
            $responses = @($toSend.Text | Invoke-AIChat @chat -ErrorAction SilentlyContinue -ErrorVariable requestErrors)
        }
        catch {
            if ($_.FullyQualifiedErrorId -like '*,CloudflareAI.Commands.InvokeAIChatCommand') {
                # Nothing was sent: a variable, the alias, the template or the model needs fixing first.
                $PSCmdlet.ThrowTerminatingError($_)
            }
            throw
        }

        # Each answer and each error carries its prompt; identical prompts are matched in input order.
        $waiting = [System.Collections.Generic.Dictionary[string, object]]::new([System.StringComparer]::Ordinal)
        foreach ($item in $toSend) {
            if (-not $waiting.ContainsKey($item.Text)) { $waiting[$item.Text] = [System.Collections.Generic.Queue[object]]::new() }
            $waiting[$item.Text].Enqueue($item)
        }
        foreach ($response in $responses) {
            $messages = @($response.Messages)
            $prompt = $messages[$messages.Count - 2].Content
            $item = $waiting[$prompt].Dequeue()
            $tokens = if ($response.Usage) { $response.Usage.TotalTokens } else { $null }
            $item.Result = New-Result -Item $item -Status 'Succeeded' -Summary $response.Content `
                -Truncated ($response.FinishReason -eq 'length') -Attempts $response.Attempts -TotalTokens $tokens
        }
        foreach ($record in @($requestErrors)) {
            $prompt = [string]$record.TargetObject
            if ($record.FullyQualifiedErrorId -notlike '*,CloudflareAI.Commands.InvokeAIChatCommand' -or
                -not $waiting.ContainsKey($prompt) -or $waiting[$prompt].Count -eq 0) {
                # Not about one item (should not happen): let the caller see it as it is.
                $PSCmdlet.WriteError($record)
                continue
            }
            Set-ItemFailure -Item $waiting[$prompt].Dequeue() -Record $record
        }
        foreach ($item in $toSend) {
            if (-not $item.Result) { Set-ItemRefused $item 'NoAnswer' 'The request ended without an answer or an error.' 'Run the item again.' }
        }
    }

    foreach ($item in $items) { $item.Result }

    $failed = @($items | Where-Object { $_.Result.Status -eq 'Failed' })
    Write-Verbose "$($items.Count - $failed.Count) item(s) succeeded, $($failed.Count) failed."
    if ($failed.Count -gt 0) {
        $names = ($failed | Select-Object -First 10 | ForEach-Object { "$($_.Id) ($($_.Result.ErrorId))" }) -join ', '
        if ($failed.Count -gt 10) { $names += ', ...' }
        $message = "$($failed.Count) of $($items.Count) item(s) failed: $names."
        $record = [System.Management.Automation.ErrorRecord]::new(
            [System.InvalidOperationException]::new($message), 'BatchItemsFailed', 'InvalidResult', @($failed.Id))
        $record.ErrorDetails = [System.Management.Automation.ErrorDetails]::new($message)
        $record.ErrorDetails.RecommendedAction = 'See the Error and RecommendedAction of each failed result; run the items with Retryable = $true again later.'
        $PSCmdlet.WriteError($record)
    }
}
