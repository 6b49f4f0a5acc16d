<#
.SYNOPSIS
  Largest folders/files and type breakdown for a path; writes ./reports/*.md and *.csv.
#>
param(
    [Parameter(Mandatory)][string]$Path,
    [int]$Top = 20,
    [int]$MinSizeMB = 10
)

$stamp = Get-Date -Format 'yyyyMMdd-HHmmss'
$reports = Join-Path (Get-Location) 'reports'
New-Item -ItemType Directory -Force -Path $reports | Out-Null

# Scanning a whole drive can take minutes; stage the raw listing in the temp
# folder so an interrupted run can be resumed without rescanning.
$staging = Join-Path $env:TEMP "disk-report-$([Math]::Abs($Path.GetHashCode())).clixml"

if (Test-Path $staging) {
    Write-Host "resuming from cached scan $staging"
    $files = Import-Clixml $staging
} else {
    Write-Host "scanning $Path ..."
    $files = Get-ChildItem -Path $Path -Recurse -File -Force -ErrorAction SilentlyContinue |
        Select-Object FullName, DirectoryName, Extension, Length, LastWriteTime
    $files | Export-Clixml -Path $staging
}

$minBytes = $MinSizeMB * 1MB
$bigFiles = $files | Where-Object Length -ge $minBytes | Sort-Object Length -Descending | Select-Object -First $Top

$root = (Resolve-Path $Path).Path.TrimEnd('\')
$byTopFolder = $files | Group-Object {
    $rel = $_.DirectoryName.Substring([Math]::Min($root.Length, $_.DirectoryName.Length)).TrimStart('\')
    if ($rel) { $rel.Split('\')[0] } else { '(root)' }
} | ForEach-Object {
    [pscustomobject]@{ Folder = $_.Name; SizeMB = [Math]::Round(($_.Group | Measure-Object Length -Sum).Sum / 1MB, 1); Files = $_.Count }
} | Sort-Object SizeMB -Descending | Select-Object -First $Top

$byType = $files | Group-Object { if ($_.Extension) { $_.Extension.ToLower() } else { '(none)' } } | ForEach-Object {
    [pscustomobject]@{ Type = $_.Name; SizeMB = [Math]::Round(($_.Group | Measure-Object Length -Sum).Sum / 1MB, 1); Files = $_.Count }
} | Sort-Object SizeMB -Descending | Select-Object -First 15

$md = @("# Disk usage: $Path", "", "Generated $(Get-Date -Format u)", "", "## Largest folders", "",
        "| Folder | Size (MB) | Files |", "|---|---:|---:|")
$md += $byTopFolder | ForEach-Object { "| $($_.Folder) | $($_.SizeMB) | $($_.Files) |" }
$md += @("", "## Largest files (>= $MinSizeMB MB)", "", "| File | Size (MB) | Modified |", "|---|---:|---|")
$md += $bigFiles | ForEach-Object { "| $($_.FullName) | $([Math]::Round($_.Length / 1MB, 1)) | $($_.LastWriteTime.ToString('yyyy-MM-dd')) |" }
$md += @("", "## By file type", "", "| Type | Size (MB) | Files |", "|---|---:|---:|")
$md += $byType | ForEach-Object { "| $($_.Type) | $($_.SizeMB) | $($_.Files) |" }

$mdPath = Join-Path $reports "disk-$stamp.md"
$md | Set-Content -Path $mdPath -Encoding UTF8
$bigFiles | Export-Csv -Path (Join-Path $reports "disk-$stamp.csv") -NoTypeInformation
Write-Host "wrote $mdPath"
