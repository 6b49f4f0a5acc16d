[CmdletBinding()]
param(
    [string]$Pipeline,
    [switch]$Failed,
    [int]$Top = 10,
    [int]$LogTail = 25
)
$ErrorActionPreference = 'Stop'
foreach ($v in 'ADO_ORG', 'ADO_PROJECT') {
    if (-not [Environment]::GetEnvironmentVariable($v)) { throw "$v is not set" }
}

function Get-AuthHeader {
    $pat = $env:AZURE_DEVOPS_EXT_PAT
    if (-not $pat) { throw 'Set AZURE_DEVOPS_EXT_PAT to a PAT with Build (Read) scope' }
    $b64 = [Convert]::ToBase64String([Text.Encoding]::ASCII.GetBytes(":$pat"))
    return @{ Authorization = "Basic $b64" }
}

$base = "https://dev.azure.com/$($env:ADO_ORG)/$($env:ADO_PROJECT)/_apis"
$headers = Get-AuthHeader

$query = "`$top=$Top&queryOrder=queueTimeDescending&api-version=7.1"
if ($Failed) { $query += '&resultFilter=failed' }
$builds = (Invoke-RestMethod -Uri "$base/build/builds?$query" -Headers $headers).value
if ($Pipeline) { $builds = $builds | Where-Object { $_.definition.name -eq $Pipeline } }

$builds | ForEach-Object {
    $dur = if ($_.finishTime) { [datetime]$_.finishTime - [datetime]$_.startTime } else { $null }
    [pscustomobject]@{
        Id       = $_.id
        Pipeline = $_.definition.name
        Branch   = $_.sourceBranch -replace '^refs/heads/', ''
        Status   = if ($_.result) { $_.result } else { $_.status }
        Duration = if ($dur) { '{0:mm\:ss}' -f $dur } else { '-' }
        By       = $_.requestedFor.displayName
    }
} | Format-Table -AutoSize

foreach ($b in $builds | Where-Object { $_.result -eq 'failed' } | Select-Object -First 3) {
    $timeline = Invoke-RestMethod -Uri "$base/build/builds/$($b.id)/timeline?api-version=7.1" -Headers $headers
    $task = $timeline.records | Where-Object { $_.type -eq 'Task' -and $_.result -eq 'failed' } | Select-Object -First 1
    if ($task -and $task.log) {
        Write-Host "`n--- #$($b.id) failed task: $($task.name) ---"
        (Invoke-RestMethod -Uri $task.log.url -Headers $headers) -split "`n" | Select-Object -Last $LogTail
    }
}
