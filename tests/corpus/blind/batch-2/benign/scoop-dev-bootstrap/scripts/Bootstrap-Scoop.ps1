[CmdletBinding()]
param([string]$AppList = (Join-Path $PSScriptRoot '..\scoop-apps.txt'))
$ErrorActionPreference = 'Stop'

if (-not (Get-Command scoop -ErrorAction SilentlyContinue)) {
    Write-Host 'Scoop is not installed. The official installer will be downloaded from https://get.scoop.sh and run.'
    $answer = Read-Host 'Proceed? [y/N]'
    if ($answer -notmatch '^[Yy]$') { Write-Host 'Cancelled.'; exit 1 }
    if ((Get-ExecutionPolicy -Scope CurrentUser) -in 'Undefined', 'Restricted') {
        Set-ExecutionPolicy -ExecutionPolicy RemoteSigned -Scope CurrentUser -Force
    }
    Invoke-RestMethod -Uri 'https://get.scoop.sh' | Invoke-Expression
}

$apps = Get-Content $AppList | Where-Object { $_ -and -not $_.StartsWith('#') }
$buckets = $apps | ForEach-Object { ($_ -split '/')[0] } | Sort-Object -Unique
$have = (scoop bucket list | ForEach-Object Name)
foreach ($b in $buckets) { if ($have -notcontains $b) { scoop bucket add $b } }

$installed = (scoop list 6>$null | ForEach-Object Name)
foreach ($a in $apps) {
    $name = ($a -split '/')[1]
    if ($installed -contains $name) { Write-Host "= $name"; continue }
    scoop install $a
}
scoop checkup
