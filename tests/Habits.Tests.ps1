# Values, templates, inputs and pipeline habits over the built module against the emulator: visible-ASCII tokens and
# headers, the double-quote template trap, -Message recursion and roles, -Name wildcards and culture, pipeline bindings,
# the one-line view of a streamed answer, and an emulator that survives a Ctrl+C in its shell.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $PSScriptRoot 'TestServer.psm1') -Force
    $script:Saved = Save-AliasEnvironment
    $script:Server = Start-TestServer -Configuration $Configuration
    $script:WorkersBase = $Server.Uri + '/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1'
    # An obvious fake, searched for in every stream.
    $script:FakeToken = 'fake-HABITS-token-5e8c'

    function Set-CloudflareEnvironment([string] $Token = $script:FakeToken) {
        Set-TestEnvironment @{ CLOUDFLARE_API_TOKEN = $Token; CLOUDFLARE_ACCOUNT_ID = $FakeAccountId }
    }

    function New-Run { [guid]::NewGuid().ToString('n') }

    # Invoke-AIChat with every stream captured as text; returns the first error, all text, and the requests recorded for the run.
    function Invoke-Captured {
        param([hashtable] $Parameters, [string] $Run = (New-Run))
        $Parameters = $Parameters.Clone()
        $headers = if ($Parameters.ContainsKey('Header')) { $Parameters.Header.Clone() } else { @{} }
        $headers['X-Emulator-Run'] = $Run
        $Parameters.Header = $headers
        $failure = $null
        $all = try { Invoke-AIChat @Parameters -Verbose -Debug -WarningAction Continue -ErrorAction Stop *>&1 | Out-String } catch { $failure = $_; '' }
        $text = $all
        if ($failure) {
            $text += ($failure | Out-String) + $failure.Exception.Message + $failure.ErrorDetails.Message + $failure.ErrorDetails.RecommendedAction + [string]$failure.TargetObject
        }
        [pscustomobject]@{
            Error    = $failure
            Text     = $text
            Requests = @(Get-TestServerRequest -Server $script:Server -Run $Run)
        }
    }
}

AfterAll {
    if ($script:Server) { Stop-TestServer -Server $script:Server }
    Restore-AliasEnvironment $script:Saved
}

Describe 'Values: tokens and headers are visible ASCII' {
    BeforeEach { Set-CloudflareEnvironment }

    It 'a token with a <Name> is not ready at preflight, naming the variable and the position' -ForEach @(
        @{ Name = 'zero-width space'; Char = [char]0x200B; Words = 'zero-width space \(U\+200B\)' }
        @{ Name = 'no-break space'; Char = [char]0x00A0; Words = 'no-break space \(U\+00A0\)' }
        @{ Name = 'curly quote'; Char = [char]0x201D; Words = 'curly quote \(U\+201D\)' }
        @{ Name = 'control character'; Char = [char]0x0007; Words = 'control character \(U\+0007\)' }
        @{ Name = 'non-ASCII letter'; Char = [char]0x00E9; Words = 'non-ASCII character \(U\+00E9\)' }
    ) {
        $env:CLOUDFLARE_API_TOKEN = $FakeToken.Insert(4, [string]$Char)
        $r = Test-AIProviderEnvironment cloudflare-workers-ai
        $r.IsReady | Should -BeFalse
        $r.InvalidVariables | Should -Be @('CLOUDFLARE_API_TOKEN')
        $problem = @($r.Problems | Where-Object { $_ -like 'CLOUDFLARE_API_TOKEN *' })
        $problem | Should -HaveCount 1
        $problem[0] | Should -Match $Words
        $problem[0] | Should -Match 'at character 5'
        (Get-AIProviderAlias cloudflare-workers-ai).IsAvailable | Should -BeFalse
        Get-AIProviderAlias -Available | Where-Object Name -eq 'cloudflare-workers-ai' | Should -BeNullOrEmpty
        Test-AIProviderEnvironment cloudflare-workers-ai -Quiet | Should -BeFalse
        ($r | Format-List * | Out-String) | Should -Not -Match 'HABITS-token'
    }

    It 'fails before sending when the token has a zero-width space: ProviderEnvironmentVariableInvalid, nothing recorded, no secret shown' {
        $env:CLOUDFLARE_API_TOKEN = $FakeToken + [char]0x200B
        $c = Invoke-Captured @{ Prompt = 'hi'; Provider = 'cloudflare-workers-ai'; BaseUrl = $WorkersBase }
        $c.Error.FullyQualifiedErrorId | Should -Be 'ProviderEnvironmentVariableInvalid,CloudflareAI.Commands.InvokeAIChatCommand'
        $c.Error.Exception.Message | Should -Match 'CLOUDFLARE_API_TOKEN contains a zero-width space \(U\+200B\) at character 23'
        $c.Error.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        $c.Requests | Should -HaveCount 0
        $c.Text | Should -Not -Match 'HABITS-token'
        $c.Text | Should -Not -Match 'ChatConnectionFailed'
    }

    It 'leaves a token with a stray character out of auto-selection' {
        $env:CLOUDFLARE_API_TOKEN = $FakeToken + [char]0x00A0
        try { Invoke-AIChat 'hi' -ErrorAction Stop } catch { $e = $_ }
        $e.FullyQualifiedErrorId | Should -Be 'ProviderNotConfigured,CloudflareAI.Commands.InvokeAIChatCommand'
    }

    It 'refuses a -Header value with a <Name> as ParameterInvalid naming the header and the position' -ForEach @(
        @{ Name = 'no-break space'; Char = [char]0x00A0 }
        @{ Name = 'zero-width space'; Char = [char]0x200B }
        @{ Name = 'line break'; Char = "`n" }
    ) {
        $c = Invoke-Captured @{ Prompt = 'hi'; Provider = 'cloudflare-workers-ai'; BaseUrl = $WorkersBase; Header = @{ 'X-Api-Key' = 'Bearer ' + $FakeToken + $Char } }
        $c.Error.FullyQualifiedErrorId | Should -Be 'ParameterInvalid,CloudflareAI.Commands.InvokeAIChatCommand'
        $c.Error.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $c.Error.Exception.Message | Should -Match "header 'X-Api-Key'.*at character 30"
        $c.Requests | Should -HaveCount 0
        $c.Text | Should -Not -Match 'HABITS-token'
    }

    It 'refuses an invalid -Header name (<Name>) as ParameterInvalid before sending' -ForEach @(
        @{ Name = 'a space'; Header = 'X Api Key' }
        @{ Name = 'a colon'; Header = 'X-Api:Key' }
        @{ Name = 'a non-ASCII letter'; Header = ('X-Cl' + [char]0x00E9) }
    ) {
        $c = Invoke-Captured @{ Prompt = 'hi'; Provider = 'cloudflare-workers-ai'; BaseUrl = $WorkersBase; Header = @{ $Header = $FakeToken } }
        $c.Error.FullyQualifiedErrorId | Should -Be 'ParameterInvalid,CloudflareAI.Commands.InvokeAIChatCommand'
        $c.Error.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $c.Error.Exception.Message | Should -Match ([regex]::Escape("'$Header' is not a valid HTTP header name"))
        $c.Error.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        $c.Requests | Should -HaveCount 0
        $c.Text | Should -Not -Match 'HABITS-token'
    }

    It 'checks the expanded value of a header template: a referenced variable with a stray character is named' {
        $env:HABITS_HEADER_TOKEN = $FakeToken + [char]0x2019
        try {
            $c = Invoke-Captured @{ Prompt = 'hi'; Provider = 'cloudflare-workers-ai'; BaseUrl = $WorkersBase; Header = @{ 'X-Extra' = 'Bearer ${HABITS_HEADER_TOKEN}' } }
            $c.Error.FullyQualifiedErrorId | Should -Be 'ProviderEnvironmentVariableInvalid,CloudflareAI.Commands.InvokeAIChatCommand'
            $c.Error.Exception.Message | Should -Match 'HABITS_HEADER_TOKEN contains a curly quote \(U\+2019\) at character 23'
            $c.Requests | Should -HaveCount 0
            $c.Text | Should -Not -Match 'HABITS-token'
        }
        finally { $env:HABITS_HEADER_TOKEN = $null }
    }

    It 'refuses an -ApiKey with a stray character as ParameterInvalid, never printing it' {
        $key = ConvertTo-SecureString ($FakeToken + [char]0x201C) -AsPlainText -Force
        $c = Invoke-Captured @{ Prompt = 'hi'; Provider = 'cloudflare-workers-ai'; BaseUrl = $WorkersBase; ApiKey = $key }
        $c.Error.FullyQualifiedErrorId | Should -Be 'ParameterInvalid,CloudflareAI.Commands.InvokeAIChatCommand'
        $c.Error.Exception.Message | Should -Match '-ApiKey value contains a curly quote \(U\+201C\) at character 23'
        $c.Requests | Should -HaveCount 0
        $c.Text | Should -Not -Match 'HABITS-token'
    }

    It 'still sends a clean token and header' {
        $c = Invoke-Captured @{ Prompt = 'hi'; Provider = 'cloudflare-workers-ai'; BaseUrl = $WorkersBase; Header = @{ 'X-Title' = 'My app, v1' } }
        $c.Error | Should -BeNullOrEmpty
        $c.Requests | Should -HaveCount 1
        $c.Requests[0].headers.'x-title' | Should -Be 'My app, v1'
    }
}

Describe 'Templates: an empty path segment is the double-quote trap' {
    BeforeEach { Set-CloudflareEnvironment }

    It 'refuses a double-quoted template before sending, names the trap and shows the template in single quotes' {
        # What PowerShell makes of "...${CLOUDFLARE_ACCOUNT_ID}..." in double quotes: the variable is its own, and empty.
        $doubleQuoted = "$($Server.Uri)/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1"
        $doubleQuoted | Should -Match 'accounts//ai'
        $c = Invoke-Captured @{ Prompt = 'hi'; Provider = 'cloudflare-workers-ai'; BaseUrl = $doubleQuoted }
        $c.Error.FullyQualifiedErrorId | Should -Be 'UrlTemplateInvalid,CloudflareAI.Commands.InvokeAIChatCommand'
        $c.Error.Exception.Message | Should -Match 'empty path segment'
        $c.Error.Exception.Message | Should -Match 'double quotes'
        $c.Error.ErrorDetails.RecommendedAction | Should -BeLike "*-BaseUrl '$($Server.Uri)/client/v4/accounts/`${CLOUDFLARE_ACCOUNT_ID}/ai/v1'*"
        $c.Requests | Should -HaveCount 0
        # It never reaches Cloudflare, so no 7003 hint blames a correct account ID.
        $c.Text | Should -Not -Match '7003'
        $c.Text | Should -Not -Match 'HABITS-token'
    }

    It 'never prints a token that was double-quoted into the URL with an empty segment' {
        $c = Invoke-Captured @{ Prompt = 'hi'; Provider = 'openai'; Model = 'm'; BaseUrl = "$($Server.Uri)/keys/$FakeToken//v1"; ApiKey = (ConvertTo-SecureString $FakeToken -AsPlainText -Force) }
        $c.Error.FullyQualifiedErrorId | Should -Be 'UrlTemplateInvalid,CloudflareAI.Commands.InvokeAIChatCommand'
        $c.Text | Should -Not -Match 'HABITS-token'
        $c.Requests | Should -HaveCount 0
    }
}

Describe 'Inputs: -Message shape and roles' {
    BeforeEach { Set-CloudflareEnvironment }

    It 'refuses -Message content that contains itself (<Name>) with ChatMessageInvalid, also under -WhatIf' -ForEach @(
        @{ Name = 'a hashtable'; Make = { $h = @{ role = 'user' }; $h.content = @{ inner = $h }; , $h } }
        @{ Name = 'an array'; Make = { $a = [object[]]::new(2); $a[0] = 'x'; $a[1] = $a; , @{ role = 'user'; content = $a } } }
        @{ Name = 'a list'; Make = { $l = [System.Collections.ArrayList]::new(); $null = $l.Add($l); , @{ role = 'user'; content = $l } } }
        @{ Name = 'a pscustomobject'; Make = { $o = [pscustomobject]@{ type = 'text' }; $o | Add-Member -NotePropertyName self -NotePropertyValue $o; , @{ role = 'user'; content = @($o) } } }
        @{ Name = 'a PSObject-wrapped hashtable'; Make = { $h = @{ type = 'text' }; $h.again = [psobject]$h; , @{ role = 'user'; content = @([psobject]$h) } } }
    ) {
        $message = & $Make
        foreach ($whatIf in $true, $false) {
            $run = New-Run
            $e = $null
            try { Invoke-AIChat 'x' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Message $message -WhatIf:$whatIf -Header @{ 'X-Emulator-Run' = $run } } catch { $e = $_ }
            $e.FullyQualifiedErrorId | Should -Be 'ChatMessageInvalid,CloudflareAI.Commands.InvokeAIChatCommand'
            $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $e.Exception.Message | Should -Match 'contains itself'
            $e.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
            @(Get-TestServerRequest -Server $Server -Run $run) | Should -HaveCount 0
        }
    }

    It 'refuses content nested deeper than 32 levels and sends 30 levels' {
        $deep = 'leaf'; foreach ($i in 1..40) { $deep = @{ next = $deep } }
        { Invoke-AIChat 'x' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Message @{ role = 'user'; content = $deep } -WhatIf } |
            Should -Throw -ErrorId 'ChatMessageInvalid,CloudflareAI.Commands.InvokeAIChatCommand'
        $ok = 'leaf'; foreach ($i in 1..30) { $ok = @{ next = $ok } }
        $run = New-Run
        $null = Invoke-AIChat 'x' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Message @{ role = 'user'; content = @($ok) } -Header @{ 'X-Emulator-Run' = $run } -ErrorAction Stop
        @(Get-TestServerRequest -Server $Server -Run $run) | Should -HaveCount 1
    }

    It 'refuses an unknown role, naming it and the allowed set, and sends developer and tool' {
        $e = $null
        try { Invoke-AIChat 'x' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Message @{ role = 'robot'; content = 'beep' } -WhatIf } catch { $e = $_ }
        $e.FullyQualifiedErrorId | Should -Be 'ChatMessageInvalid,CloudflareAI.Commands.InvokeAIChatCommand'
        $e.Exception.Message | Should -Match "'robot'"
        $e.Exception.Message | Should -Match "'system', 'developer', 'user', 'assistant' or 'tool'"
        $run = New-Run
        $history = @(@{ role = 'Developer'; content = 'be brief' }, [pscustomobject]@{ role = 'assistant'; content = 'ok' }, @{ role = 'tool'; content = '42' })
        $null = Invoke-AIChat 'x' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Message $history -Header @{ 'X-Emulator-Run' = $run } -ErrorAction Stop
        ((Get-TestServerRequest -Server $Server -Run $run)[0].body | ConvertFrom-Json).messages.role | Should -Be @('developer', 'assistant', 'tool', 'user')
    }

    It 'refuses a ChatMessage object with an unknown role too' {
        $message = [CloudflareAI.ChatMessage]::new('wizard', 'x')
        { Invoke-AIChat 'x' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Message $message -WhatIf } |
            Should -Throw -ErrorId 'ChatMessageInvalid,CloudflareAI.Commands.InvokeAIChatCommand'
    }
}

Describe 'Inputs: -Name wildcards and culture' {
    BeforeEach { Clear-AliasEnvironment }

    It '<Command> reports an invalid wildcard as InvalidArgument, and goes on with the other names' -ForEach @(
        @{ Command = 'Get-AIProviderAlias' }
        @{ Command = 'Test-AIProviderEnvironment' }
    ) {
        $errs = $null
        $out = & $Command -Name '[', 'ollama' -ErrorVariable errs -ErrorAction SilentlyContinue
        @($errs) | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'WildcardPatternInvalid,CloudflareAI.Commands.*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $errs[0].Exception.Message | Should -Match "'\['"
        $errs[0].ErrorDetails.RecommendedAction | Should -Match 'backtick'
        @($out).Name | Should -Be @('ollama')
        { & $Command -Name '[' -ErrorAction Stop } | Should -Throw -ErrorId 'WildcardPatternInvalid*'
    }

    It 'answers $false with -Quiet for an invalid wildcard, without an error' {
        $errs = $null
        Test-AIProviderEnvironment '[' -Quiet -ErrorVariable errs -ErrorAction Stop | Should -BeFalse
        Test-AIProviderEnvironment 'ollama', 'a[b' -Quiet -ErrorAction Stop | Should -BeFalse
        @($errs) | Should -HaveCount 0
    }

    It 'matches names the same under the Turkish culture' {
        $saved = [System.Globalization.CultureInfo]::CurrentCulture
        try {
            [System.Globalization.CultureInfo]::CurrentCulture = [System.Globalization.CultureInfo]::GetCultureInfo('tr-TR')
            # Under tr-TR 'I'.ToLower() is dotless 'ı', so culture-aware matching would miss these.
            'I'.ToLower() | Should -Not -Be 'i'
            (Get-AIProviderAlias OPENAI -ErrorAction Stop).Name | Should -Be 'openai'
            (Get-AIProviderAlias 'GITHUB-*' -ErrorAction Stop).Name | Should -Contain 'github-copilot'
            (Get-AIProviderAlias 'OPENA?' -ErrorAction Stop).Name | Should -Be 'openai'
            (Test-AIProviderEnvironment 'CLOUDFLARE-WORKERS-AI' -ErrorAction Stop).Name | Should -Be 'cloudflare-workers-ai'
            (Test-AIProviderEnvironment 'OLLAMA' -Quiet) | Should -BeTrue
            $line = 'Invoke-AIChat hi -Provider GITHUB'
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'github-copilot'
        }
        finally { [System.Globalization.CultureInfo]::CurrentCulture = $saved }
    }

    It 'completes -Provider after a stray [ without failing' {
        $line = 'Invoke-AIChat hi -Provider ['
        { TabExpansion2 -inputScript $line -cursorColumn $line.Length } | Should -Not -Throw
    }
}

Describe 'Pipeline habits' {
    BeforeEach { Set-CloudflareEnvironment }

    It 'binds -Prompt by property name' {
        $run = New-Run
        $answers = @([pscustomobject]@{ Prompt = 'from a property' }, [pscustomobject]@{ Prompt = 'and another' }) |
            Invoke-AIChat -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Header @{ 'X-Emulator-Run' = $run } -ErrorAction Stop
        @($answers) | Should -HaveCount 2
        $bodies = Get-TestServerRequest -Server $Server -Run $run | ForEach-Object { $_.body | ConvertFrom-Json }
        $bodies.messages.content | Should -Be @('from a property', 'and another')
    }

    It 'continues a conversation from a piped response: $r | Invoke-AIChat ''and then?''' {
        $first = Invoke-AIChat 'first question' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -ErrorAction Stop
        $run = New-Run
        $second = $first | Invoke-AIChat 'and then?' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Header @{ 'X-Emulator-Run' = $run } -ErrorAction Stop
        $body = (Get-TestServerRequest -Server $Server -Run $run)[0].body | ConvertFrom-Json
        $body.messages.role | Should -Be @('user', 'assistant', 'user')
        $body.messages.content | Should -Be @('first question', $first.Content, 'and then?')
        $second.Messages.Count | Should -Be 4
    }

    It 'converts the history per piped response, not once for the whole pipeline' {
        $a = Invoke-AIChat 'question A' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -ErrorAction Stop
        $b = Invoke-AIChat 'question B' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -ErrorAction Stop
        $run = New-Run
        $null = $a, $b | Invoke-AIChat 'next' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Header @{ 'X-Emulator-Run' = $run } -ErrorAction Stop
        $bodies = @(Get-TestServerRequest -Server $Server -Run $run | ForEach-Object { $_.body | ConvertFrom-Json })
        $bodies | Should -HaveCount 2
        $bodies[0].messages[0].content | Should -Be 'question A'
        $bodies[1].messages[0].content | Should -Be 'question B'
        $bodies[1].messages | Should -HaveCount 3
    }

    It 'keeps the history of a response that went through Export-Clixml and Import-Clixml, piped and passed to -Message' {
        $first = Invoke-AIChat 'remember this' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -ErrorAction Stop
        $path = Join-Path $TestDrive 'response.xml'
        $first | Export-Clixml -LiteralPath $path
        $restored = Import-Clixml -LiteralPath $path
        $restored.PSObject.TypeNames[0] | Should -Be 'Deserialized.CloudflareAI.ChatResponse'

        $run = New-Run
        $null = $restored | Invoke-AIChat 'piped' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Header @{ 'X-Emulator-Run' = $run } -ErrorAction Stop
        $null = Invoke-AIChat 'explicit' -Message $restored -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Header @{ 'X-Emulator-Run' = $run } -ErrorAction Stop
        $null = Invoke-AIChat 'messages' -Message $restored.Messages -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Header @{ 'X-Emulator-Run' = $run } -ErrorAction Stop
        $bodies = @(Get-TestServerRequest -Server $Server -Run $run | ForEach-Object { $_.body | ConvertFrom-Json })
        $bodies | Should -HaveCount 3
        foreach ($body in $bodies) {
            $body.messages.role | Should -Be @('user', 'assistant', 'user')
            $body.messages[0].content | Should -Be 'remember this'
            $body.messages[1].content | Should -Be $first.Content
        }
        $bodies.messages[2].content, $bodies.messages[5].content, $bodies.messages[8].content | Should -Be @('piped', 'explicit', 'messages')
    }

    It 'skips empty and blank pipeline prompts with a warning, and sends the rest' {
        $run = New-Run
        $warnings = $null
        $answers = @('one', '', '   ', "`t", 'two') |
            Invoke-AIChat -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Header @{ 'X-Emulator-Run' = $run } -WarningVariable warnings -WarningAction SilentlyContinue -ErrorAction Stop
        @($answers) | Should -HaveCount 2
        @($warnings) | Should -HaveCount 3
        $warnings[0].Message | Should -Match 'Input 2 .*blank.*skipped'
        $bodies = Get-TestServerRequest -Server $Server -Run $run | ForEach-Object { $_.body | ConvertFrom-Json }
        $bodies.messages.content | Should -Be @('one', 'two')
    }

    It 'skips the blank lines of a file read with Get-Content' {
        $path = Join-Path $TestDrive 'prompts.txt'
        Set-Content -LiteralPath $path -Value @('first', '', 'second', '')
        $run = New-Run
        $answers = Get-Content -LiteralPath $path |
            Invoke-AIChat -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Header @{ 'X-Emulator-Run' = $run } -WarningAction SilentlyContinue -ErrorAction Stop
        @($answers) | Should -HaveCount 2
        @(Get-TestServerRequest -Server $Server -Run $run) | Should -HaveCount 2
    }

    It 'shows Prompt and Message as taking pipeline input by property name in its help' {
        $command = Get-Command Invoke-AIChat
        $command.Parameters.Prompt.Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] })[0].ValueFromPipelineByPropertyName | Should -BeTrue
        $command.Parameters.Message.Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] })[0].ValueFromPipelineByPropertyName | Should -BeTrue
        $command.Parameters.Message.Aliases | Should -Contain 'Messages'
    }
}

Describe 'Streamed answers print once' {
    BeforeEach { Set-CloudflareEnvironment }

    It 'shows a streamed response as a one-line summary, and keeps the full object' {
        $text = 'A distinctive streamed answer 7731'
        $r = Invoke-AIChat 'PING' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Stream -Header @{ 'X-Emulator-Greeting' = $text } -ErrorAction Stop 6>$null
        $view = $r | Out-String
        $view | Should -Not -Match 'distinctive streamed answer'
        $lines = @($view -split "`r?`n" | Where-Object { $_.Trim() })
        $lines | Should -HaveCount 1
        $lines[0] | Should -Match '\[streamed\]'
        $lines[0] | Should -Match ([regex]::Escape($r.Model))
        $lines[0] | Should -Match "$($r.Usage.TotalTokens) tokens"
        $lines[0] | Should -Match 'finish reason stop'
        $lines[0] | Should -Match '\d s'
        $r.StreamedToHost | Should -BeTrue
        $r.Content | Should -BeExactly $text
        $r.ToString() | Should -BeExactly $text
        $r.Messages[-1].Content | Should -BeExactly $text
    }

    It 'writes the streamed text once when not assigned: the text as host output, then the summary' {
        $text = 'Printed once 4410'
        $all = @(Invoke-AIChat 'PING' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Stream -Header @{ 'X-Emulator-Greeting' = $text } -ErrorAction Stop 6>&1)
        $hostText = -join ($all | Where-Object { $_ -is [System.Management.Automation.InformationRecord] } | ForEach-Object { $_.MessageData.Message })
        $shown = $hostText + ($all | Where-Object { $_ -isnot [System.Management.Automation.InformationRecord] } | Out-String)
        ([regex]::Matches($shown, 'Printed once 4410')).Count | Should -Be 1
        $hostText.Trim() | Should -BeExactly $text
        $shown | Should -Match '\[streamed\]'
    }

    It 'shows the whole answer when the streamed text was hidden (-InformationAction Ignore), and without -Stream' {
        $hidden = Invoke-AIChat 'PING' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Stream -InformationAction Ignore -Header @{ 'X-Emulator-Greeting' = 'Hidden stream 2291' } -ErrorAction Stop
        $hidden.StreamedToHost | Should -BeFalse
        ($hidden | Out-String).Trim() | Should -BeExactly 'Hidden stream 2291'
        $plain = Invoke-AIChat 'PING' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Header @{ 'X-Emulator-Greeting' = 'Plain answer 1180' } -ErrorAction Stop
        $plain.StreamedToHost | Should -BeFalse
        ($plain | Out-String).Trim() | Should -BeExactly 'Plain answer 1180'
    }

    It 'pipes the same full object on' {
        $content = Invoke-AIChat 'PING' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Stream -Header @{ 'X-Emulator-Greeting' = 'Piped on 5520' } -ErrorAction Stop 6>$null |
            ForEach-Object Content
        $content | Should -BeExactly 'Piped on 5520'
    }
}

Describe 'The emulator survives a Ctrl+C in its shell' -Skip:($IsWindows -or $PSVersionTable.PSVersion.Major -lt 6) {
    It 'keeps answering after SIGINT when started with --parent-pid' {
        $own = Start-TestServer -Configuration $Configuration
        # A control emulator without --parent-pid keeps the default console lifetime, which ends on SIGINT. Its exit
        # shows that a signal sent together with the one to $own was delivered and acted on: an ordering, not a timing.
        $control = $null
        try {
            $startInfo = [System.Diagnostics.ProcessStartInfo]::new($own.Process.StartInfo.FileName)
            $startInfo.ArgumentList.Add($own.Process.StartInfo.ArgumentList[0])
            $startInfo.UseShellExecute = $false
            $startInfo.RedirectStandardOutput = $true
            $startInfo.WorkingDirectory = $own.Process.StartInfo.WorkingDirectory
            $control = [System.Diagnostics.Process]::Start($startInfo)
            $ready = $control.StandardOutput.ReadLineAsync()
            $ready.Wait([TimeSpan]::FromSeconds(300)) | Should -BeTrue
            $ready.Result | Should -Match '^CloudflareAI emulator listening on '

            & kill -INT $own.Process.Id $control.Id
            $LASTEXITCODE | Should -Be 0
            # This bounds a hang; it does not measure speed.
            $control.WaitForExit(300000) | Should -BeTrue
            $own.Process.HasExited | Should -BeFalse
            Set-CloudflareEnvironment
            $run = New-Run
            $r = Invoke-AIChat 'still there?' -Provider cloudflare-workers-ai -BaseUrl ($own.Uri + '/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1') -Header @{ 'X-Emulator-Run' = $run } -ErrorAction Stop
            $r.Content | Should -Not -BeNullOrEmpty
            @(Get-TestServerRequest -Server $own -Run $run) | Should -HaveCount 1
            $own.Process.HasExited | Should -BeFalse
        }
        finally {
            if ($control -and -not $control.HasExited) { $control.Kill() }
            Stop-TestServer -Server $own
        }
    }

    It 'still exits when its parent dies' {
        $script = "Import-Module '$(Join-Path $PSScriptRoot 'TestServer.psm1')'; `$s = Start-TestServer -Configuration $Configuration; [Console]::Out.WriteLine(`"`$PID `$(`$s.Process.Id)`"); [Console]::Out.Flush(); Start-Sleep -Seconds 600"
        $parent = Invoke-ChildPwsh -PassThru -Command $script
        $emulator = $null
        $shell = $null
        try {
            $line = $parent.StandardOutput.ReadLineAsync()
            $line.Wait([TimeSpan]::FromSeconds(300)) | Should -BeTrue
            # The shell's own PID is the emulator's --parent-pid (a launcher may run the shell as a child of the process started here).
            $shellPid, $emulatorId = $line.Result -split ' '
            $shell = [System.Diagnostics.Process]::GetProcessById([int]$shellPid)
            $emulator = [System.Diagnostics.Process]::GetProcessById([int]$emulatorId)
            & kill -INT $emulator.Id
            $emulator.HasExited | Should -BeFalse
            $shell.Kill()
            $shell.WaitForExit()
            # The watchdog polls once a second; this bounds a hang, it does not measure speed.
            $emulator.WaitForExit(300000) | Should -BeTrue
        }
        finally {
            if ($shell -and -not $shell.HasExited) { $shell.Kill() }
            Stop-ChildPwsh -Process $parent
            if ($emulator -and -not $emulator.HasExited) { $emulator.Kill() }
        }
    }
}
