# Invoke-AIChat -Image against the loopback emulator: local files become data: URIs of the type their content says, URLs
# pass through where the host fetches them and are refused before sending on Cloudflare aliases, and every image the
# module cannot send is ImageInvalid before any request. The emulator's vision model (llama-4-scout) checks each data:
# URI as Workers AI does and answers with what it saw.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $PSScriptRoot 'TestServer.psm1') -Force
    $script:Saved = Save-AliasEnvironment
    $script:Server = Start-TestServer -Configuration $Configuration
    $script:WorkersBase = $Server.Uri + '/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1'
    $script:Vision = '@cf/meta/llama-4-scout-17b-16e-instruct'
    $script:Token = 'fake-vision-token-0123456789'

    $script:Folder = Join-Path ([System.IO.Path]::GetTempPath()) ('cfai-images-' + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory -Path $Folder
    # A real 1x1 PNG, and the first bytes of the other formats.
    $script:PngBytes = [Convert]::FromBase64String('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==')
    $script:Png = Join-Path $Folder 'pixel.png'
    [System.IO.File]::WriteAllBytes($Png, $PngBytes)
    $script:JpegNamedPng = Join-Path $Folder 'photo.png'
    [System.IO.File]::WriteAllBytes($JpegNamedPng, [byte[]](0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 74, 70, 73, 70, 0, 1))
    $script:Gif = Join-Path $Folder 'anim.gif'
    [System.IO.File]::WriteAllBytes($Gif, [System.Text.Encoding]::ASCII.GetBytes('GIF89a' + "`0" * 10))
    $script:WebP = Join-Path $Folder 'image.webp'
    [System.IO.File]::WriteAllBytes($WebP, [System.Text.Encoding]::ASCII.GetBytes('RIFF' + "`0" * 4 + 'WEBPVP8 '))
    $script:Text = Join-Path $Folder 'notes.png'
    Set-Content -LiteralPath $Text -Value 'not an image'

    function New-RunId { [guid]::NewGuid().ToString('n') }

    function Get-ImageUrl([string] $Run) {
        $body = (Get-TestServerRequest -Server $script:Server -Run $Run)[0].body | ConvertFrom-Json
        @($body.messages[-1].content | Where-Object type -EQ 'image_url' | ForEach-Object { $_.image_url.url })
    }
}

AfterAll {
    if ($script:Server) { Stop-TestServer -Server $script:Server }
    Restore-AliasEnvironment $script:Saved
    if ($script:Folder) { Remove-Item -LiteralPath $Folder -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'Invoke-AIChat -Image' {
    BeforeEach {
        Set-TestEnvironment @{ CLOUDFLARE_API_TOKEN = $Token; CLOUDFLARE_ACCOUNT_ID = $FakeAccountId }
    }

    It 'sends a local PNG as a data: URI in an image_url part after the prompt, and the vision model sees it' {
        $run = New-RunId
        $r = Invoke-AIChat 'What is in this picture?' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Model $Vision -Image $Png -Header @{ 'X-Emulator-Run' = $run } -ErrorAction Stop

        $r.Content | Should -Be 'I see 1 image(s): 1: image/png, 70 bytes, 1x1'
        $body = (Get-TestServerRequest -Server $Server -Run $run)[0].body | ConvertFrom-Json
        $content = $body.messages[-1].content
        $body.messages[-1].role | Should -Be 'user'
        $content[0].type | Should -Be 'text'
        $content[0].text | Should -Be 'What is in this picture?'
        $content[1].type | Should -Be 'image_url'
        $content[1].image_url.url | Should -Be ('data:image/png;base64,' + [Convert]::ToBase64String($PngBytes))
    }

    It 'tells the format from the content, in the order given: JPEG named .png, GIF, WebP' {
        $run = New-RunId
        $r = Invoke-AIChat 'Compare' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Model $Vision -Image $JpegNamedPng, $Gif, $WebP -Header @{ 'X-Emulator-Run' = $run } -ErrorAction Stop

        $urls = Get-ImageUrl $run
        $urls.Count | Should -Be 3
        $urls[0] | Should -BeLike 'data:image/jpeg;base64,*'
        $urls[1] | Should -BeLike 'data:image/gif;base64,*'
        $urls[2] | Should -BeLike 'data:image/webp;base64,*'
        $r.Content | Should -Be 'I see 3 image(s): 1: image/jpeg, 12 bytes; 2: image/gif, 16 bytes; 3: image/webp, 16 bytes'
    }

    It 'resolves a relative path against the current location' {
        Push-Location $Folder
        try { $r = Invoke-AIChat 'Look' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Model $Vision -Image ./pixel.png -ErrorAction Stop }
        finally { Pop-Location }
        $r.Content | Should -Match 'image/png, 70 bytes'
    }

    It 'sends the same images with every piped prompt' {
        $run = New-RunId
        $answers = @('first', 'second' | Invoke-AIChat -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Model $Vision -Image $Png -Header @{ 'X-Emulator-Run' = $run } -ErrorAction Stop)

        $answers.Content | Should -Be @('I see 1 image(s): 1: image/png, 70 bytes, 1x1', 'I see 1 image(s): 1: image/png, 70 bytes, 1x1')
        $sent = @(Get-TestServerRequest -Server $Server -Run $run | Sort-Object seq | ForEach-Object { ($_.body | ConvertFrom-Json).messages[-1].content[0].text })
        $sent | Should -Be @('first', 'second')
    }

    It 'refuses a URL on a Cloudflare alias before sending, with the reason' {
        $run = New-RunId
        $err = { Invoke-AIChat 'x' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Image 'https://example.test/cat.png' -Header @{ 'X-Emulator-Run' = $run } -ErrorAction Stop } |
            Should -Throw -ErrorId 'ImageInvalid,CloudflareAI.Commands.InvokeAIChatCommand' -PassThru

        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -Match 'only as data: URIs'
        $err.ErrorDetails.RecommendedAction | Should -Match 'Invoke-WebRequest'
        @(Get-TestServerRequest -Server $Server -Run $run).Count | Should -Be 0
    }

    It 'passes a URL through on other aliases' {
        $run = New-RunId
        $env:OPENAI_API_KEY = 'sk-fake-openai-0123456789'
        $r = Invoke-AIChat 'x' -Provider openai -BaseUrl ($Server.Uri + '/v1') -Model $Vision -Image 'https://example.test/cat.png', $Png -Header @{ 'X-Emulator-Run' = $run } -ErrorAction Stop

        Get-ImageUrl $run | Select-Object -First 1 | Should -Be 'https://example.test/cat.png'
        $r.Content | Should -Be 'I see 2 image(s): 1: URL https://example.test/cat.png; 2: image/png, 70 bytes, 1x1'
    }

    It 'is ImageInvalid before sending for <Case>' -ForEach @(
        @{ Case = 'a missing file'; Image = 'missing.png'; Pattern = 'does not exist' }
        @{ Case = 'a file that is not an image'; Image = 'notes.png'; Pattern = 'not a PNG, JPEG, GIF or WebP image' }
        @{ Case = 'a folder'; Image = '.'; Pattern = 'is a folder' }
    ) {
        $run = New-RunId
        $path = Join-Path $Folder $Image
        $err = { Invoke-AIChat 'x' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Image $path -Header @{ 'X-Emulator-Run' = $run } -ErrorAction Stop } |
            Should -Throw -ErrorId 'ImageInvalid,CloudflareAI.Commands.InvokeAIChatCommand' -PassThru

        $err.Exception.Message | Should -Match $Pattern
        @(Get-TestServerRequest -Server $Server -Run $run).Count | Should -Be 0
    }

    It 'is ImageInvalid for a file over 20 MB' {
        $big = Join-Path $Folder 'big.png'
        $stream = [System.IO.File]::Create($big)
        try { $stream.Write($PngBytes, 0, $PngBytes.Length); $stream.SetLength(20MB + 1) } finally { $stream.Dispose() }

        $err = { Invoke-AIChat 'x' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Image $big -ErrorAction Stop } |
            Should -Throw -ErrorId 'ImageInvalid,CloudflareAI.Commands.InvokeAIChatCommand' -PassThru
        $err.Exception.Message | Should -Match 'at most 20 MB'
        Remove-Item -LiteralPath $big
    }

    It 'the emulator refuses what Workers AI refuses: a data: URI whose bytes are not the type it names' {
        # The module never sends one; sent by hand in the history, it shows that the vision model really checks.
        $bad = @{ role = 'user'; content = @(@{ type = 'text'; text = 'x' }, @{ type = 'image_url'; image_url = @{ url = 'data:image/png;base64,' + [Convert]::ToBase64String([byte[]](0xFF, 0xD8, 0xFF, 0)) } }) }
        $errs = $null
        $null = Invoke-AIChat 'and this?' -Message $bad -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Model $Vision -ErrorVariable errs -ErrorAction SilentlyContinue

        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'ChatBadRequest,CloudflareAI.Commands.InvokeAIChatCommand'
        $errs[0].Exception.Message | Should -Match 'says image/png but holds image/jpeg'
    }
}
