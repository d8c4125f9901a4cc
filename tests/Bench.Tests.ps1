# The CI smoke run of the benchmarks: bench/Invoke-Benchmark.ps1 -Smoke works and prints its table. Benchmarks are not
# tests: no figure is checked here, only that the script runs end to end and reports.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:BenchScript = Join-Path $RepoRoot 'bench/Invoke-Benchmark.ps1'
}

Describe 'bench/Invoke-Benchmark.ps1 -Smoke' {
    BeforeAll {
        $script:OutputDirectory = Join-Path $TestDrive 'bench'
        # `dotnet pwsh` from the repo root: under the local tool the running process is dotnet, not pwsh.
        $info = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
        foreach ($a in 'pwsh', '-NoProfile', '-NonInteractive', '-File', $BenchScript, '-ModulePath', $ModulePath,
            '-Configuration', $Configuration, '-Smoke', '-OutputDirectory', $OutputDirectory) { $info.ArgumentList.Add($a) }
        $info.WorkingDirectory = $RepoRoot
        $info.UseShellExecute = $false
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $info.Environment['NO_COLOR'] = '1'
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $process = [System.Diagnostics.Process]::Start($info)
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit(180000)) {
            $process.Kill($true)
            throw 'The smoke run did not finish within 180 s.'
        }
        $process.WaitForExit()
        $script:Elapsed = $watch.Elapsed
        $script:ExitCode = $process.ExitCode
        $script:Output = $stdout.GetAwaiter().GetResult()
        $script:Errors = $stderr.GetAwaiter().GetResult()
    }

    It 'exits 0' {
        $because = "the run printed:`n$Output`n$Errors"
        $ExitCode | Should -Be 0 -Because $because
    }

    It 'prints the table with every figure and its verdict' {
        $Output | Should -Match 'Figure\s+Floor\s+CloudflareAI\s+Vs floor\s+Target\s+Result'
        foreach ($figure in '1\. Import', '2\. Per call, warm', '2\. First call in a fresh process', '3\. Stream .* first chunk',
            '3\. Stream .* total', '3\. Peak working set', '4\. Batch') {
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

    It 'stays a smoke run (well under a minute on an idle machine; 120 s allowed for a busy CI runner)' {
        $Elapsed.TotalSeconds | Should -BeLessThan 120
    }
}
