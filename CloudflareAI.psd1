@{
    # The build stamps ModuleVersion from Directory.Build.props; this source copy keeps a placeholder.
    RootModule             = 'CloudflareAI.PowerShell.dll'
    ModuleVersion          = '0.0.0'
    GUID                   = '4f0c5a7e-2b8d-4e51-9c3a-7d1e6b2f9a40'
    Author                 = 'CloudflareAI contributors'
    CompanyName            = 'CloudflareAI contributors'
    Copyright              = '(c) CloudflareAI contributors. MIT licence.'
    Description            = 'Call Cloudflare Workers AI, Cloudflare AI Gateway and other OpenAI-compatible chat hosts through named provider aliases configured by environment variables.'
    # 5.1 for Windows PowerShell; on PowerShell 7 the module itself refuses runtimes older than .NET 8 (7.0-7.3) at import.
    PowerShellVersion      = '5.1'
    CompatiblePSEditions   = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess       = @('CloudflareAI.Format.ps1xml')
    CmdletsToExport        = @('Get-AIProviderAlias', 'Test-AIProviderEnvironment', 'Invoke-AIChat', 'Get-AIModel', 'Invoke-AIEmbedding', 'Register-AIProviderAlias', 'Unregister-AIProviderAlias', 'New-AITool')
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('Cloudflare', 'WorkersAI', 'AIGateway', 'OpenAI', 'LLM', 'Chat', 'AI', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://github.com/cloudflareai-pwsh/CloudflareAI/blob/main/LICENSE'
            ProjectUri   = 'https://github.com/cloudflareai-pwsh/CloudflareAI'
            ReleaseNotes = 'See https://github.com/cloudflareai-pwsh/CloudflareAI/releases'
        }
    }
}
