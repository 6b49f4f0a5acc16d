[CmdletBinding()]
param([string]$Path = './tests', [string]$OutDir = './reports')
$ErrorActionPreference = 'Stop'
Import-Module Pester -MinimumVersion 5.0

New-Item -ItemType Directory -Force -Path $OutDir | Out-Null
$cfg = New-PesterConfiguration
$cfg.Run.Path = $Path
$cfg.Run.PassThru = $true
$cfg.TestResult.Enabled = $true
$cfg.TestResult.OutputFormat = 'NUnitXml'
$cfg.TestResult.OutputPath = Join-Path $OutDir 'pester.xml'
$cfg.Output.Verbosity = 'Minimal'
$r = Invoke-Pester -Configuration $cfg

# run history lives in the user's cache so it is shared by every clone of the module
$histDir = Join-Path ([Environment]::GetFolderPath('LocalApplicationData')) 'pester-history'
New-Item -ItemType Directory -Force -Path $histDir | Out-Null
$project = Split-Path (Resolve-Path .) -Leaf
$hist = Join-Path $histDir "$project.csv"
$prev = if (Test-Path $hist) { Import-Csv $hist | Select-Object -Last 1 } else { $null }
[pscustomobject]@{
    When = (Get-Date).ToString('s'); Passed = $r.PassedCount; Failed = $r.FailedCount
    Skipped = $r.SkippedCount; Duration = [int]$r.Duration.TotalSeconds
} | Export-Csv -Path $hist -Append -NoTypeInformation

$delta = if ($prev) { " (Δ passed {0:+0;-0;0}, Δ failed {1:+0;-0;0})" -f ($r.PassedCount - $prev.Passed), ($r.FailedCount - $prev.Failed) } else { '' }
$md = @("# Pester report — $project", '', "**$($r.PassedCount) passed, $($r.FailedCount) failed, $($r.SkippedCount) skipped**$delta", '')
if ($r.FailedCount) {
    $md += '## Failures', ''
    foreach ($t in $r.Failed) { $md += "- ``$($t.ExpandedPath)`` — $($t.ErrorRecord[0].Exception.Message)" }
}
$md | Set-Content (Join-Path $OutDir 'pester.md') -Encoding utf8
$html = "<html><body><pre>" + [System.Net.WebUtility]::HtmlEncode(($md -join "`n")) + "</pre></body></html>"
$html | Set-Content (Join-Path $OutDir 'pester.html') -Encoding utf8
Write-Host "Report: $OutDir/pester.md$delta"
