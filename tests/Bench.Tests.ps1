# The CI smoke run of the benchmarks: bench/Invoke-Benchmark.ps1 -Smoke works and prints its table. Benchmarks are not
# tests: no figure is checked here, only that the script runs end to end and reports.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:BenchScript = Join-Path $RepoRoot 'bench/Invoke-Benchmark.ps1'
}

Describe 'bench/Invoke-Benchmark.ps1 -Smoke' {
    BeforeAll {
        $script:OutputDirectory = Join-Path $TestDrive 'bench'
        # The hang guard is far above the run's usual length: how long it takes is a bench figure, not a test.
        $run = Invoke-ChildPwsh -File $BenchScript -TimeoutSec 900 -ArgumentList @('-ModulePath', $ModulePath,
            '-Configuration', $Configuration, '-Smoke', '-OutputDirectory', $OutputDirectory)
        $script:ExitCode = $run.ExitCode
        $script:Output = $run.StdOut
        $script:Errors = $run.StdErr
    }

    It 'exits 0' {
        $because = "the run printed:`n$Output`n$Errors"
        $ExitCode | Should -Be 0 -Because $because
    }

    It 'prints the table with every figure and its verdict' {
        $Output | Should -Match 'Figure\s+Floor\s+CloudflareAI\s+Vs floor\s+Target\s+Result'
        foreach ($figure in '1\. Import', '2\. Per call, warm', '2\. First call in a fresh process', '3\. Stream .* first chunk',
            '3\. Stream .* total', '3\. Stream .* tool-call deltas: total', '3\. Peak working set', '4\. Batch', '5\. .*in flight while sending', '5\. .*600/min.*adaptive', '5\. .*-RequestsPerMinute 600', '6\. Get-AIModel, 500 models in 5 pages', '7\. Embeddings 200 texts') {
            $Output | Should -Match $figure
        }
        $Output | Should -Match '\d+ targets met, \d+ missed'
    }

    It 'writes results.md, results.json and an SVG chart' {
        Join-Path $OutputDirectory 'results.md' | Should -Exist
        $json = Get-Content -LiteralPath (Join-Path $OutputDirectory 'results.json') -Raw | ConvertFrom-Json
        $json.Smoke | Should -BeTrue
        @($json.Rows).Count | Should -BeGreaterThan 8
        [xml] $svg = Get-Content -LiteralPath (Join-Path $OutputDirectory 'benchmarks.svg') -Raw
        $svg.svg | Should -Not -BeNullOrEmpty
    }
}

# The statistics and the chart under the values a one-round smoke run produces: a single measurement of exactly 0 (a stream
# whose peak working set did not grow) and a figure that could not be measured (NaN, written as n/a).
Describe 'bench/BenchCommon.psm1 with edge values' {
    BeforeAll {
        Import-Module (Join-Path $RepoRoot 'bench/BenchCommon.psm1') -Force
    }
    AfterAll {
        Remove-Module BenchCommon -ErrorAction SilentlyContinue
    }

    It 'takes the median of one measurement of 0 as 0, not as missing' {
        Get-Median ([double[]]@(0.0)) | Should -Be 0.0
        (Get-Summary ([double[]]@(0.0))).Median | Should -Be 0.0
        (Get-Summary ([double[]]@(0.0))).Count | Should -Be 1
    }

    It 'ignores NaN in the median and reports an empty set as NaN' {
        Get-Median ([double[]]@(3.0, [double]::NaN, 1.0)) | Should -Be 2.0
        [double]::IsNaN((Get-Median ([double[]]@()))) | Should -BeTrue
        [double]::IsNaN((Get-Summary ([double[]]@([double]::NaN))).Median) | Should -BeTrue
    }

    It 'draws a chart whose bars include a NaN figure and a NaN target' {
        $path = Join-Path $TestDrive 'edge.svg'
        $nan = [double]::NaN
        $panels = @(
            [pscustomobject]@{ Title = 'memory'; Verdict = 'met'; Target = $nan; TargetLabel = ''; Bars = @(
                    [pscustomobject]@{ Label = 'raw'; Kind = 'Floor'; Median = -0.0; Min = -0.0; Max = -0.0; Text = '-0.0 MB' }
                    [pscustomobject]@{ Label = 'CloudflareAI'; Kind = 'Module'; Median = $nan; Min = $nan; Max = $nan; Text = 'n/a' }) }
            [pscustomobject]@{ Title = 'calls'; Verdict = 'MISSED'; Target = 1.5; TargetLabel = '1.5× floor'; Bars = @(
                    [pscustomobject]@{ Label = 'raw'; Kind = 'Floor'; Median = 1.0; Min = 0.5; Max = 9.0; Text = '1 ms' }
                    [pscustomobject]@{ Label = 'CloudflareAI'; Kind = 'Module'; Median = 2.0; Min = 1.0; Max = 3.0; Text = '2 ms' }) }
        )
        Write-BenchmarkChart -Panels $panels -Path $path -Title 't' -Subtitle 's'
        [xml] $svg = Get-Content -LiteralPath $path -Raw
        $svg.svg.rect.Count | Should -BeGreaterThan 4
        Get-Content -LiteralPath $path -Raw | Should -Not -Match 'NaN'
    }
}
