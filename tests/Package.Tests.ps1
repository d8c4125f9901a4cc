# build.ps1 -Task Package runs tools/Package.ps1; this runs the same script against the module the Test task built,
# with a temporary output folder, and checks its .nupkg independently of the script's own round trip.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Manifest = Get-ChildItem -Path $ModulePath -Filter CloudflareAI.psd1 -Recurse | Select-Object -First 1
    $script:BuiltDir = $Manifest.Directory.FullName
    $script:Version = $Manifest.Directory.Name
    $script:PackageScript = Join-Path $RepoRoot 'tools/Package.ps1'
    $script:Work = Join-Path ([System.IO.Path]::GetTempPath()) ('cfai-package-tests-' + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory -Path $Work
    Import-Module Microsoft.PowerShell.PSResourceGet -ErrorAction Stop
    Add-Type -AssemblyName System.IO.Compression.FileSystem
    $script:RepositoriesBefore = @(Get-PSResourceRepository | ForEach-Object Name | Sort-Object)

    function Get-RelativeFileList([string] $Directory) {
        Get-ChildItem -LiteralPath $Directory -Recurse -File |
            ForEach-Object { [System.IO.Path]::GetRelativePath($Directory, $_.FullName).Replace('\', '/') } |
            Sort-Object
    }

    # The synopsis as written in docs/en-US/<cmdlet>.md: the source the MAML is built from.
    function Get-MarkdownSynopsis([string] $Command) {
        $lines = @(Get-Content -LiteralPath (Join-Path $RepoRoot "docs/en-US/$Command.md"))
        $start = [array]::IndexOf($lines, '## SYNOPSIS') + 1
        if ($start -eq 0) { throw "docs/en-US/$Command.md has no '## SYNOPSIS' section." }
        $end = $start
        while ($end -lt $lines.Count -and -not $lines[$end].StartsWith('## ')) { $end++ }
        (($lines[$start..($end - 1)] -join ' ') -replace '\s+', ' ').Trim()
    }
}

AfterAll {
    if ($script:Work -and (Test-Path -LiteralPath $script:Work)) { Remove-Item -LiteralPath $script:Work -Recurse -Force }
}

Describe 'tools/Package.ps1 (build.ps1 -Task Package)' {
    Context 'with the built module' {
        BeforeAll {
            $script:Out = Join-Path $Work 'package'
            # Its progress lines go to the host (stream 6); the .nupkg comes back as a FileInfo.
            $script:Nupkg = & $PackageScript -ModuleDir $BuiltDir -OutputDirectory $Out 6>$null
        }

        It 'writes CloudflareAI.<version>.nupkg to the output directory and returns it' {
            $expected = Join-Path $Out "CloudflareAI.$Version.nupkg"
            @($Nupkg).Count | Should -Be 1
            $Nupkg | Should -BeOfType [System.IO.FileInfo]
            $Nupkg.FullName | Should -Be (Get-Item -LiteralPath $expected).FullName
            $Nupkg.Length | Should -BeGreaterThan 100KB
            @(Get-ChildItem -LiteralPath $Out).Name | Should -Be @("CloudflareAI.$Version.nupkg")
        }

        It 'packs exactly the files of the built module, with the manifest''s metadata in the nuspec' {
            $zip = [System.IO.Compression.ZipFile]::OpenRead($Nupkg.FullName)
            try {
                $entries = @($zip.Entries | ForEach-Object FullName)
                $nuspecEntry = $zip.GetEntry('CloudflareAI.nuspec')
                $reader = [System.IO.StreamReader]::new($nuspecEntry.Open())
                try { [xml] $nuspec = $reader.ReadToEnd() } finally { $reader.Dispose() }
            }
            finally { $zip.Dispose() }
            # NuGet's own parts are not module files.
            $packed = $entries | Where-Object { $_ -notmatch '^(_rels/|package/|\[Content_Types\]\.xml$|CloudflareAI\.nuspec$)' } | Sort-Object
            $packed | Should -Be @(Get-RelativeFileList $BuiltDir)
            $packed | Should -Contain 'en-US/CloudflareAI.PowerShell.dll-Help.xml'
            $packed | Should -Contain 'dependencies/System.Text.Json.dll'

            $data = Import-PowerShellDataFile -LiteralPath $Manifest.FullName
            $nuspec.package.metadata.id | Should -Be 'CloudflareAI'
            $nuspec.package.metadata.version | Should -Be $Version
            $nuspec.package.metadata.description | Should -Be $data.Description
            $nuspec.package.metadata.projectUrl | Should -Be $data.PrivateData.PSData.ProjectUri
            $nuspec.package.metadata.tags -split ' ' | Should -Contain 'PSModule'
        }

        It 'gives a package that imports in a fresh pwsh and shows the help written in docs/en-US' {
            # Unpacked as an installed module would be: <folder>/CloudflareAI/<version>/, without NuGet's parts.
            $unpacked = Join-Path $Work "unpacked/CloudflareAI/$Version"
            [System.IO.Compression.ZipFile]::ExtractToDirectory($Nupkg.FullName, $unpacked)
            Remove-Item -LiteralPath (Join-Path $unpacked '_rels'), (Join-Path $unpacked 'package'),
                (Join-Path $unpacked '[Content_Types].xml'), (Join-Path $unpacked 'CloudflareAI.nuspec') -Recurse -Force
            $psd1 = Join-Path $unpacked 'CloudflareAI.psd1'
            $command = "Import-Module '$($psd1.Replace("'", "''"))' -ErrorAction Stop; " +
                "Get-Command -Module CloudflareAI | Sort-Object Name | ForEach-Object { [pscustomobject]@{ Name = `$_.Name; " +
                "Synopsis = ((Get-Help `$_.Name).Synopsis -replace '\s+', ' ').Trim() } } | ConvertTo-Json -Compress"
            $run = Invoke-ChildPwsh -Command $command
            $run.ExitCode | Should -Be 0 -Because $run.Text
            $seen = @($run.Lines | Where-Object { $_.StartsWith('[') })[-1] | ConvertFrom-Json
            $seen.Name | Should -Be @('Get-AIModel', 'Get-AIProviderAlias', 'Invoke-AIChat', 'Invoke-AIEmbedding', 'New-AITool', 'Register-AIProviderAlias', 'Test-AIProviderEnvironment', 'Unregister-AIProviderAlias')
            foreach ($entry in $seen) {
                $entry.Synopsis | Should -BeExactly (Get-MarkdownSynopsis $entry.Name) -Because "Get-Help $($entry.Name) must show the synopsis of docs/en-US/$($entry.Name).md"
            }
        }

        It 'leaves no temporary repository registered' {
            @(Get-PSResourceRepository | ForEach-Object Name | Sort-Object) | Should -Be $RepositoriesBefore
        }
    }

    Context 'with a module that does not import' {
        It 'fails, deletes its .nupkg and unregisters its temporary repository' {
            # A truncated cmdlet assembly: the manifest is fine and the package builds, but Import-Module fails.
            $broken = Join-Path $Work "broken/CloudflareAI/$Version"
            $null = New-Item -ItemType Directory -Path (Split-Path $broken -Parent)
            Copy-Item -LiteralPath $BuiltDir -Destination $broken -Recurse
            $dll = Join-Path $broken 'CloudflareAI.PowerShell.dll'
            $bytes = [System.IO.File]::ReadAllBytes($dll)
            [System.IO.File]::WriteAllBytes($dll, $bytes[0..1023])
            $out = Join-Path $Work 'broken-package'

            { & $PackageScript -ModuleDir $broken -OutputDirectory $out 6>$null } |
                Should -Throw -ExpectedMessage '*could not import the installed module*'
            @(Get-ChildItem -LiteralPath $out) | Should -BeNullOrEmpty
            @(Get-PSResourceRepository | ForEach-Object Name | Sort-Object) | Should -Be $RepositoriesBefore
        }
    }
}
