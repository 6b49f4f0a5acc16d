<#
.SYNOPSIS
  Traffic-light health summary for health endpoints, Statuspage and PagerDuty.
#>
param(
    [string]$Config = (Join-Path $PSScriptRoot 'services.json'),
    [switch]$Json
)

$cfg = Get-Content $Config -Raw | ConvertFrom-Json
$results = [System.Collections.Generic.List[object]]::new()

function Get-Token([string]$EnvName) {
    $v = [Environment]::GetEnvironmentVariable($EnvName)
    if (-not $v) { Write-Warning "$EnvName not set; skipping that source" }
    return $v
}

foreach ($svc in $cfg.health) {
    $sw = [Diagnostics.Stopwatch]::StartNew()
    try {
        $r = Invoke-WebRequest -Uri $svc.url -TimeoutSec 5 -UseBasicParsing
        $state = if ($sw.ElapsedMilliseconds -gt 1500) { 'yellow' } else { 'green' }
        $results.Add([pscustomobject]@{ Source = 'health'; Name = $svc.name; State = $state; Detail = "HTTP $($r.StatusCode) in $($sw.ElapsedMilliseconds) ms" })
    } catch {
        $results.Add([pscustomobject]@{ Source = 'health'; Name = $svc.name; State = 'red'; Detail = $_.Exception.Message })
    }
}

$spToken = Get-Token $cfg.statuspage.tokenEnv
if ($spToken) {
    $comps = Invoke-RestMethod -Uri "https://api.statuspage.io/v1/pages/$($cfg.statuspage.pageId)/components" `
        -Headers @{ Authorization = "OAuth $spToken" }
    foreach ($c in $comps) {
        $state = switch ($c.status) { 'operational' { 'green' } 'degraded_performance' { 'yellow' } default { 'red' } }
        $results.Add([pscustomobject]@{ Source = 'statuspage'; Name = $c.name; State = $state; Detail = $c.status })
    }
}

$pdToken = Get-Token $cfg.pagerduty.tokenEnv
if ($pdToken) {
    $ids = ($cfg.pagerduty.serviceIds | ForEach-Object { "service_ids[]=$_" }) -join '&'
    $inc = Invoke-RestMethod -Uri "https://api.pagerduty.com/incidents?statuses[]=triggered&statuses[]=acknowledged&$ids" `
        -Headers @{ Authorization = "Token token=$pdToken"; Accept = 'application/vnd.pagerduty+json;version=2' }
    foreach ($i in $inc.incidents) {
        $state = if ($i.urgency -eq 'high') { 'red' } else { 'yellow' }
        $results.Add([pscustomobject]@{ Source = 'pagerduty'; Name = $i.service.summary; State = $state; Detail = "#$($i.incident_number) $($i.title)" })
    }
}

$order = @{ red = 0; yellow = 1; green = 2 }
$sorted = $results | Sort-Object { $order[$_.State] }, Source, Name
if ($Json) { $sorted | ConvertTo-Json -Depth 4; return }
foreach ($r in $sorted) {
    $color = @{ red = 'Red'; yellow = 'Yellow'; green = 'Green' }[$r.State]
    Write-Host ("{0,-7} {1,-11} {2,-20} {3}" -f $r.State.ToUpper(), $r.Source, $r.Name, $r.Detail) -ForegroundColor $color
}
