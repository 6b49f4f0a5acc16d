[CmdletBinding()]
param([switch]$DryRun, [switch]$IncludeVolumes)
$ErrorActionPreference = 'Continue'
Import-Module (Join-Path $PSScriptRoot 'Telemetry.psm1') -Force

function Get-DockerDf {
    docker system df --format '{{json .}}' | ForEach-Object { $_ | ConvertFrom-Json }
}

$before = Get-DockerDf
Write-Host "Current usage:"
$before | Format-Table Type, TotalCount, Size, Reclaimable -AutoSize | Out-Host

$steps = @(
    @{ Name = 'stopped containers'; Cmd = { docker container prune -f } },
    @{ Name = 'dangling images';    Cmd = { docker image prune -f } },
    @{ Name = 'build cache';        Cmd = { docker builder prune -f --filter 'until=168h' } }
)
if ($IncludeVolumes) { $steps += @{ Name = 'orphaned volumes'; Cmd = { docker volume prune -f } } }

foreach ($s in $steps) {
    if ($DryRun) { Write-Host "[dry-run] would prune $($s.Name)"; continue }
    Write-Host "pruning $($s.Name)…"
    & $s.Cmd | Select-Object -Last 1 | Out-Host
}

Write-Host "`nKube contexts:"
foreach ($ctx in (kubectl config get-contexts -o name 2>$null)) {
    $ok = kubectl --context $ctx version --request-timeout=3s 2>$null
    Write-Host ("  {0,-40} {1}" -f $ctx, ($(if ($LASTEXITCODE -eq 0) { 'reachable' } else { 'stale' })))
}

if (-not $DryRun) {
    $after = Get-DockerDf
    Write-Host "`nAfter:"; $after | Format-Table Type, Size -AutoSize | Out-Host
}
Send-UsageStats -Before $before
