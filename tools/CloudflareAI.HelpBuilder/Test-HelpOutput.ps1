<#
.SYNOPSIS
    Checks the help the HelpBuilder wrote against the MAML shape Get-Help reads.
.DESCRIPTION
    Loads <Assembly>.dll-Help.xml from -Path and checks, for every command: the helpItems root and namespaces, name,
    verb and noun, a synopsis, a syntax item per parameter set, a description for every parameter, at least three
    examples with code, and output types. Also checks that each about_*.help.txt has a SHORT DESCRIPTION line.
    Exits 1 with one line per problem, 0 when the help is sound. Run it with `dotnet pwsh` from the repository root.
.EXAMPLE
    dotnet pwsh -NoProfile -File tools/CloudflareAI.HelpBuilder/Test-HelpOutput.ps1 -Path out/CloudflareAI/0.1.0/en-US
#>
param(
    [Parameter(Mandatory)][string]$Path,
    [string]$Assembly = 'CloudflareAI.PowerShell',
    [int]$MinimumExamples = 3
)

$problems = [System.Collections.Generic.List[string]]::new()
$file = Join-Path $Path "$Assembly.dll-Help.xml"
if (-not (Test-Path -LiteralPath $file)) { Write-Output "missing: $file"; exit 1 }

$xml = [xml]::new()
$xml.Load($file)
$ns = [System.Xml.XmlNamespaceManager]::new($xml.NameTable)
$ns.AddNamespace('msh', 'http://msh')
$ns.AddNamespace('maml', 'http://schemas.microsoft.com/maml/2004/10')
$ns.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
$ns.AddNamespace('dev', 'http://schemas.microsoft.com/maml/dev/2004/10')

$root = $xml.SelectSingleNode('/msh:helpItems[@schema="maml"]', $ns)
if (-not $root) { $problems.Add('the root is not <helpItems schema="maml" xmlns="http://msh">') }
$commands = $xml.SelectNodes('/msh:helpItems/command:command', $ns)
if ($commands.Count -eq 0) { $problems.Add('no command:command elements') }

foreach ($command in $commands) {
    $name = $command.SelectSingleNode('command:details/command:name', $ns).InnerText
    $verb = $command.SelectSingleNode('command:details/command:verb', $ns).InnerText
    $noun = $command.SelectSingleNode('command:details/command:noun', $ns).InnerText
    if ("$verb-$noun" -ne $name) { $problems.Add("${name}: verb '$verb' and noun '$noun' do not make up the name") }
    if (-not $command.SelectSingleNode('command:details/maml:description/maml:para[normalize-space()]', $ns)) { $problems.Add("${name}: no synopsis") }
    if (-not $command.SelectSingleNode('maml:description/maml:para[normalize-space()]', $ns)) { $problems.Add("${name}: no description") }
    if ($command.SelectNodes('command:syntax/command:syntaxItem', $ns).Count -eq 0) { $problems.Add("${name}: no syntax item") }
    foreach ($parameter in $command.SelectNodes('command:parameters/command:parameter', $ns)) {
        $parameterName = $parameter.SelectSingleNode('maml:name', $ns).InnerText
        if (-not $parameter.SelectSingleNode('maml:description/maml:para[normalize-space()]', $ns)) { $problems.Add("${name}: -$parameterName has no description") }
        foreach ($attribute in 'required', 'globbing', 'pipelineInput', 'position') {
            if (-not $parameter.HasAttribute($attribute)) { $problems.Add("${name}: -$parameterName has no '$attribute' attribute") }
        }
    }
    $examples = $command.SelectNodes('command:examples/command:example', $ns)
    if ($examples.Count -lt $MinimumExamples) { $problems.Add("${name}: $($examples.Count) examples, fewer than $MinimumExamples") }
    foreach ($example in $examples) {
        if (-not $example.SelectSingleNode('dev:code[normalize-space()]', $ns)) { $problems.Add("${name}: an example has no code") }
    }
    if ($command.SelectNodes('command:returnValues/command:returnValue', $ns).Count -eq 0) { $problems.Add("${name}: no output type") }
}

foreach ($about in Get-ChildItem -LiteralPath $Path -Filter 'about_*.help.txt') {
    if (-not (Select-String -LiteralPath $about.FullName -Pattern '^SHORT DESCRIPTION$' -Quiet)) { $problems.Add("$($about.Name): no SHORT DESCRIPTION heading") }
}

if ($problems.Count -gt 0) { $problems | ForEach-Object { Write-Output $_ }; exit 1 }
Write-Output "$($commands.Count) commands in $file look like MAML that Get-Help reads."
