# Invoke-AIEmbedding against the loopback emulator: ordered vectors from piped texts, batching by -BatchSize, the default
# embedding models of the Cloudflare aliases, empty inputs, the per-request input limit, retries, errors, secrets,
# -ThrottleLimit, -WhatIf and the output's shape. The emulator's vectors are a function of the text alone, so a vector
# can be checked against the same text sent on its own.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $PSScriptRoot 'TestServer.psm1') -Force
    $script:Saved = Save-AliasEnvironment
    $script:Server = Start-TestServer -Configuration $Configuration
    $script:WorkersBase = $Server.Uri + '/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1'
    $script:GatewayBase = $Server.Uri + '/v1/${CLOUDFLARE_ACCOUNT_ID}/${CLOUDFLARE_GATEWAY_ID}/compat'
    $script:Token = 'fake-embedding-token-0123456789'

    function New-RunId { [guid]::NewGuid().ToString('n') }

    function Get-Sent([string] $Run) {
        @(Get-TestServerRequest -Server $script:Server -Run $Run | Sort-Object seq)
    }
}

AfterAll {
    if ($script:Server) { Stop-TestServer -Server $script:Server }
    Restore-AliasEnvironment $script:Saved
}

Describe 'Invoke-AIEmbedding' {
    BeforeEach {
        Set-TestEnvironment @{ CLOUDFLARE_API_TOKEN = $Token; CLOUDFLARE_ACCOUNT_ID = $FakeAccountId; CLOUDFLARE_GATEWAY_ID = 'test-gateway' }
    }

    It "gives three vectors in order for 'a','b','c' piped in, in one request with the default model" {
        $run = New-RunId
        $out = @('a', 'b', 'c' | Invoke-AIEmbedding -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Header @{ 'X-Emulator-Run' = $run } -ErrorAction Stop)

        $out.Count | Should -Be 3
        $out | ForEach-Object { $_ | Should -BeOfType ([CloudflareAI.Embedding]) }
        $out.Text | Should -Be @('a', 'b', 'c')
        $out.Index | Should -Be @(0, 1, 2)
        $out.Provider | Should -Be (@('cloudflare-workers-ai') * 3)
        $out.Model | Should -Be (@('@cf/baai/bge-m3') * 3)
        $out[0].Vector | Should -BeOfType ([float])
        $out[0].Vector.Count | Should -Be 1024
        $out[0].Dimensions | Should -Be 1024
        $sent = Get-Sent $run
        $sent.Count | Should -Be 1
        $sent[0].path | Should -BeLike '*/ai/v1/embeddings'
        $sent[0].headers.authorization | Should -Be "Bearer $Token"
        ($sent[0].body | ConvertFrom-Json).input | Should -Be @('a', 'b', 'c')
        ($sent[0].body | ConvertFrom-Json).model | Should -Be '@cf/baai/bge-m3'
        # Usage is on the first embedding of each request only.
        $out[0].Usage.PromptTokens | Should -BeGreaterThan 0
        $out[1].Usage | Should -BeNullOrEmpty
    }

    It 'each vector belongs to its text: the same as that text embedded alone' {
        $many = @('alpha', 'beta', 'gamma', 'delta' | Invoke-AIEmbedding -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -BatchSize 3 -ErrorAction Stop)
        $alone = Invoke-AIEmbedding 'gamma' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -ErrorAction Stop

        $many[2].Text | Should -Be 'gamma'
        $many[2].Vector | Should -Be $alone.Vector
        $many[1].Vector | Should -Not -Be $alone.Vector
    }

    It 'gathers 250 piped texts into requests of -BatchSize and keeps input order at -ThrottleLimit 4' {
        $run = New-RunId
        $texts = 1..250 | ForEach-Object { "text number $_" }
        $headers = @{ 'X-Emulator-Run' = $run; 'X-Emulator-Latency-Ms' = '30' }
        $out = @($texts | Invoke-AIEmbedding -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -BatchSize 40 -ThrottleLimit 4 -Dimensions 8 -Header $headers -ErrorAction Stop)

        $out.Count | Should -Be 250
        $out.Text | Should -Be $texts
        $out.Index | Should -Be (0..249)
        $out[0].Dimensions | Should -Be 8
        $sent = Get-Sent $run
        $sent.Count | Should -Be 7
        ($sent | ForEach-Object { ($_.body | ConvertFrom-Json).input.Count }) | Sort-Object | Should -Be @(10, 40, 40, 40, 40, 40, 40)
        ($sent[0].body | ConvertFrom-Json).dimensions | Should -Be 8
        (Get-TestServerStatus -Server $Server -Run $run).run.peakInFlight | Should -BeLessOrEqual 4
    }

    It 'binds -Text by property name and takes an array from the command line' {
        $byName = @([pscustomobject]@{ Text = 'from a property' } | Invoke-AIEmbedding -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -ErrorAction Stop)
        $array = @(Invoke-AIEmbedding -Text 'x', 'y' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -ErrorAction Stop)

        $byName.Text | Should -Be 'from a property'
        $array.Text | Should -Be @('x', 'y')
    }

    It 'refuses an empty text on its own with EmbeddingInputInvalid and embeds the rest' {
        $run = New-RunId
        $errs = $null
        $out = @('one', '', 'three' | Invoke-AIEmbedding -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Header @{ 'X-Emulator-Run' = $run } -ErrorVariable errs -ErrorAction SilentlyContinue)

        $out.Text | Should -Be @('one', 'three')
        $out.Index | Should -Be @(0, 2)
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'EmbeddingInputInvalid,CloudflareAI.Commands.InvokeAIEmbeddingCommand'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $errs[0].ErrorDetails.RecommendedAction | Should -Match 'Where-Object'
        ((Get-Sent $run)[0].body | ConvertFrom-Json).input | Should -Be @('one', 'three')
    }

    It 'uses each Cloudflare alias default embedding model' {
        $run = New-RunId
        $null = Invoke-AIEmbedding 'g' -Provider cloudflare-ai-gateway -BaseUrl $GatewayBase -Header @{ 'X-Emulator-Run' = $run } -ErrorAction Stop
        $null = Invoke-AIEmbedding 'r' -Provider cloudflare-ai-gateway-rest -BaseUrl $WorkersBase -Header @{ 'X-Emulator-Run' = $run } -ErrorAction Stop
        $sent = Get-Sent $run

        ($sent[0].body | ConvertFrom-Json).model | Should -Be 'workers-ai/@cf/baai/bge-m3'
        $sent[0].path | Should -BeLike '*/compat/embeddings'
        $sent[0].headers.authorization | Should -Be "Bearer $Token"
        ($sent[1].body | ConvertFrom-Json).model | Should -Be '@cf/baai/bge-m3'
        $sent[1].headers.'cf-aig-gateway-id' | Should -Be 'test-gateway'
    }

    It 'needs -Model on an alias without a default embedding model (ModelNotSpecified)' {
        $env:OPENAI_API_KEY = 'sk-fake-openai-0123456789'
        { Invoke-AIEmbedding 'x' -Provider openai -BaseUrl ($Server.Uri + '/v1') -ErrorAction Stop } |
            Should -Throw -ErrorId 'ModelNotSpecified,CloudflareAI.Commands.InvokeAIEmbeddingCommand'
        $out = Invoke-AIEmbedding 'x' -Provider openai -BaseUrl ($Server.Uri + '/v1') -Model text-embedding-3-small -ErrorAction Stop
        $out.Model | Should -Be 'text-embedding-3-small'
    }

    It "uses a user alias's defaultEmbeddingModel from the providers file" {
        $saved = $env:CLOUDFLAREAI_PROVIDERS_FILE
        $folder = Join-Path ([System.IO.Path]::GetTempPath()) ('cfai-embed-' + [guid]::NewGuid().ToString('n'))
        $null = New-Item -ItemType Directory -Path $folder
        try {
            $env:CLOUDFLAREAI_PROVIDERS_FILE = Join-Path $folder 'providers.json'
            $file = @{ providers = @(@{ name = 'lab-embed'; baseUrl = $Server.Uri + '/v1'; defaultEmbeddingModel = 'lab/embedder-small' }) } | ConvertTo-Json -Depth 5
            [System.IO.File]::WriteAllText($env:CLOUDFLAREAI_PROVIDERS_FILE, $file)
            $run = New-RunId
            $out = @('x', 'y' | Invoke-AIEmbedding -Provider lab-embed -Header @{ 'X-Emulator-Run' = $run } -ErrorAction Stop)

            $out.Model | Should -Be @('lab/embedder-small', 'lab/embedder-small')
            $out.Provider | Should -Be @('lab-embed', 'lab-embed')
            $sent = Get-Sent $run
            $sent[0].path | Should -Be '/v1/embeddings'
            ($sent[0].body | ConvertFrom-Json).model | Should -Be 'lab/embedder-small'
        }
        finally {
            $env:CLOUDFLAREAI_PROVIDERS_FILE = $saved
            Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue
        }
    }

    It 'reports a request over the host input limit as ChatBadRequest with the Workers AI reason' {
        $errs = $null
        $out = @(1..101 | ForEach-Object { "t$_" } | Invoke-AIEmbedding -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -BatchSize 101 -ErrorVariable errs -ErrorAction SilentlyContinue)

        $out.Count | Should -Be 0
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'ChatBadRequest,CloudflareAI.Commands.InvokeAIEmbeddingCommand'
        $errs[0].Exception.Message | Should -Match 'at most 100 items'
        $errs[0].TargetObject.Count | Should -Be 101
        $errs[0].ErrorDetails.RecommendedAction | Should -Match '-BatchSize; Workers AI takes at most 100'
    }

    It 'retries a 503 like a chat call and answers once' {
        $run = New-RunId
        $headers = @{ 'X-Emulator-Run' = $run; 'X-Emulator-Scenario' = 'unavailable; times=1; retryAfter=0' }
        $out = @('p', 'q' | Invoke-AIEmbedding -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Header $headers -ErrorAction Stop)

        $out.Text | Should -Be @('p', 'q')
        (Get-Sent $run).Count | Should -Be 2
    }

    It 'goes on with later requests after one fails' {
        $run = New-RunId
        $headers = @{ 'X-Emulator-Run' = $run; 'X-Emulator-Scenario' = 'forbidden; times=1' }
        $errs = $null
        $out = @('a', 'b', 'c', 'd' | Invoke-AIEmbedding -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -BatchSize 2 -Header $headers -ErrorVariable errs -ErrorAction SilentlyContinue)

        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'ChatAuthenticationFailed,CloudflareAI.Commands.InvokeAIEmbeddingCommand'
        $errs[0].TargetObject | Should -Be @('a', 'b')
        $out.Text | Should -Be @('c', 'd')
    }

    It 'never shows the token, also when the server echoes it' {
        $headers = @{ 'X-Emulator-Scenario' = 'echo-token' }
        $errs = $null
        $all = Invoke-AIEmbedding 'x' -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Header $headers -Verbose -Debug -ErrorVariable errs -ErrorAction SilentlyContinue 5>&1 *>&1 | Out-String

        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'ChatAuthenticationFailed,CloudflareAI.Commands.InvokeAIEmbeddingCommand'
        ($errs[0] | Out-String) + $all | Should -Not -Match ([regex]::Escape($Token))
        $all | Should -Match ([regex]::Escape('POST ' + $Server.Uri + '/client/v4/accounts/'))
    }

    It 'sends nothing with -WhatIf and names each request' {
        $run = New-RunId
        $null = 'a', 'b', 'c' | Invoke-AIEmbedding -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -BatchSize 2 -Header @{ 'X-Emulator-Run' = $run } -WhatIf
        (Get-Sent $run).Count | Should -Be 0

        # What-if lines go to the host, so a child process shows them.
        $out = (Invoke-ChildPwsh -ImportModule -Command "'a', 'b', 'c' | Invoke-AIEmbedding -Provider cloudflare-workers-ai -BaseUrl '$WorkersBase' -BatchSize 2 -WhatIf").Text
        $out | Should -Not -Match ([regex]::Escape($Token))
        $out | Should -Match 'What if: .*POST http://127\.0\.0\.1:\d+/client/v4/accounts/0123456789abcdef0123456789abcdef/ai/v1/embeddings \(2 text\(s\) from input 0\)'
        $out | Should -Match '\(1 text\(s\) from input 2\)'
    }

    It 'shows a table with the index, text, dimensions, the start of the vector and the model' {
        $text = 'a', 'b' | Invoke-AIEmbedding -Provider cloudflare-workers-ai -BaseUrl $WorkersBase -Dimensions 4 -ErrorAction Stop | Out-String -Width 120

        $text | Should -Match 'Index\s+Text\s+Dimensions\s+Vector\s+Model'
        $text | Should -Match '\s0 a\s+4 -?\d\.\d{4}, -?\d\.\d{4}, -?\d\.\d{4}, …\s+@cf/baai/bge-m3'
    }

    It 'is exported, with completers on -Provider and -Model' {
        $command = Get-Command Invoke-AIEmbedding -Module CloudflareAI
        $command | Should -Not -BeNullOrEmpty
        $command.OutputType.Type | Should -Contain ([CloudflareAI.Embedding])
        $command.Parameters['Provider'].Attributes.Where({ $_ -is [ArgumentCompleter] }).Count | Should -Be 1
        $command.Parameters['Model'].Attributes.Where({ $_ -is [ArgumentCompleter] }).Count | Should -Be 1
        $command.Parameters['Text'].Attributes.Where({ $_ -is [Parameter] })[0].ValueFromPipelineByPropertyName | Should -BeTrue
    }
}
