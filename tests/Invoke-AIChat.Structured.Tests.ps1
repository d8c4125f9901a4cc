# Structured output and the request controls over real HTTP against the loopback emulator: -JsonSchema, -ResponseFormat
# Json, Data and -AsHashtable, fenced and invalid JSON, the -Stream refusal on Cloudflare aliases, -ExtraBody,
# -ReasoningEffort, the usage details, and streamed reasoning shown apart (-HideReasoning).
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $PSScriptRoot 'TestServer.psm1') -Force
    $script:Saved = Save-AliasEnvironment
    $script:Server = Start-TestServer -Configuration $Configuration
    $script:WorkersBase = $Server.Uri + '/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1'
    $script:OpenAiBase = $Server.Uri + '/v1'
    $script:Token = 'fake-structured-token-DO-NOT-PRINT-4417'
    $script:Schema = @{
        type       = 'object'
        properties = @{ colours = @{ type = 'array'; items = @{ type = 'object'; properties = [ordered]@{ name = @{ type = 'string' }; votes = @{ type = 'integer' } } } } }
        required   = @('colours')
    }

    function New-Run { [guid]::NewGuid().ToString('n') }

    function Get-Run([string] $Run) { @(Get-TestServerRequest -Server $script:Server -Run $Run) }

    # Invoke-AIChat on Workers AI through the emulator, tagged with a run id so its requests can be found.
    function Invoke-Workers([string] $Run, [hashtable] $Parameters = @{}) {
        Invoke-AIChat -Provider cloudflare-workers-ai -BaseUrl $script:WorkersBase -Header @{ 'X-Emulator-Run' = $Run } @Parameters
    }
}

AfterAll {
    if ($script:Server) { Stop-TestServer -Server $script:Server }
    Restore-AliasEnvironment $script:Saved
}

Describe 'Structured output' {
    BeforeEach { Set-TestEnvironment @{ CLOUDFLARE_API_TOKEN = $script:Token; CLOUDFLARE_ACCOUNT_ID = $FakeAccountId; OPENAI_API_KEY = $script:Token } }

    It 'sends the schema as json_schema with name and strict, and Data holds objects' {
        $run = New-Run
        $data = Invoke-Workers $run @{ Prompt = 'List three colours'; JsonSchema = $Schema; ErrorAction = 'Stop' } | Select-Object -ExpandProperty Data
        $data.colours.Count | Should -Be 3
        $data.colours[0] | Should -BeOfType [pscustomobject]
        $data.colours.name | Should -Be @('red', 'green', 'blue')
        $data.colours.votes | Should -Be @(1, 2, 3)
        $data.colours[0].votes | Should -BeOfType [long]
        @($data.colours[0].PSObject.Properties.Name) | Should -Be @('name', 'votes')
        $format = ((Get-Run $run)[0].body | ConvertFrom-Json).response_format
        $format.type | Should -BeExactly 'json_schema'
        $format.json_schema.name | Should -BeExactly 'response'
        $format.json_schema.strict | Should -BeTrue
        $format.json_schema.schema.required | Should -Be @('colours')
    }

    It 'takes the schema as JSON text or a [pscustomobject], and -SchemaName names it' {
        $run = New-Run
        $text = $Schema | ConvertTo-Json -Depth 10
        $r1 = Invoke-Workers $run @{ Prompt = 'x'; JsonSchema = $text; SchemaName = 'colour_list'; ErrorAction = 'Stop' }
        $r2 = Invoke-Workers $run @{ Prompt = 'x'; JsonSchema = ($text | ConvertFrom-Json); ErrorAction = 'Stop' }
        # What Get-Content without -Raw gives: the lines of the file.
        $r3 = Invoke-Workers $run @{ Prompt = 'x'; JsonSchema = @($text -split "`n"); ErrorAction = 'Stop' }
        $r1.Data.colours.name | Should -Be @('red', 'green', 'blue')
        $r2.Data.colours.name | Should -Be @('red', 'green', 'blue')
        $r3.Data.colours.name | Should -Be @('red', 'green', 'blue')
        $sent = Get-Run $run | ForEach-Object { ($_.body | ConvertFrom-Json).response_format.json_schema }
        $sent[0].name | Should -BeExactly 'colour_list'
        $sent[1].schema.properties.colours.items.properties.votes.type | Should -BeExactly 'integer'
    }

    It '-AsHashtable gives hashtables' {
        $r = Invoke-Workers (New-Run) @{ Prompt = 'x'; JsonSchema = $Schema; AsHashtable = $true; ErrorAction = 'Stop' }
        $r.Data | Should -BeOfType [hashtable]
        $r.Data.colours[1] | Should -BeOfType [hashtable]
        $r.Data.colours[1]['name'] | Should -BeExactly 'green'
    }

    It '-ResponseFormat Json sends json_object and parses the answer' {
        $run = New-Run
        $r = Invoke-Workers $run @{ Prompt = 'x'; ResponseFormat = 'Json'; ErrorAction = 'Stop' }
        $r.Data.answer | Should -BeExactly 'Hello from the CloudflareAI emulator'
        ((Get-Run $run)[0].body | ConvertFrom-Json).response_format.type | Should -BeExactly 'json_object'
    }

    It 'unwraps an answer fenced as ```json, and Content keeps the fence' {
        $r = Invoke-Workers (New-Run) @{ Prompt = 'x'; JsonSchema = $Schema; Model = 'emulator/json-fenced'; ErrorAction = 'Stop' }
        $r.Data.colours.name | Should -Be @('red', 'green', 'blue')
        $r.Content | Should -Match '```json'
    }

    It 'leaves Data empty when no JSON was asked for' {
        $r = Invoke-Workers (New-Run) @{ Prompt = 'x'; ErrorAction = 'Stop' }
        $r.Data | Should -BeNullOrEmpty
    }

    It 'reports an answer that is not JSON as ChatResponseInvalid with the raw answer on TargetObject and no secret anywhere' {
        # Dot-sourced and called directly, so that -ErrorVariable sets $failed in this scope.
        $all = . {
            Invoke-AIChat 'x' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -ResponseFormat Json -Model 'emulator/json-invalid' -ErrorVariable failed -ErrorAction SilentlyContinue -Verbose -Debug
        } *>&1 | ForEach-Object { $_; if ($_ -is [System.Management.Automation.ErrorRecord]) { $_.Exception.Message; $_.ErrorDetails.RecommendedAction; $_.TargetObject; $_.Exception.ToString() } } | Out-String -Width 1000
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeExactly 'ChatResponseInvalid,CloudflareAI.Commands.InvokeAIChatCommand'
        $failed[0].TargetObject | Should -BeExactly 'Sure! The three colours are red, green and blue. (Your key was ***.)'
        $failed[0].Exception.Message | Should -Match 'not valid JSON'
        $failed[0].Exception.Message | Should -Match 'It begins: Sure! The three colours'
        $failed[0].ErrorDetails.RecommendedAction | Should -Match 'TargetObject'
        $all | Should -Not -Match ([regex]::Escape($Token))
    }

    It 'refuses a schema or JSON mode with -Stream on a Cloudflare alias before sending: <_>' -ForEach 'JsonSchema', 'ResponseFormat' {
        $run = New-Run
        $parameters = @{ Prompt = 'x'; Stream = $true }
        if ($_ -eq 'JsonSchema') { $parameters.JsonSchema = $Schema } else { $parameters.ResponseFormat = 'Json' }
        $caught = $null
        try { Invoke-Workers $run $parameters 6>$null } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeExactly 'ChatBadRequest,CloudflareAI.Commands.InvokeAIChatCommand'
        $caught.ErrorDetails.RecommendedAction | Should -Match 'Drop -Stream'
        Get-Run $run | Should -BeNullOrEmpty
    }

    It 'streams a schema answer off Cloudflare, and parses it at the end' {
        $run = New-Run
        $r = Invoke-AIChat 'x' -Provider openai -BaseUrl $OpenAiBase -Model 'gpt-test' -JsonSchema $Schema -Stream -Header @{ 'X-Emulator-Run' = $run } -ErrorAction Stop 6>$null
        $r.Data.colours.name | Should -Be @('red', 'green', 'blue')
        ((Get-Run $run)[0].body | ConvertFrom-Json).stream | Should -BeTrue
    }

    It 'refuses a schema that is not a JSON object, and -SchemaName alone, as ParameterInvalid before sending' {
        $run = New-Run
        { Invoke-Workers $run @{ Prompt = 'x'; JsonSchema = 'not json' } } | Should -Throw -ErrorId 'ParameterInvalid,CloudflareAI.Commands.InvokeAIChatCommand'
        { Invoke-Workers $run @{ Prompt = 'x'; JsonSchema = 42 } } | Should -Throw -ErrorId 'ParameterInvalid,CloudflareAI.Commands.InvokeAIChatCommand'
        { Invoke-Workers $run @{ Prompt = 'x'; SchemaName = 'lonely' } } | Should -Throw -ErrorId 'ParameterInvalid,CloudflareAI.Commands.InvokeAIChatCommand'
        Get-Run $run | Should -BeNullOrEmpty
    }
}

Describe 'More request controls' {
    BeforeEach { Set-TestEnvironment @{ CLOUDFLARE_API_TOKEN = $script:Token; CLOUDFLARE_ACCOUNT_ID = $FakeAccountId } }

    It '-ExtraBody merges nested fields at the top level, replaces what the module set, and -Verbose names it' {
        $run = New-Run
        $verbose = @(Invoke-Workers $run @{ Prompt = 'x'; Temperature = 0.5; ExtraBody = @{ temperature = 0.1; options = @{ rejectIfBusy = $true }; chat_template_kwargs = [pscustomobject]@{ enable_thinking = $false } }; Verbose = $true; ErrorAction = 'Stop' } 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $body = (Get-Run $run)[0].body
        $sent = $body | ConvertFrom-Json
        $sent.temperature | Should -Be 0.1
        $sent.options.rejectIfBusy | Should -BeTrue
        $sent.chat_template_kwargs.enable_thinking | Should -BeFalse
        ([regex]::Matches($body, '"temperature"')).Count | Should -Be 1
        $verbose | Where-Object { $_ -match '-ExtraBody replaced' } | Should -HaveCount 1
        ($verbose | Where-Object { $_ -match '-ExtraBody replaced' }) | Should -Match 'temperature'
    }

    It '-ExtraBody may not set <_> (ParameterInvalid, nothing sent)' -ForEach 'stream', 'model', 'messages', 'Model' {
        $run = New-Run
        { Invoke-Workers $run @{ Prompt = 'x'; ExtraBody = @{ $_ = 'x' } } } | Should -Throw -ErrorId 'ParameterInvalid,CloudflareAI.Commands.InvokeAIChatCommand'
        Get-Run $run | Should -BeNullOrEmpty
    }

    It '-ReasoningEffort is sent as reasoning_effort, and only when given' {
        $run = New-Run
        $null = Invoke-Workers $run @{ Prompt = 'x'; ReasoningEffort = 'high'; ErrorAction = 'Stop' }
        $null = Invoke-Workers $run @{ Prompt = 'x'; ErrorAction = 'Stop' }
        $sent = Get-Run $run | ForEach-Object { $_.body | ConvertFrom-Json }
        $sent[0].reasoning_effort | Should -BeExactly 'high'
        $sent[1].PSObject.Properties.Name | Should -Not -Contain 'reasoning_effort'
        { Invoke-Workers $run @{ Prompt = 'x'; ReasoningEffort = 'extreme' } } | Should -Throw -ErrorId 'ParameterArgumentValidationError,CloudflareAI.Commands.InvokeAIChatCommand'
    }

    It 'reads CachedTokens and ReasoningTokens from the usage details, streamed or not, and leaves them null when not sent' {
        $whole = Invoke-Workers (New-Run) @{ Prompt = 'x'; Model = 'emulator/reasoner'; ErrorAction = 'Stop' }
        $streamed = Invoke-Workers (New-Run) @{ Prompt = 'x'; Model = 'emulator/reasoner'; Stream = $true; HideReasoning = $true; ErrorAction = 'Stop' } 6>$null
        $plain = Invoke-Workers (New-Run) @{ Prompt = 'x'; ErrorAction = 'Stop' }
        foreach ($r in $whole, $streamed) {
            $r.Usage.CachedTokens | Should -Be 3
            $r.Usage.ReasoningTokens | Should -Be 10
        }
        $plain.Usage.CachedTokens | Should -BeNullOrEmpty
        $plain.Usage.ReasoningTokens | Should -BeNullOrEmpty
        $plain.Usage.TotalTokens | Should -BeGreaterThan 0
    }

    It 'shows streamed reasoning as it arrives, tagged CloudflareAI.Reasoning, apart from the answer and before it' {
        $records = @(Invoke-Workers (New-Run) @{ Prompt = 'x'; Model = 'emulator/reasoner'; Stream = $true; ReasoningEffort = 'medium'; ErrorAction = 'Stop' } 6>&1)
        $info = @($records | Where-Object { $_ -is [System.Management.Automation.InformationRecord] })
        $response = $records | Where-Object { $_ -is [CloudflareAI.ChatResponse] }
        $reasoning = @($info | Where-Object { $_.Tags -contains 'CloudflareAI.Reasoning' })
        $reasoning.Count | Should -BeGreaterThan 0
        ($reasoning | ForEach-Object { $_.MessageData.Message }) -join '' | Should -BeExactly 'The user asked something. Effort medium. I will answer briefly.'
        $reasoning | ForEach-Object { $_.Tags | Should -Contain 'PSHOST' }
        $answer = @($info | Where-Object { $_.Tags -notcontains 'CloudflareAI.Reasoning' -and $_.MessageData.Message })
        ($answer | ForEach-Object { $_.MessageData.Message }) -join '' | Should -BeExactly 'The answer, after thinking.'
        # Reasoning first, then a line break (a record without NoNewLine), then the answer.
        $lastReasoning = [array]::IndexOf($info, $reasoning[-1])
        $firstAnswer = [array]::IndexOf($info, $answer[0])
        $lastReasoning | Should -BeLessThan $firstAnswer
        @($info[($lastReasoning + 1)..($firstAnswer - 1)] | Where-Object { -not $_.MessageData.NoNewLine }).Count | Should -Be 1
        $response.Reasoning | Should -BeExactly 'The user asked something. Effort medium. I will answer briefly.'
        $response.Content | Should -BeExactly 'The answer, after thinking.'
    }

    It '-HideReasoning keeps the reasoning out of the console and in Reasoning' {
        $records = @(Invoke-Workers (New-Run) @{ Prompt = 'x'; Model = 'emulator/reasoner'; Stream = $true; HideReasoning = $true; ErrorAction = 'Stop' } 6>&1)
        @($records | Where-Object { $_ -is [System.Management.Automation.InformationRecord] -and $_.Tags -contains 'CloudflareAI.Reasoning' }).Count | Should -Be 0
        ($records | Where-Object { $_ -is [System.Management.Automation.InformationRecord] } | ForEach-Object { $_.MessageData.Message }) -join '' |
            Should -BeExactly 'The answer, after thinking.'
        ($records | Where-Object { $_ -is [CloudflareAI.ChatResponse] }).Reasoning | Should -Match '^The user asked something'
    }

    It 'keeps the token out of streamed reasoning and every stream, also when the reasoning repeats it' {
        $records = @(& {
            Invoke-AIChat 'x' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Stream -Verbose -Debug -ExtraBody @{ note = 'plain' } -ErrorAction Stop `
                -Header @{ 'X-Emulator-Reasoning' = "The key is $Token, so I must not repeat it." }
        } *>&1)
        $shown = ($records | Where-Object { $_ -is [System.Management.Automation.InformationRecord] -and $_.Tags -contains 'CloudflareAI.Reasoning' } |
            ForEach-Object { $_.MessageData.Message }) -join ''
        $shown | Should -BeExactly 'The key is ***, so I must not repeat it.'
        ($records | Where-Object { $_ -is [CloudflareAI.ChatResponse] }).Reasoning | Should -BeExactly 'The key is ***, so I must not repeat it.'
        $records | Format-List * | Out-String -Width 1000 | Should -Not -Match ([regex]::Escape($Token))
    }
}
