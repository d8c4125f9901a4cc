# Function calling over real HTTP against the loopback emulator: -Tool (commands, hashtables, New-AITool), the schema
# read from command metadata, -ToolChoice, -InvokeTool None|Confirm|Auto, tool results, -MaxToolRounds, streamed
# tool-call deltas and the whole exchange in Messages. The emulator's tool models are scripted by name
# (tests/CloudflareAI.TestServer/ToolResponder.cs).
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $PSScriptRoot 'TestServer.psm1') -Force
    $script:Saved = Save-AliasEnvironment
    $script:Server = Start-TestServer -Configuration $Configuration
    $script:Base = $Server.Uri + '/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1'
    $script:Token = 'fake-tools-token-DO-NOT-PRINT-4411'

    function Set-WorkersEnvironment {
        Set-TestEnvironment @{ CLOUDFLARE_API_TOKEN = $script:Token; CLOUDFLARE_ACCOUNT_ID = $FakeAccountId }
    }

    function New-Run { [guid]::NewGuid().ToString('n') }

    function Get-Run([string] $Run) { @(Get-TestServerRequest -Server $script:Server -Run $Run) }

    function Get-Body([object] $Request) { $Request.body | ConvertFrom-Json -AsHashtable }

    # Invoke-AIChat against the emulator with a model that is scripted to call tools. A simple function, so the other
    # arguments (-Tool, -ErrorAction, ...) pass through $args by name.
    function Invoke-ToolChat {
        param([string] $Prompt = 'What time is it?', [string] $Model = '@emulator/tool-caller', [string] $Run, [hashtable] $Arguments, [hashtable] $Header = @{})
        $splat = Get-ToolSplat -Model $Model -Run $Run -Arguments $Arguments -Header $Header
        Invoke-AIChat $Prompt @splat @args
    }

    # The same parameters as a splat, for tests that need -Confirm:$false or a -*Variable in their own scope.
    function Get-ToolSplat([string] $Model = '@emulator/tool-caller', [string] $Run, [hashtable] $Arguments, [hashtable] $Header = @{}) {
        $headers = @{ 'X-Emulator-Run' = $Run } + $Header
        # Header values are visible ASCII: other characters go as JSON escapes.
        if ($Arguments) { $headers['X-Emulator-Tool-Arguments'] = $Arguments | ConvertTo-Json -Compress -Depth 5 -EscapeHandling EscapeNonAscii }
        @{ Provider = 'cloudflare-workers-ai'; BaseUrl = $script:Base; Model = $Model; Header = $headers }
    }

    <#
    .SYNOPSIS
    Reads a test file.
    .PARAMETER Path
    The file to read.
    .PARAMETER Unit
    The unit of the size.
    #>
    function Read-TestFile {
        [CmdletBinding(DefaultParameterSetName = 'ByPath')]
        param(
            [Parameter(Mandatory, ParameterSetName = 'ByPath')] [string] $Path,
            [Parameter(ParameterSetName = 'ByPath')] [ValidateSet('Bytes', 'Lines')] [string] $Unit,
            [Parameter(ParameterSetName = 'ByPath')] [int] $Tail,
            [Parameter(ParameterSetName = 'ByPath')] [double] $Ratio,
            [Parameter(ParameterSetName = 'ByPath')] [switch] $Raw,
            [Parameter(ParameterSetName = 'ByPath')] [string[]] $Tags,
            [Parameter(ParameterSetName = 'ByPath')] [datetime] $Since,
            [Parameter(Mandatory, ParameterSetName = 'ById')] [int] $Id
        )
        $script:ReadCalls.Add($PSBoundParameters)
        "read $Path"
    }
}

AfterAll {
    if ($script:Server) { Stop-TestServer -Server $script:Server }
    Restore-AliasEnvironment $script:Saved
}

Describe 'Invoke-AIChat -Tool (Get-Command Get-Date) -InvokeTool Auto' {
    BeforeEach { Set-WorkersEnvironment }

    It 'runs Get-Date once and answers with its result, the whole exchange in Messages' {
        $run = New-Run
        $r = Invoke-ToolChat -Run $run -Tool (Get-Command Get-Date) -InvokeTool Auto -ErrorAction Stop

        $req = Get-Run $run
        $req.Count | Should -Be 2
        $second = Get-Body $req[1]
        $results = @($second.messages | Where-Object role -EQ 'tool')
        $results.Count | Should -Be 1
        $ran = $results[0].content | ConvertFrom-Json
        $ran | Should -BeOfType [datetime]
        $r.Content | Should -BeExactly "Tool results: $($results[0].content)"
        $r.FinishReason | Should -Be 'stop'
        $r.ToolCalls | Should -HaveCount 0
        $r.Attempts | Should -Be 2
        @($r.Messages.Role) | Should -Be @('user', 'assistant', 'tool', 'assistant')
        $r.Messages[1].ToolCalls[0].Name | Should -BeExactly 'Get-Date'
        # The ID goes back exactly as the model sent it: never shortened or rewritten.
        $r.Messages[1].ToolCalls[0].Id | Should -Match '^call_emulator_\d{6}_0_q7Zr2LmXw$'
        $r.Messages[2].ToolCallId | Should -BeExactly $r.Messages[1].ToolCalls[0].Id
        $results[0].tool_call_id | Should -BeExactly $r.Messages[1].ToolCalls[0].Id
        $second.messages[1].tool_calls[0].id | Should -BeExactly $r.Messages[1].ToolCalls[0].Id
        # Workers AI refuses content: null; the assistant's tool-call turn goes back with an empty string.
        $second.messages[1].content | Should -BeExactly ''
    }

    It 'describes the default parameter set of a command: types, ValidateSet, Mandatory, help descriptions; the rest said with -Verbose' {
        $run = New-Run
        $verbose = Invoke-ToolChat -Run $run -Tool (Get-Command Read-TestFile) -InvokeTool None -Verbose -ErrorAction Stop 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
        $tool = (Get-Body (Get-Run $run)[0]).tools[0]
        $tool.type | Should -Be 'function'
        $tool.function.name | Should -BeExactly 'Read-TestFile'
        $tool.function.description | Should -BeExactly 'Reads a test file.'
        $p = $tool.function.parameters
        $p.type | Should -Be 'object'
        @($p.properties.Keys | Sort-Object) | Should -Be @('Path', 'Ratio', 'Raw', 'Tags', 'Tail', 'Unit')
        $p.properties.Path.type | Should -Be 'string'
        $p.properties.Path.description | Should -BeExactly 'The file to read.'
        $p.properties.Unit.enum | Should -Be @('Bytes', 'Lines')
        $p.properties.Unit.description | Should -BeExactly 'The unit of the size.'
        $p.properties.Tail.type | Should -Be 'integer'
        $p.properties.Ratio.type | Should -Be 'number'
        $p.properties.Raw.type | Should -Be 'boolean'
        $p.properties.Tags.type | Should -Be 'array'
        $p.properties.Tags.items.type | Should -Be 'string'
        @($p.required) | Should -Be @('Path')
        $verbose | Should -Contain "Tool Read-TestFile: parameter set 'ByPath', 6 parameter(s) described."
        $verbose | Should -Contain 'Tool Read-TestFile: the common parameters (Verbose, ErrorAction, WhatIf, ...) are left out.'
        ($verbose -match 'left out Since \(DateTime\)') | Should -Not -BeNullOrEmpty
    }
}

Describe '-InvokeTool None' {
    BeforeEach { Set-WorkersEnvironment; $script:ReadCalls = [System.Collections.Generic.List[object]]::new() }

    It 'returns the calls with parsed arguments and FinishReason tool_calls, runs nothing and writes no warning' {
        $run = New-Run
        $warnings = $null
        $s = Get-ToolSplat -Run $run -Arguments @{ 'Read-TestFile' = @{ Path = 'a.txt'; Tail = 3 } }
        $r = Invoke-AIChat 'Read it' @s -Tool (Get-Command Read-TestFile) -WarningVariable warnings -ErrorAction Stop
        $script:ReadCalls.Count | Should -Be 0
        (Get-Run $run).Count | Should -Be 1
        $r.FinishReason | Should -Be 'tool_calls'
        $r.Content | Should -BeExactly ''
        @($warnings) | Should -HaveCount 0
        $call = $r.ToolCalls[0]
        $call | Should -BeOfType ([CloudflareAI.ToolCall])
        $call.Name | Should -BeExactly 'Read-TestFile'
        $call.Arguments.Path | Should -BeExactly 'a.txt'
        $call.Arguments.Tail | Should -Be 3
        ($call.ArgumentsJson | ConvertFrom-Json).Path | Should -BeExactly 'a.txt'
    }

    It 'takes a hashtable in the OpenAI function shape, sent as written' {
        $run = New-Run
        $weather = @{ name = 'get_weather'; description = 'Gets the weather.'; parameters = @{ type = 'object'; properties = @{ city = @{ type = 'string' } }; required = @('city') } }
        $r = Invoke-ToolChat -Run $run -Tool $weather -InvokeTool Auto -Arguments @{ get_weather = @{ city = 'Paris' } } -ErrorAction Stop
        # A hashtable has nothing to run: even with Auto the calls come back to the caller.
        $r.ToolCalls[0].Arguments.city | Should -BeExactly 'Paris'
        (Get-Run $run).Count | Should -Be 1
        $tool = (Get-Body (Get-Run $run)[0]).tools[0].function
        $tool.name | Should -BeExactly 'get_weather'
        $tool.parameters.required | Should -Be @('city')
    }

    It 'assembles streamed tool-call deltas by index' {
        $run = New-Run
        $r = Invoke-ToolChat -Run $run -Tool (Get-Command Read-TestFile), (Get-Command Get-Date) -Stream `
            -Arguments @{ 'Read-TestFile' = @{ Path = 'streamed "quoted" név.txt'; Tags = @('x', 'y') } } -ErrorAction Stop 6>$null
        $r.FinishReason | Should -Be 'tool_calls'
        @($r.ToolCalls.Name) | Should -Be @('Read-TestFile', 'Get-Date')
        $r.ToolCalls[0].Arguments.Path | Should -BeExactly 'streamed "quoted" név.txt'
        @($r.ToolCalls[0].Arguments.Tags) | Should -Be @('x', 'y')
        $r.ToolCalls[1].ArgumentsJson | Should -BeExactly '{}'
        $r.ToolCalls[0].Id | Should -Not -Be $r.ToolCalls[1].Id
    }
}

Describe '-InvokeTool Confirm' {
    BeforeEach { Set-WorkersEnvironment; $script:ReadCalls = [System.Collections.Generic.List[object]]::new() }

    It 'runs each call with -Confirm:$false' {
        $run = New-Run
        $s = Get-ToolSplat -Run $run -Arguments @{ 'Read-TestFile' = @{ Path = 'b.txt' } }
        $r = Invoke-AIChat 'Read it' @s -Tool (Get-Command Read-TestFile) -InvokeTool Confirm -Confirm:$false -ErrorAction Stop
        $script:ReadCalls.Count | Should -Be 1
        $script:ReadCalls[0].Path | Should -BeExactly 'b.txt'
        $r.Content | Should -BeExactly 'Tool results: "read b.txt"'
    }

    It 'shows the request with -WhatIf and runs no tool' {
        $run = New-Run
        $r = Invoke-ToolChat -Run $run -Tool (Get-Command Read-TestFile) -InvokeTool Confirm -WhatIf -Arguments @{ 'Read-TestFile' = @{ Path = 'c.txt' } }
        $r | Should -BeNullOrEmpty
        $script:ReadCalls.Count | Should -Be 0
        (Get-Run $run).Count | Should -Be 0
    }

    It 'runs nothing when nobody can be asked, says so, and tells the model' {
        $run = New-Run
        $warnings = $null
        $s = Get-ToolSplat -Run $run -Arguments @{ 'Read-TestFile' = @{ Path = 'd.txt' } }
        $r = Invoke-AIChat 'Read it' @s -Tool (Get-Command Read-TestFile) -InvokeTool Confirm -WarningVariable warnings -WarningAction SilentlyContinue -ErrorAction Stop
        $script:ReadCalls.Count | Should -Be 0
        $warnings[0] | Should -Match '^Read-TestFile was not run: -InvokeTool Confirm could not ask .*-Confirm:\$false'
        $r.Content | Should -BeExactly 'Tool results: {"error":"The tool was not run: nobody could confirm it."}'
    }
}

Describe 'Only declared tools run' {
    BeforeEach { Set-WorkersEnvironment; $script:ReadCalls = [System.Collections.Generic.List[object]]::new() }

    It 'sends a call to an undeclared tool back as an error result, never running it' {
        # A Remove-Item that counts its calls: if the module resolved the undeclared name as a command, this would run.
        $global:CloudflareAIToolsTestRemoved = 0
        function global:Remove-Item { $global:CloudflareAIToolsTestRemoved++ }
        try {
            $run = New-Run
            $r = Invoke-ToolChat -Run $run -Model '@emulator/tool-undeclared' -Tool (Get-Command Read-TestFile) -InvokeTool Auto -ErrorAction Stop
        }
        finally {
            Microsoft.PowerShell.Management\Remove-Item -Path Function:\Remove-Item
        }
        (Get-Command Remove-Item).CommandType | Should -Be 'Cmdlet'
        $global:CloudflareAIToolsTestRemoved | Should -Be 0
        Microsoft.PowerShell.Management\Remove-Item -Path Variable:\CloudflareAIToolsTestRemoved
        $script:ReadCalls.Count | Should -Be 0
        $r.Content | Should -BeExactly 'Tool results: {"error":"There is no tool named ''Remove-Item''. The tools are: Read-TestFile."}'
    }

    It 'sends arguments that do not bind back as an error result' {
        $run = New-Run
        $r = Invoke-ToolChat -Run $run -Tool (Get-Command Read-TestFile) -InvokeTool Auto -Arguments @{ 'Read-TestFile' = @{ Path = 'e.txt'; NoSuchParameter = 1 } } -ErrorAction Stop
        $script:ReadCalls.Count | Should -Be 0
        $result = ((Get-Body (Get-Run $run)[1]).messages | Where-Object role -EQ 'tool').content | ConvertFrom-Json
        $result.error | Should -Match "NoSuchParameter"
    }
}

Describe 'New-AITool and tool results' {
    BeforeEach { Set-WorkersEnvironment }

    It 'runs the script block with the model''s arguments by name' {
        $tool = New-AITool -Name Get-Weather -Description 'Gets the weather for a city.' -Parameter @{ City = 'string'; Days = @{ type = 'integer'; description = 'How many days'; required = $false } } -ScriptBlock {
            param([string] $City, [int] $Days = 1)
            [pscustomobject]@{ City = $City; Days = $Days; Sky = 'clear' }
        }
        $tool | Should -BeOfType ([CloudflareAI.AITool])
        $run = New-Run
        $r = Invoke-ToolChat -Run $run -Tool $tool -InvokeTool Auto -Arguments @{ 'Get-Weather' = @{ City = 'Oslo'; Days = 2 } } -ErrorAction Stop
        $r.Content | Should -BeExactly 'Tool results: {"City":"Oslo","Days":2,"Sky":"clear"}'
        $f = (Get-Body (Get-Run $run)[0]).tools[0].function
        $f.description | Should -BeExactly 'Gets the weather for a city.'
        $f.parameters.properties.Days.description | Should -BeExactly 'How many days'
        @($f.parameters.required) | Should -Be @('City')
    }

    It 'sends output as compact JSON of depth 5, cut at 32 KB with a marker' {
        $deep = New-AITool Deep 'Returns a deep object.' { @{ a = @{ b = @{ c = @{ d = @{ e = @{ f = @{ g = 1 } } } } } } } }
        $big = New-AITool Big 'Returns a lot of text.' { 'x' * 100000 }
        $run = New-Run
        $null = Invoke-ToolChat -Run $run -Tool $deep, $big -InvokeTool Auto -ErrorAction Stop
        $results = @((Get-Body (Get-Run $run)[1]).messages | Where-Object role -EQ 'tool')
        $results[0].content | Should -Not -Match '\s'
        $results[0].content | Should -BeLike '{"a":{"b":{"c":{"d":{"e":{"f":*'
        $results[0].content | Should -Not -Match '"g"'
        [System.Text.Encoding]::UTF8.GetByteCount($results[1].content) | Should -BeLessOrEqual 32768
        $results[1].content | Should -BeLike '"xxxx*...`[cut: the tool''s output was larger than 32 KB`]'
    }

    It 'sends an error as {"error": "..."}' {
        $fail = New-AITool Fail 'Always fails.' { throw 'the disk is on fire' }
        $run = New-Run
        $r = Invoke-ToolChat -Run $run -Tool $fail -InvokeTool Auto -ErrorAction Stop
        $r.Content | Should -BeExactly 'Tool results: {"error":"the disk is on fire"}'
    }

    It 'refuses a -Parameter type it cannot describe' {
        { New-AITool Bad 'Bad.' -Parameter @{ When = 'datetime' } } | Should -Throw -ErrorId 'ParameterInvalid,CloudflareAI.Commands.NewAIToolCommand'
    }
}

Describe '-MaxToolRounds' {
    BeforeEach { Set-WorkersEnvironment }

    It 'stops a model that never stops calling tools with ToolRoundLimitExceeded, the messages so far on TargetObject' {
        $run = New-Run
        $err = $null
        $s = Get-ToolSplat -Run $run -Model '@emulator/tool-looper'
        $r = Invoke-AIChat 'Loop' @s -Tool (Get-Command Get-Date) -InvokeTool Auto -MaxToolRounds 2 -ErrorVariable err -ErrorAction SilentlyContinue
        $r | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'ToolRoundLimitExceeded,CloudflareAI.Commands.InvokeAIChatCommand'
        $err[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
        $err[0].ErrorDetails.RecommendedAction | Should -Match 'Raise -MaxToolRounds'
        @($err[0].TargetObject.Role) | Should -Be @('user', 'assistant', 'tool', 'assistant', 'tool', 'assistant')
        (Get-Run $run).Count | Should -Be 3
    }

    It 'allows 8 rounds by default' {
        $run = New-Run
        { Invoke-ToolChat -Run $run -Model '@emulator/tool-looper' -Tool (Get-Command Get-Date) -InvokeTool Auto -ErrorAction Stop } |
            Should -Throw -ErrorId 'ToolRoundLimitExceeded,CloudflareAI.Commands.InvokeAIChatCommand'
        (Get-Run $run).Count | Should -Be 9
    }
}

Describe 'The exchange continues' {
    BeforeEach { Set-WorkersEnvironment }

    It 'keeps reasoning in its own field and -Message continues the exchange with the same IDs' {
        $run = New-Run
        $r = Invoke-ToolChat -Run $run -Tool (Get-Command Get-Date) -InvokeTool Auto -Header @{ 'X-Emulator-Reasoning' = 'I need the clock.' } -ErrorAction Stop
        $r.Messages[1].Reasoning | Should -BeExactly 'I need the clock.'
        $assistant = (Get-Body (Get-Run $run)[1]).messages[1]
        $assistant.reasoning | Should -BeExactly 'I need the clock.'
        $assistant.content | Should -BeExactly ''

        $next = New-Run
        $null = Invoke-ToolChat 'And tomorrow?' -Run $next -Message $r.Messages -ErrorAction Stop
        $sent = (Get-Body (Get-Run $next)[0]).messages
        @($sent.role) | Should -Be @('user', 'assistant', 'tool', 'assistant', 'user')
        $sent[1].tool_calls[0].id | Should -BeExactly $r.Messages[1].ToolCalls[0].Id
        $sent[2].tool_call_id | Should -BeExactly $r.Messages[1].ToolCalls[0].Id
        $sent[1].reasoning | Should -BeExactly 'I need the clock.'
    }

    It 'streams the answer after the tools ran' {
        $run = New-Run
        $r = Invoke-ToolChat -Run $run -Tool (Get-Command Get-Date) -InvokeTool Auto -Stream -ErrorAction Stop 6>$null
        $r.Content | Should -BeLike 'Tool results: "*'
        (Get-Run $run).Count | Should -Be 2
    }
}

Describe '-ToolChoice and -Tool checks' {
    BeforeEach { Set-WorkersEnvironment }

    It 'sends <Choice> as <Sent>' -ForEach @(
        @{ Choice = 'required'; Sent = '"required"' }
        @{ Choice = 'any'; Sent = '"required"' }
        @{ Choice = 'auto'; Sent = '"auto"' }
        @{ Choice = 'none'; Sent = '"none"' }
        @{ Choice = 'Get-Date'; Sent = '{"type":"function","function":{"name":"Get-Date"}}' }
    ) {
        $run = New-Run
        $null = Invoke-ToolChat -Run $run -Tool (Get-Command Get-Date) -ToolChoice $Choice -ErrorAction Stop
        $body = (Get-Run $run)[0].body
        $body | Should -Match ([regex]::Escape('"tool_choice":' + $Sent))
    }

    It 'refuses a -ToolChoice that names no tool, before sending' {
        $run = New-Run
        { Invoke-ToolChat -Run $run -Tool (Get-Command Get-Date) -ToolChoice 'Get-Time' -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterInvalid,CloudflareAI.Commands.InvokeAIChatCommand'
        (Get-Run $run).Count | Should -Be 0
    }

    It 'refuses a -Tool item that is not a tool, and two tools of one name' {
        { Invoke-ToolChat -Run (New-Run) -Tool 'Get-Date' -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterInvalid,CloudflareAI.Commands.InvokeAIChatCommand'
        { Invoke-ToolChat -Run (New-Run) -Tool (Get-Command Get-Date), (Get-Command Get-Date) -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterInvalid,CloudflareAI.Commands.InvokeAIChatCommand'
    }

    It 'never shows the token in -Verbose or -Debug while tools run' {
        $run = New-Run
        $all = Invoke-ToolChat -Run $run -Tool (Get-Command Get-Date) -InvokeTool Auto -Verbose -Debug -ErrorAction Stop *>&1 | Out-String
        $all | Should -Not -Match ([regex]::Escape($script:Token))
        $all | Should -Match 'Round 1: the model calls Get-Date'
    }
}
