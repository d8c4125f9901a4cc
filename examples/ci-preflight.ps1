<#
.SYNOPSIS
    Fails a CI job early, with a message naming every variable to set, when the environment for CloudflareAI is not
    ready.

.DESCRIPTION
    Checks each provider alias named by -Provider with Test-AIProviderEnvironment, which reads the environment and
    makes no network call, and writes one result object per alias. When an alias is not ready, the script prints each
    problem (each one names the variable and how to set it), ends with one error that lists the variables to set, and
    exits with code 1, so the job stops before any request is made.

    Under GitHub Actions (GITHUB_ACTIONS=true) every problem is also written as an ::error:: annotation, and under Azure
    Pipelines (TF_BUILD=True) as a ##vso[task.logissue] line. Warnings, such as an account ID that looks like a
    placeholder, are shown but do not fail the job.

    Only the host can tell whether a token is accepted. With -Online the script also runs the network checks of
    Test-AIProviderEnvironment -Online: for the Cloudflare aliases the token (user or account-owned), the account's
    Workers AI catalog, the gateway and the default model; for other aliases GET {base}/models. A failed check fails the
    job with its fix; a warning (a gateway the token may not read, a host without a model list) is shown but does not.
    These are read-only GET requests and cost nothing. With -Probe the script also sends one chat request of at most one
    token per alias and fails the job when it is refused, naming the ErrorId and the fix.

    The value of a variable is never printed: the module's problems name variables, never their values.

.PARAMETER Provider
    The provider aliases the job needs, such as cloudflare-workers-ai or cloudflare-ai-gateway. Wildcards are
    permitted; a name or pattern that matches no alias fails the job.

.PARAMETER Online
    Also asks each alias's host, with read-only requests, whether it accepts the token (Test-AIProviderEnvironment
    -Online). Needs no model and sends no prompt.

.PARAMETER TimeoutSec
    How long each request of -Online may take, in seconds. Default 10.

.PARAMETER Probe
    Also sends one short request per alias (a one-token answer) to prove that the token and the account are
    accepted. It costs one tiny request per alias.

.PARAMETER Model
    The model for the probe. Without it, the alias's default model is used; aliases other than the two Cloudflare ones
    have none, so give -Model when probing them.

.PARAMETER BaseUrl
    A base URL template for -Online and -Probe instead of the alias's own, in single quotes, for example a proxy or the
    loopback emulator in tests/CloudflareAI.TestServer:
    'http://127.0.0.1:5000/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1'. Only with one -Provider.

.PARAMETER MaxRetries
    How many times the probe retries a transient failure (HTTP 429, 5xx, a connection failure). Default 3.

.EXAMPLE
    ./examples/ci-preflight.ps1 -Provider cloudflare-workers-ai

    Exits with code 0 when CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN are set and usable, and with code 1 and
    a message such as "Set these variables for the job (tokens as secrets): CLOUDFLARE_API_TOKEN." otherwise.

.EXAMPLE
    # A GitHub Actions step; the secrets are mapped into the environment of the step.
    - name: Check the Cloudflare environment
      shell: pwsh
      env:
        CLOUDFLARE_ACCOUNT_ID: ${{ vars.CLOUDFLARE_ACCOUNT_ID }}
        CLOUDFLARE_API_TOKEN: ${{ secrets.CLOUDFLARE_API_TOKEN }}
      run: ./examples/ci-preflight.ps1 -Provider cloudflare-workers-ai -Online

    Fails the step when the token is revoked, lacks Workers AI Read, or the default model was retired, before any
    chat request is made.

.EXAMPLE
    $results = ./examples/ci-preflight.ps1 -Provider cloudflare-*
    $results | Where-Object { -not $_.IsReady } | Select-Object Name, MissingVariables

    Both Cloudflare aliases, keeping the result objects for later steps of a script.

.OUTPUTS
    PSCustomObject (CloudflareAI.Example.PreflightResult): Name, IsReady, Probe (NotRun, Passed or Failed), Online
    (NotRun, Passed or Failed), MissingVariables, InvalidVariables, Problems and Checks (the EnvironmentCheck objects
    of -Online).
#>

#Requires -Modules CloudflareAI
[CmdletBinding()]
[OutputType('CloudflareAI.Example.PreflightResult')]
param(
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty()]
    [SupportsWildcards()]
    [string[]] $Provider = @('cloudflare-workers-ai'),

    [switch] $Online,

    [ValidateRange(1, 3600)]
    [int] $TimeoutSec = 10,

    [switch] $Probe,

    [ValidateNotNullOrEmpty()]
    [string] $Model,

    [ValidateNotNullOrEmpty()]
    [string] $BaseUrl,

    [ValidateRange(0, 10)]
    [int] $MaxRetries = 3
)

Set-StrictMode -Version 3.0

if ($BaseUrl -and $Provider.Count -ne 1) {
    throw '-BaseUrl replaces the base URL of one alias; give exactly one -Provider with it.'
}

$failures = [System.Collections.Generic.List[string]]::new()
$warnings = [System.Collections.Generic.List[string]]::new()
$toSet = [System.Collections.Generic.SortedSet[string]]::new([System.StringComparer]::Ordinal)

# Unknown names are non-terminating errors of Test-AIProviderEnvironment: collect them as failures of this check.
$lookupErrors = $null
$test = @{ Name = $Provider; ErrorAction = 'SilentlyContinue'; ErrorVariable = 'lookupErrors' }
if ($Online) {
    $test.Online = $true
    $test.TimeoutSec = $TimeoutSec
    if ($BaseUrl) { $test.BaseUrl = $BaseUrl }
}
$checks = @(Test-AIProviderEnvironment @test)
foreach ($lookupError in @($lookupErrors)) {
    if ($lookupError.FullyQualifiedErrorId -like 'ProviderAliasNotFound,*') { $failures.Add($lookupError.ToString()) }
    else { throw $lookupError }
}
foreach ($name in $Provider) {
    if ([WildcardPattern]::ContainsWildcardCharacters($name) -and -not ($checks | Where-Object { $_.Name -like $name })) {
        $failures.Add("No provider alias matches '$name'. Get-AIProviderAlias lists the names.")
    }
}

foreach ($check in $checks) {
    $probeResult = 'NotRun'
    $onlineResult = 'NotRun'
    foreach ($problem in $check.Problems) {
        if ($problem -like 'Warning:*') { $warnings.Add("$($check.Name): $($problem -replace '^Warning:\s*')") }
        else { $failures.Add("$($check.Name): $problem") }
    }
    # The network checks run only when the environment itself is ready.
    if ($Online -and @($check.Checks).Count -gt 0) {
        $onlineResult = if (@($check.Checks | Where-Object { -not $_.Passed }).Count -gt 0) { 'Failed' } else { 'Passed' }
        foreach ($networkCheck in $check.Checks) {
            $line = "$($check.Name): $($networkCheck.Name): $($networkCheck.Message)"
            if (-not $networkCheck.Passed) { $failures.Add($line) }
            elseif ("$($networkCheck.Level)" -eq 'Warning') { $warnings.Add($line) }
        }
    }
    foreach ($variable in @($check.MissingVariables) + @($check.InvalidVariables)) {
        if ($variable) { $null = $toSet.Add($variable) }
    }

    if ($Probe -and $check.IsReady) {
        $chat = @{
            Provider      = $check.Name
            Prompt        = 'Reply with the single word OK.'
            MaxTokens     = 1
            MaxRetries    = $MaxRetries
            ErrorAction   = 'Stop'
            # A one-token answer is cut on purpose; its length warning says nothing about the environment.
            WarningAction = 'SilentlyContinue'
        }
        if ($Model) { $chat.Model = $Model }
        if ($BaseUrl) { $chat.BaseUrl = $BaseUrl }
        try {
            $null = Invoke-AIChat @chat
            $probeResult = 'Passed'
        }
        catch {
            # Inside switch, $_ is the value being switched on: keep the ErrorRecord in its own variable.
            $failed = $_
            $probeResult = 'Failed'
            $errorId = ($failed.FullyQualifiedErrorId -split ',')[0]
            $text = $failed.Exception.Message
            $fix = if ($failed.ErrorDetails -and $failed.ErrorDetails.RecommendedAction) { ' ' + $failed.ErrorDetails.RecommendedAction } else { '' }
            switch -Wildcard ($failed.FullyQualifiedErrorId) {
                'ChatAuthenticationFailed,*' {
                    # The variable is set but its value was refused: say which one to check, not to set it.
                    $tokenVariable = if ($check.Name -eq 'cloudflare-ai-gateway') { 'CLOUDFLARE_AI_GATEWAY_TOKEN or CLOUDFLARE_API_TOKEN' }
                    else { (Get-AIProviderAlias -Name $check.Name).TokenVariable }
                    $failures.Add("$($check.Name): the token was refused ($errorId): $text Check the value of $tokenVariable.$fix")
                }
                'ModelNotSpecified,*' { $failures.Add("$($check.Name): the alias has no default model; give -Model to probe it ($errorId).") }
                'UrlTemplateInvalid,*' { $failures.Add("$($check.Name): -BaseUrl is not a valid template ($errorId): $text") }
                'Chat*' { $failures.Add("$($check.Name): the probe request failed ($errorId): $text$fix") }
                'Provider*' { $failures.Add("$($check.Name): $text$fix") }
                'InsecureEndpoint,*' { $failures.Add("$($check.Name): $text$fix") }
                default { throw $failed }
            }
        }
    }

    [pscustomobject]@{
        PSTypeName       = 'CloudflareAI.Example.PreflightResult'
        Name             = $check.Name
        IsReady          = $check.IsReady -and $probeResult -ne 'Failed'
        Probe            = $probeResult
        Online           = $onlineResult
        MissingVariables = $check.MissingVariables
        InvalidVariables = $check.InvalidVariables
        Problems         = $check.Problems
        Checks           = $check.Checks
    }
}

# Annotations make each line show on the run's summary page; outside a known CI the plain text is enough.
function Write-CILine([string] $Level, [string] $Text) {
    if ($env:GITHUB_ACTIONS -eq 'true') {
        # Workflow commands end at a line break; escape as the runner expects.
        $escaped = $Text.Replace('%', '%25').Replace("`r", '%0D').Replace("`n", '%0A')
        Write-Host "::$Level title=CloudflareAI preflight::$escaped"
    }
    elseif ($env:TF_BUILD -eq 'True') {
        Write-Host "##vso[task.logissue type=$Level]$Text"
    }
    else {
        Write-Host "$($Level.ToUpperInvariant()): $Text"
    }
}

foreach ($warning in $warnings) { Write-CILine 'warning' $warning }
foreach ($failure in $failures) { Write-CILine 'error' $failure }

if ($failures.Count -gt 0) {
    $message = "CloudflareAI preflight failed for $($Provider -join ', ')."
    if ($toSet.Count -gt 0) { $message += " Set these variables for the job (tokens as secrets): $([string]::Join(', ', $toSet))." }
    $message += ' Each error above says what to fix.'
    $record = [System.Management.Automation.ErrorRecord]::new(
        [System.InvalidOperationException]::new($message), 'CIPreflightFailed', 'InvalidOperation', $Provider)
    $record.ErrorDetails = [System.Management.Automation.ErrorDetails]::new($message)
    $record.ErrorDetails.RecommendedAction = 'Set or correct what each error above names in the environment of the job, then run it again.'
    # Where the caller's preference is Stop (GitHub's pwsh shell sets it), this ends the script with exit code 1 too.
    $PSCmdlet.WriteError($record)
    exit 1
}
exit 0
