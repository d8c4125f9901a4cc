# Help drift (STYLE.md, after the idea of PSReadLine's tools/CheckHelp.ps1): Get-Help over the built module's MAML
# must be complete for every exported cmdlet, and docs/en-US must describe the cmdlets as they are compiled, so a
# parameter added, renamed or removed in C# fails here until its page is updated.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $Cmdlets = @((Get-Module CloudflareAI).ExportedCmdlets.Keys | Sort-Object | ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:DocsDir = Join-Path $RepoRoot 'docs/en-US'
    # Common parameters are documented once, under CommonParameters; WhatIf and Confirm are the cmdlet's own business.
    $script:CommonNames = [System.Management.Automation.PSCmdlet]::CommonParameters

    function Get-DocLine([string] $Page) {
        @(Get-Content -LiteralPath (Join-Path $DocsDir $Page) -Encoding utf8)
    }

    # Which lines are headings: '#' lines outside ``` fences (a '# comment' in a code sample is not one).
    function Get-HeadingIndex([string[]] $Lines) {
        $inFence = $false
        for ($i = 0; $i -lt $Lines.Count; $i++) {
            if ($Lines[$i].StartsWith('```')) { $inFence = -not $inFence; continue }
            if (-not $inFence -and $Lines[$i] -match '^#{1,6} ') { $i }
        }
    }

    # The lines under a heading, up to the next heading of the same or a higher level.
    function Get-DocSection([string[]] $Lines, [string] $Heading) {
        $level = ($Heading -split ' ')[0].Length
        $headings = @(Get-HeadingIndex $Lines)
        $start = @($headings | Where-Object { $Lines[$_] -eq $Heading })
        if ($start.Count -ne 1) { throw "Expected one '$Heading' heading, found $($start.Count)." }
        $next = @($headings | Where-Object { $_ -gt $start[0] -and ($Lines[$_] -split ' ')[0].Length -le $level } | Select-Object -First 1)
        $end = if ($next) { $next[0] } else { $Lines.Count }
        if ($end -eq $start[0] + 1) { return @() }
        @($Lines[($start[0] + 1)..($end - 1)])
    }

    function ConvertTo-OneLine([string[]] $Lines) { (($Lines -join ' ') -replace '\s+', ' ').Trim() }

    # Each '### -Name' of the PARAMETERS section, with the key/value lines of its yaml block.
    function Get-DocParameter([string] $Command) {
        $lines = Get-DocSection (Get-DocLine "$Command.md") '## PARAMETERS'
        $result = [ordered]@{}
        $current = $null
        $inYaml = $false
        foreach ($line in $lines) {
            if ($line -match '^### -(\S+)\s*$') { $current = @{}; $result[$Matches[1]] = $current; $inYaml = $false; continue }
            if ($line -match '^### ') { $current = $null; continue }
            if ($null -eq $current) { continue }
            if ($line -eq '```yaml') { $inYaml = $true; continue }
            if ($line -eq '```') { $inYaml = $false; continue }
            if ($inYaml -and $line -match '^([^:]+):\s*(.*)$') { $current[$Matches[1]] = $Matches[2].Trim() }
        }
        $result
    }

    # The cmdlet's own parameters, as compiled: everything but the common parameters.
    function Get-OwnParameter([string] $Command) {
        @((Get-Command -Name $Command).Parameters.Values | Where-Object { $_.Name -notin $CommonNames } | Sort-Object Name)
    }

    function Get-HelpText($Block) { (@($Block) | Where-Object { $_ } | ForEach-Object { $_.Text }) -join "`n" }
}

Describe 'Help of <Name>' -ForEach $Cmdlets {
    BeforeAll {
        $script:Help = Get-Help -Name $Name -Full
        $script:Page = Get-DocLine "$Name.md"
    }

    It 'has a page docs/en-US/<Name>.md that declares itself as the help of this cmdlet' {
        $Page[0] | Should -Be '---'
        $Page | Should -Contain 'external help file: CloudflareAI.PowerShell.dll-Help.xml'
        $Page | Should -Contain "# $Name"
    }

    It 'has the synopsis written in docs/en-US/<Name>.md' {
        $synopsis = ConvertTo-OneLine (Get-DocSection $Page '## SYNOPSIS')
        $synopsis | Should -Not -BeNullOrEmpty
        # Without help, PowerShell makes a synopsis up from the syntax: "<Name> [-Param] <type> ...".
        $Help.Synopsis | Should -Not -BeLike "$Name *"
        ConvertTo-OneLine $Help.Synopsis | Should -BeExactly $synopsis
    }

    It 'has a description' {
        $text = Get-HelpText $Help.description
        $text.Length | Should -BeGreaterThan 100
        $text | Should -Match ([regex]::Escape($Name))
    }

    It 'has at least three examples, each with code and an explanation' {
        $examples = @($Help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 3
        foreach ($example in $examples) {
            $example.title | Should -Not -BeNullOrEmpty
            "$($example.code)".Trim() | Should -Not -BeNullOrEmpty -Because "$($example.title) needs code"
            (Get-HelpText $example.remarks).Trim() | Should -Not -BeNullOrEmpty -Because "$($example.title) needs an explanation"
        }
    }

    It 'describes every parameter in Get-Help, WhatIf and Confirm included' {
        $helpParameters = @{}
        foreach ($parameter in @($Help.parameters.parameter)) { $helpParameters[$parameter.name] = Get-HelpText $parameter.description }
        $undescribed = @(Get-OwnParameter $Name | Where-Object { -not "$($helpParameters[$_.Name])".Trim() } | ForEach-Object Name)
        $undescribed | Should -BeNullOrEmpty -Because 'every parameter needs a description in the help'
        $unknown = @($helpParameters.Keys | Where-Object { $_ -notin (Get-OwnParameter $Name).Name })
        $unknown | Should -BeNullOrEmpty -Because 'the help must not describe parameters the cmdlet does not have'
    }

    It 'has in docs/en-US/<Name>.md a ### -Parameter heading for exactly the parameters Get-Command shows' {
        $documented = @((Get-DocParameter $Name).Keys | Sort-Object)
        $compiled = @(Get-OwnParameter $Name | ForEach-Object Name)
        @($compiled | Where-Object { $_ -notin $documented }) | Should -BeNullOrEmpty -Because 'each parameter needs a ### -Name section'
        @($documented | Where-Object { $_ -notin $compiled }) | Should -BeNullOrEmpty -Because 'the page must not document parameters the cmdlet does not have'
        # CommonParameters is mentioned once, as PlatyPS writes it.
        $Page | Should -Contain '### CommonParameters'
    }

    It 'gives each parameter in docs/en-US/<Name>.md its compiled type, position, mandatory flag, aliases and pipeline input' {
        $documented = Get-DocParameter $Name
        $drift = foreach ($parameter in Get-OwnParameter $Name) {
            $doc = $documented[$parameter.Name]
            if (-not $doc) { continue }
            # One parameter set each (the pages say '(All)'): its attribute decides position, mandatory and pipeline input.
            $set = @($parameter.ParameterSets.Values)[0]
            $pipeline = @($(if ($set.ValueFromPipelineByPropertyName) { 'ByPropertyName' }), $(if ($set.ValueFromPipeline) { 'ByValue' })) | Where-Object { $_ }
            $expected = [ordered]@{
                'Type'                       = $parameter.ParameterType.Name
                'Required'                   = "$($set.IsMandatory)"
                'Position'                   = if ($set.Position -ge 0) { "$($set.Position)" } else { 'Named' }
                'Aliases'                    = $parameter.Aliases -join ', '
                'Accept pipeline input'      = if ($pipeline) { "True ($($pipeline -join ', '))" } else { 'False' }
                'Accept wildcard characters' = "$([bool]($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }))"
            }
            foreach ($key in $expected.Keys) {
                if ($doc[$key] -ne $expected[$key]) { "-$($parameter.Name) $($key): the page says '$($doc[$key])', the cmdlet has '$($expected[$key])'" }
            }
        }
        @($drift) | Should -BeNullOrEmpty
    }
}

Describe 'Module help' {
    It 'has a page in docs/en-US for every exported cmdlet and for no other cmdlet' {
        $pages = Get-ChildItem -LiteralPath $DocsDir -Filter *.md |
            Where-Object { $_.BaseName -ne 'CloudflareAI' -and $_.BaseName -notlike 'about_*' } | ForEach-Object BaseName | Sort-Object
        $pages | Should -Be @((Get-Module CloudflareAI).ExportedCmdlets.Keys | Sort-Object)
    }

    It 'lists every exported cmdlet in docs/en-US/CloudflareAI.md with the synopsis of its own page' {
        $lines = Get-DocLine 'CloudflareAI.md'
        $listed = @($lines | Where-Object { $_ -match '^### \[([^\]]+)\]\(\1\.md\)$' } | ForEach-Object { $_ -replace '^### \[([^\]]+)\].*$', '$1' })
        $listed | Sort-Object | Should -Be @((Get-Module CloudflareAI).ExportedCmdlets.Keys | Sort-Object)
        foreach ($name in $listed) {
            $onModulePage = ConvertTo-OneLine (Get-DocSection $lines "### [$name]($name.md)")
            $onOwnPage = ConvertTo-OneLine (Get-DocSection (Get-DocLine "$name.md") '## SYNOPSIS')
            $onModulePage | Should -BeExactly $onOwnPage -Because "CloudflareAI.md repeats the synopsis of $name.md"
        }
    }

    It 'Get-Help about_CloudflareAI returns the topic written in docs/en-US/about_CloudflareAI.md' {
        $text = Get-Help -Name about_CloudflareAI | Out-String
        $text | Should -Match '(?m)^\W*about_CloudflareAI\s*$'
        $lines = Get-DocLine 'about_CloudflareAI.md'
        $short = ConvertTo-OneLine (Get-DocSection $lines '## SHORT DESCRIPTION')
        $short | Should -Not -BeNullOrEmpty
        ConvertTo-OneLine ($text -split "`n") | Should -BeLike "*SHORT DESCRIPTION $short LONG DESCRIPTION*"
        # Every section of the page made it into the topic, in order.
        $headings = @(Get-HeadingIndex $lines | Where-Object { $lines[$_].StartsWith('## ') } | ForEach-Object { $lines[$_].Substring(3) })
        $headings.Count | Should -BeGreaterThan 5
        $positions = foreach ($heading in $headings) {
            $match = [regex]::Match($text, '(?m)^' + [regex]::Escape($heading) + '\s*$')
            $match.Success | Should -BeTrue -Because "the topic needs the '$heading' section"
            $match.Index
        }
        $positions | Should -Be @($positions | Sort-Object)
    }
}
