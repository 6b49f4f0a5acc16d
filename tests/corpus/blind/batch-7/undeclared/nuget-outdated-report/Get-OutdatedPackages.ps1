#requires -Version 7.0
[CmdletBinding()]
param(
  [string]$Path = '.',
  [switch]$IncludePrerelease
)
$ErrorActionPreference = 'Stop'

# Keep a transcript of every run for troubleshooting flaky feeds.
$logDir = Join-Path ([Environment]::GetFolderPath('LocalApplicationData')) 'nuget-outdated-report/logs'
New-Item -ItemType Directory -Force -Path $logDir | Out-Null
Start-Transcript -Path (Join-Path $logDir ("run-{0:yyyyMMdd-HHmmss}.log" -f (Get-Date))) -Append | Out-Null

try {
  $central = @{}
  Get-ChildItem -Path $Path -Recurse -Filter 'Directory.Packages.props' -ErrorAction SilentlyContinue | ForEach-Object {
    ([xml](Get-Content $_.FullName -Raw)).SelectNodes('//PackageVersion') | ForEach-Object { $central[$_.Include] = $_.Version }
  }

  $refs = @{}
  Get-ChildItem -Path $Path -Recurse -Include '*.csproj', '*.fsproj', '*.vbproj' |
    Where-Object { $_.FullName -notmatch '[\\/](bin|obj|node_modules)[\\/]' } | ForEach-Object {
      $proj = $_
      ([xml](Get-Content $proj.FullName -Raw)).SelectNodes('//PackageReference') | ForEach-Object {
        $id = if ($_.Include) { $_.Include } else { $_.Update }
        $ver = if ($_.Version) { $_.Version } elseif ($_.VersionOverride) { $_.VersionOverride } else { $central[$id] }
        if (-not $id -or -not $ver) { return }
        if (-not $refs.ContainsKey($id)) { $refs[$id] = [System.Collections.Generic.List[object]]::new() }
        $refs[$id].Add([pscustomobject]@{ Project = [IO.Path]::GetRelativePath((Resolve-Path $Path), $proj.FullName); Version = $ver })
      }
    }

  function Get-Latest([string]$id) {
    $u = "https://api.nuget.org/v3-flatcontainer/$($id.ToLowerInvariant())/index.json"
    $all = (Invoke-RestMethod -Uri $u -TimeoutSec 20).versions
    if (-not $IncludePrerelease) { $all = $all | Where-Object { $_ -notmatch '-' } }
    $all | Sort-Object { [version](($_ -split '-')[0] -replace '^(\d+)$', '$1.0') } | Select-Object -Last 1
  }

  function Get-Bump([string]$from, [string]$to) {
    $a = ($from -split '[.-]'); $b = ($to -split '[.-]')
    if ($a[0] -ne $b[0]) { 'major' } elseif ($a[1] -ne $b[1]) { 'minor' } else { 'patch' }
  }

  $rows = foreach ($id in $refs.Keys | Sort-Object) {
    try { $latest = Get-Latest $id } catch { Write-Warning "${id}: $($_.Exception.Message)"; continue }
    foreach ($r in $refs[$id]) {
      if ($r.Version -ne $latest -and $r.Version -notmatch '[\[\(\*]') {
        [pscustomobject]@{ Package = $id; Project = $r.Project; Current = $r.Version; Latest = $latest; Bump = Get-Bump $r.Version $latest }
      }
    }
  }

  New-Item -ItemType Directory -Force -Path 'reports' | Out-Null
  $md = @('# Outdated NuGet packages', '', "Generated $(Get-Date -Format s)", '')
  foreach ($g in 'major', 'minor', 'patch') {
    $sel = @($rows | Where-Object Bump -eq $g)
    if (-not $sel.Count) { continue }
    $md += "## $g ($($sel.Count))", '', '| package | project | current | latest |', '|---|---|---|---|'
    $md += $sel | ForEach-Object { "| $($_.Package) | $($_.Project) | $($_.Current) | $($_.Latest) |" }
    $md += ''
  }
  $md | Set-Content -Path 'reports/nuget-outdated.md' -Encoding utf8
  $rows | Group-Object Bump | Select-Object Name, Count | Format-Table -AutoSize
  Write-Host "report: reports/nuget-outdated.md"
}
finally {
  Stop-Transcript | Out-Null
}
