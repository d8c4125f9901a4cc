# Test-AIProviderEnvironment -Online over the built module against the emulator: every check passing and failing, the
# -Quiet CI gate, unreachable and silent hosts, parameter rules, and no secret in any stream. The emulator is steered by
# the token's value and the gateway id (tests/CloudflareAI.TestServer/README.md, "Account API").

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $PSScriptRoot 'TestServer.psm1') -Force
    $script:Saved = Save-AliasEnvironment
    $script:Server = Start-TestServer -Configuration $Configuration
    $script:WorkersBase = $Server.Uri + '/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1'
    $script:GatewayBase = $Server.Uri + '/v1/${CLOUDFLARE_ACCOUNT_ID}/${CLOUDFLARE_GATEWAY_ID}/compat'
    $script:Token = 'fake-online-token-DO-NOT-PRINT'
    $script:Cmdlet = 'CloudflareAI.Commands.TestAIProviderEnvironmentCommand'

    function Set-Cloudflare([string] $Token = $script:Token, [string] $Gateway = 'online-gw') {
        Set-TestEnvironment @{ CLOUDFLARE_ACCOUNT_ID = $FakeAccountId; CLOUDFLARE_API_TOKEN = $Token; CLOUDFLARE_GATEWAY_ID = $Gateway }
    }

    function Get-Request { @(Get-TestServerRequest -Server $Server) }

    function Get-Check($Result, [string] $Name) { @($Result.Checks | Where-Object Name -EQ $Name) }

    # A loopback port with nothing listening: connections are refused at once.
    function Get-ClosedPort {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $port = $listener.LocalEndpoint.Port
        $listener.Stop()
        $port
    }
}

AfterAll {
    if ($script:Server) { Stop-TestServer -Server $script:Server }
    Restore-AliasEnvironment $script:Saved
}

Describe 'Test-AIProviderEnvironment -Online, Cloudflare Workers AI' {
    BeforeEach { Clear-TestServerRequest -Server $Server }

    It 'passes the token, catalog and default-model checks against a healthy account, with the API token in Authorization' {
        Set-Cloudflare
        $r = Test-AIProviderEnvironment cloudflare-workers-ai -Online -BaseUrl $WorkersBase
        $r.IsReady | Should -BeTrue
        @($r.Checks.Name) | Should -Be @('Token', 'Models', 'DefaultModel')
        $r.Checks[0].PSObject.TypeNames[0] | Should -Be 'CloudflareAI.EnvironmentCheck'
        $r.Checks | ForEach-Object { $_.Passed | Should -BeTrue; "$($_.Level)" | Should -Be 'Passed' }
        $r.Checks[0].Message | Should -Be 'CLOUDFLARE_API_TOKEN is valid and active (a user token).'
        $r.Checks[2].Message | Should -BeLike "The default model $((Get-AIProviderAlias cloudflare-workers-ai).DefaultModel) is in the catalog*"

        $requests = Get-Request
        $requests[0].path | Should -Be '/client/v4/user/tokens/verify'
        # Then every page of the text-generation catalog, and nothing else.
        $pages = @($requests | Select-Object -Skip 1)
        $pages.Count | Should -BeGreaterThan 0
        $pages | ForEach-Object { $_.path | Should -Be "/client/v4/accounts/$FakeAccountId/ai/models/search"; $_.query | Should -Match 'task=Text%20Generation' }
        $pages[-1].query | Should -Match "page=$($pages.Count)(&|$)"
        $requests | ForEach-Object { $_.method | Should -Be 'GET'; $_.headers.authorization | Should -BeExactly "Bearer $Token" }
    }

    It 'is the CI gate with -Quiet: $true against a healthy emulator, $false with a revoked token' {
        Set-Cloudflare
        $answer = Test-AIProviderEnvironment cloudflare-workers-ai -Online -Quiet -BaseUrl $WorkersBase
        @($answer).Count | Should -Be 1
        $answer | Should -BeOfType [bool]
        $answer | Should -BeTrue

        Set-Cloudflare -Token 'fake-revoked-token'
        $answer = Test-AIProviderEnvironment cloudflare-workers-ai -Online -Quiet -BaseUrl $WorkersBase -ErrorVariable errs
        @($answer).Count | Should -Be 1
        $answer | Should -BeFalse
        $errs | Should -BeNullOrEmpty
    }

    It 'passes an account-owned token on the account form after the user form refuses it' {
        Set-Cloudflare -Token 'fake-account-owned-token'
        $r = Test-AIProviderEnvironment cloudflare-workers-ai -Online -BaseUrl $WorkersBase
        $r.IsReady | Should -BeTrue
        (Get-Check $r Token).Message | Should -Be 'CLOUDFLARE_API_TOKEN is valid and active (an account-owned token).'
        @((Get-Request).path)[0..1] | Should -Be @('/client/v4/user/tokens/verify', "/client/v4/accounts/$FakeAccountId/tokens/verify")
    }

    It 'fails a revoked token with the fix, and asks nothing after it' {
        Set-Cloudflare -Token 'fake-revoked-token'
        $r = Test-AIProviderEnvironment cloudflare-workers-ai -Online -BaseUrl $WorkersBase
        $r.IsReady | Should -BeFalse
        $check = Get-Check $r Token
        $check.Passed | Should -BeFalse
        "$($check.Level)" | Should -Be 'Failed'
        $check.Message | Should -Match 'Invalid API Token \(code 1000\)'
        $check.Message | Should -Match ([regex]::Escape("`$env:CLOUDFLARE_API_TOKEN = '...'"))
        @($r.Checks).Count | Should -Be 1
        @((Get-Request).path) | Should -Be @('/client/v4/user/tokens/verify', "/client/v4/accounts/$FakeAccountId/tokens/verify")
    }

    It 'fails a token that Cloudflare reports as expired' {
        Set-Cloudflare -Token 'fake-expired-token'
        $r = Test-AIProviderEnvironment cloudflare-workers-ai -Online -BaseUrl $WorkersBase
        $r.IsReady | Should -BeFalse
        (Get-Check $r Token).Message | Should -Match "status 'expired'"
    }

    It 'fails the catalog check for a token without Workers AI Read' {
        Set-Cloudflare -Token 'fake-no-workers-ai-token'
        $r = Test-AIProviderEnvironment cloudflare-workers-ai -Online -BaseUrl $WorkersBase
        $r.IsReady | Should -BeFalse
        (Get-Check $r Token).Passed | Should -BeTrue
        $models = Get-Check $r Models
        $models.Passed | Should -BeFalse
        $models.Message | Should -Match 'Workers AI Read'
        Get-Check $r DefaultModel | Should -BeNullOrEmpty
    }

    It 'fails the default-model check when the catalog no longer has the default, naming Get-AIModel' {
        Set-Cloudflare -Token 'fake-retired-default-token'
        $r = Test-AIProviderEnvironment cloudflare-workers-ai -Online -BaseUrl $WorkersBase
        $r.IsReady | Should -BeFalse
        $check = Get-Check $r DefaultModel
        $check.Passed | Should -BeFalse
        $check.Message | Should -Match 'not in the account''s catalog'
        $check.Message | Should -Match 'Get-AIModel -Provider cloudflare-workers-ai'
    }

    It 'makes no check and sends nothing when the offline checks fail' {
        Set-TestEnvironment @{ CLOUDFLARE_API_TOKEN = $Token }
        $r = Test-AIProviderEnvironment cloudflare-workers-ai -Online -BaseUrl $WorkersBase
        $r.IsReady | Should -BeFalse
        $r.MissingVariables | Should -Be @('CLOUDFLARE_ACCOUNT_ID')
        $r.Checks | Should -BeNullOrEmpty
        Get-Request | Should -BeNullOrEmpty
    }

    It 'shows the checks in the default view, one line each, and no Checks line without -Online' {
        Set-Cloudflare -Token 'fake-revoked-token'
        $text = Test-AIProviderEnvironment cloudflare-workers-ai -Online -BaseUrl $WorkersBase | Out-String -Width 300
        $text | Should -Match 'IsReady\s+:\s+False'
        $text | Should -Match 'Checks\s+:\s+\[Failed\] Token: Cloudflare does not accept CLOUDFLARE_API_TOKEN'
        (Test-AIProviderEnvironment cloudflare-workers-ai | Out-String -Width 300) | Should -Not -Match 'Checks'
        ((Test-AIProviderEnvironment cloudflare-workers-ai -Online -BaseUrl $WorkersBase).Checks | Out-String -Width 300) | Should -Match 'Token\s+Failed\s+Cloudflare'
    }
}

Describe 'Test-AIProviderEnvironment -Online, the AI Gateway' {
    BeforeEach { Clear-TestServerRequest -Server $Server }

    It 'looks the gateway up on the API origin and checks the prefixed default model' {
        Set-Cloudflare
        $r = Test-AIProviderEnvironment cloudflare-ai-gateway -Online -BaseUrl $GatewayBase
        $r.IsReady | Should -BeTrue
        @($r.Checks.Name) | Should -Be @('Token', 'Models', 'Gateway', 'DefaultModel')
        (Get-Check $r Gateway).Message | Should -Be "The gateway 'online-gw' exists in the account."
        (Get-Check $r DefaultModel).Message | Should -BeLike 'The default model workers-ai/@cf/* is in the catalog*'
        $lookup = @(Get-Request | Where-Object path -Like '*/ai-gateway/*')
        $lookup.Count | Should -Be 1
        $lookup[0].path | Should -Be "/client/v4/accounts/$FakeAccountId/ai-gateway/gateways/online-gw"
        $lookup[0].headers.authorization | Should -BeExactly "Bearer $Token"
        # The API takes the API token; the gateway's own header is for chat only.
        $lookup[0].headers.PSObject.Properties['cf-aig-authorization'] | Should -BeNullOrEmpty
    }

    It 'fails for a gateway the account does not have (404)' {
        Set-Cloudflare -Gateway 'missing-gateway'
        $r = Test-AIProviderEnvironment cloudflare-ai-gateway -Online -BaseUrl $GatewayBase
        $r.IsReady | Should -BeFalse
        $check = Get-Check $r Gateway
        "$($check.Level)" | Should -Be 'Failed'
        $check.Message | Should -Match "no gateway 'missing-gateway'"
        $check.Message | Should -Match ([regex]::Escape("`$env:CLOUDFLARE_GATEWAY_ID = '...'"))
        Test-AIProviderEnvironment cloudflare-ai-gateway -Online -Quiet -BaseUrl $GatewayBase | Should -BeFalse
    }

    It 'only warns when the token may not read gateways (403), and stays ready' {
        Set-Cloudflare -Token 'fake-no-gateway-read-token'
        $r = Test-AIProviderEnvironment cloudflare-ai-gateway -Online -BaseUrl $GatewayBase
        $r.IsReady | Should -BeTrue
        $check = Get-Check $r Gateway
        "$($check.Level)" | Should -Be 'Warning'
        $check.Passed | Should -BeTrue
        $check.Message | Should -Match 'AI Gateway Read'
        Test-AIProviderEnvironment cloudflare-ai-gateway -Online -Quiet -BaseUrl $GatewayBase | Should -BeTrue
    }

    It 'warns, and sends nothing, when only the gateway token is set' {
        Set-TestEnvironment @{ CLOUDFLARE_ACCOUNT_ID = $FakeAccountId; CLOUDFLARE_GATEWAY_ID = 'online-gw'; CLOUDFLARE_AI_GATEWAY_TOKEN = $Token }
        $r = Test-AIProviderEnvironment cloudflare-ai-gateway -Online -BaseUrl $GatewayBase
        $r.IsReady | Should -BeTrue
        $check = @($r.Checks)
        $check.Count | Should -Be 1
        "$($check[0].Level)" | Should -Be 'Warning'
        $check[0].Message | Should -Match 'takes CLOUDFLARE_API_TOKEN'
        Get-Request | Should -BeNullOrEmpty
    }
}

Describe 'Test-AIProviderEnvironment -Online, other aliases' {
    BeforeEach { Clear-TestServerRequest -Server $Server }

    It 'passes when GET {base}/models answers with the alias''s token' {
        Set-TestEnvironment @{ OPENAI_API_KEY = $Token }
        $r = Test-AIProviderEnvironment openai -Online -BaseUrl ($Server.Uri + '/v1')
        $r.IsReady | Should -BeTrue
        $check = @($r.Checks)
        $check.Count | Should -Be 1
        $check[0].Name | Should -Be 'ModelList'
        $check[0].Message | Should -Match 'accepts OPENAI_API_KEY: GET /models answered \(\d+ models\)'
        $request = @(Get-Request)
        $request.Count | Should -Be 1
        $request[0].path | Should -Be '/v1/models'
        $request[0].headers.authorization | Should -BeExactly "Bearer $Token"
    }

    It 'fails when the host refuses the token (401), naming the variable to check' {
        Set-TestEnvironment @{ GROQ_API_KEY = 'fake-revoked-groq-key' }
        $r = Test-AIProviderEnvironment groq -Online -BaseUrl ($Server.Uri + '/openai/v1')
        $r.IsReady | Should -BeFalse
        $r.Checks[0].Message | Should -Match 'refuses GROQ_API_KEY \(HTTP 401'
        $r.Checks[0].Message | Should -Match ([regex]::Escape("`$env:GROQ_API_KEY = '...'"))
    }

    It 'warns, and stays ready, when the host has no model list (404)' {
        Set-TestEnvironment @{ MISTRAL_API_KEY = 'fake-no-model-list-key' }
        $r = Test-AIProviderEnvironment mistral -Online -BaseUrl ($Server.Uri + '/v1')
        $r.IsReady | Should -BeTrue
        "$($r.Checks[0].Level)" | Should -Be 'Warning'
        $r.Checks[0].Message | Should -Match 'has no model list \(HTTP 404 on GET /models\)'
    }

    It 'checks ollama, which has no token, without an Authorization header' {
        $r = Test-AIProviderEnvironment ollama -Online -BaseUrl ($Server.Uri + '/v1')
        $r.IsReady | Should -BeTrue
        $r.Checks[0].Message | Should -Match 'answers GET /models'
        (Get-Request)[0].headers.PSObject.Properties['authorization'] | Should -BeNullOrEmpty
    }
}

Describe 'Test-AIProviderEnvironment -Online, hosts that do not answer' {
    It 'reports a refused connection as a failed check, not an error, for <Alias>' -ForEach @(
        @{ Alias = 'cloudflare-workers-ai'; Path = '/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1' }
        @{ Alias = 'openai'; Path = '/v1' }
    ) {
        Set-Cloudflare
        $env:OPENAI_API_KEY = $Token
        $port = Get-ClosedPort
        $r = Test-AIProviderEnvironment $Alias -Online -BaseUrl ("http://127.0.0.1:$port" + $Path) -ErrorVariable errs
        $errs | Should -BeNullOrEmpty
        $r.IsReady | Should -BeFalse
        @($r.Checks).Count | Should -Be 1
        $r.Checks[0].Passed | Should -BeFalse
        $r.Checks[0].Message | Should -BeLike "Could not reach 127.0.0.1:$port*"
        Test-AIProviderEnvironment $Alias -Online -Quiet -BaseUrl ("http://127.0.0.1:$port" + $Path) | Should -BeFalse
    }

    It 'fails a check whose host sends no answer within -TimeoutSec' {
        # The emulator holds this token's verification for 30 s; the check gives up after 1.
        Set-Cloudflare -Token 'fake-slow-token'
        $r = Test-AIProviderEnvironment cloudflare-workers-ai -Online -TimeoutSec 1 -BaseUrl $WorkersBase
        $r.IsReady | Should -BeFalse
        $r.Checks[0].Message | Should -BeLike 'Could not reach 127.0.0.1:*(cloudflare-workers-ai): no answer within 1 s.*-TimeoutSec*'
    }
}

Describe 'Test-AIProviderEnvironment -Online, parameters and secrets' {
    It 'refuses <Parameter> without -Online with ParameterInvalid and the fix' -ForEach @(
        @{ Parameter = '-BaseUrl'; Splat = @{ BaseUrl = 'http://127.0.0.1:1/v1' } }
        @{ Parameter = '-TimeoutSec'; Splat = @{ TimeoutSec = 5 } }
    ) {
        $err = $null
        try { Test-AIProviderEnvironment openai @Splat -ErrorAction Stop } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -Be "ParameterInvalid,$Cmdlet"
        "$($err.CategoryInfo.Category)" | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -Match ([regex]::Escape("$Parameter applies only to the network checks of -Online"))
        $err.ErrorDetails.RecommendedAction | Should -Match 'Add -Online'
    }

    It 'sends nothing without -Online: the module never even creates its HTTP client' {
        # A fresh process, since this one has made requests already.
        $script = @'
Import-Module $env:CLOUDFLAREAI_TEST_MODULE
$null = Get-AIProviderAlias | Test-AIProviderEnvironment
$null = Test-AIProviderEnvironment cloudflare-* -Quiet
$flags = [System.Reflection.BindingFlags]'NonPublic, Static'
$chat = [CloudflareAI.Chat.ChatClient].GetField('SharedClient', $flags).GetValue($null).IsValueCreated
$api = [CloudflareAI.Cloudflare.CloudflareApiClient].GetField('SharedClient', $flags).GetValue($null).IsValueCreated
"offline:$chat,$api"
$null = Test-AIProviderEnvironment ollama -Online -BaseUrl 'http://127.0.0.1:9/v1' -TimeoutSec 1
$chat = [CloudflareAI.Chat.ChatClient].GetField('SharedClient', $flags).GetValue($null).IsValueCreated
"online:$chat"
'@
        $run = Invoke-ChildPwsh -Command $script -Environment @{ CLOUDFLARE_ACCOUNT_ID = $FakeAccountId; CLOUDFLARE_API_TOKEN = 'fake-offline-token' }
        $run.ExitCode | Should -Be 0 -Because $run.Text
        $run.Lines | Should -Contain 'offline:False,False'
        # The control: the same probe sees the client once -Online has run.
        $run.Lines | Should -Contain 'online:True'
    }

    It 'prints no token in any stream, -Verbose and -Debug included' {
        $tokens = 'fake-online-token-DO-NOT-PRINT', 'fake-revoked-token-DO-NOT-PRINT', 'fake-account-owned-DO-NOT-PRINT', 'fake-no-gateway-read-DO-NOT-PRINT'
        $all = foreach ($token in $tokens) {
            Set-Cloudflare -Token $token
            $env:OPENAI_API_KEY = $token
            $results = Test-AIProviderEnvironment cloudflare-workers-ai, cloudflare-ai-gateway -Online -BaseUrl $WorkersBase -Verbose -Debug *>&1
            $results
            $results | Where-Object { $_ -is [CloudflareAI.ProviderEnvironmentResult] } | Format-List * | Out-String -Width 400
            $results | Where-Object { $_ -is [CloudflareAI.ProviderEnvironmentResult] } | ForEach-Object { $_.Checks | Format-List * | Out-String -Width 400 }
            Test-AIProviderEnvironment openai -Online -BaseUrl ($Server.Uri + '/v1') -Verbose *>&1 | Out-String -Width 400
        }
        $text = ($all | Out-String -Width 400)
        $text | Should -Match 'GET http://127\.0\.0\.1'
        $text | Should -Match '\[Passed\] Token'
        $text | Should -Not -Match 'DO-NOT-PRINT'
    }
}
