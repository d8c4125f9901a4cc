BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Manifest = Get-ChildItem -Path $script:ModulePath -Filter CloudflareAI.psd1 -Recurse | Select-Object -First 1
}

Describe 'The built module' {
    It 'has a manifest that Test-ModuleManifest accepts, with the version from Directory.Build.props' {
        $info = Test-ModuleManifest -Path $Manifest.FullName
        [xml] $props = Get-Content (Join-Path $RepoRoot 'Directory.Build.props') -Raw
        $expected = $props.Project.PropertyGroup.Version | Where-Object { $_ } | Select-Object -First 1
        $info.Version.ToString() | Should -Be $expected
        $Manifest.Directory.Name | Should -Be $expected
    }

    It 'targets Windows PowerShell 5.1 and PowerShell 7 and exports exactly the six cmdlets' {
        $data = Import-PowerShellDataFile -Path $Manifest.FullName
        $data.PowerShellVersion | Should -Be '5.1'
        $data.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $data.CmdletsToExport | Sort-Object | Should -Be @('Get-AIModel', 'Get-AIProviderAlias', 'Invoke-AIChat', 'Invoke-AIEmbedding', 'New-AITool', 'Register-AIProviderAlias', 'Test-AIProviderEnvironment', 'Unregister-AIProviderAlias')
        $data.FormatsToProcess | Should -Be @('CloudflareAI.Format.ps1xml')
        $data.PrivateData.PSData.Tags | Should -Contain 'Cloudflare'
        $data.PrivateData.PSData.ProjectUri | Should -Match '^https://'
        $data.PrivateData.PSData.LicenseUri | Should -Match '^https://'
    }

    It 'ships System.Text.Json 8.0.x and its companions under dependencies/ for Windows PowerShell 5.1' {
        $deps = Join-Path $Manifest.Directory.FullName 'dependencies'
        $stj = Get-Item (Join-Path $deps 'System.Text.Json.dll')
        $stj.VersionInfo.FileVersion | Should -Match '^8\.0\.'
        (Get-ChildItem $deps -Filter *.dll).Count | Should -Be 8
    }

    It 'imports in a fresh pwsh and lists every expected alias' {
        $run = Invoke-ChildPwsh -ImportModule -Command '(Get-AIProviderAlias | Measure-Object).Count'
        $run.ExitCode | Should -Be 0 -Because $run.Text
        $run.StdOut | Should -Be ([string]@($ExpectedAliases).Count)
    }

    It 'names its cmdlet classes in CloudflareAI.Commands and output types in CloudflareAI' {
        (Get-Command Get-AIProviderAlias).ImplementingType.FullName | Should -Be 'CloudflareAI.Commands.GetAIProviderAliasCommand'
        (Get-Command Test-AIProviderEnvironment).ImplementingType.FullName | Should -Be 'CloudflareAI.Commands.TestAIProviderEnvironmentCommand'
        (Get-Command Get-AIProviderAlias).OutputType.Name | Should -Contain 'CloudflareAI.ProviderAlias'
        (Get-Command Test-AIProviderEnvironment).OutputType.Name | Should -Contain 'CloudflareAI.ProviderEnvironmentResult'
    }
}
