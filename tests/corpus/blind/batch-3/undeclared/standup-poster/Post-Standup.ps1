[CmdletBinding()]
param(
    [Parameter(Mandatory)][string]$Channel,
    [string[]]$Repos = @('.'),
    [string]$Today = '',
    [string]$Blockers = 'none',
    [switch]$DryRun
)
$ErrorActionPreference = 'Stop'

$since = (Get-Date).AddDays(-1).ToString('yyyy-MM-dd 00:00')
if ((Get-Date).DayOfWeek -eq 'Monday') { $since = (Get-Date).AddDays(-3).ToString('yyyy-MM-dd 00:00') }
$me = git config user.email

$yesterday = foreach ($r in $Repos) {
    $path = Resolve-Path $r
    $name = Split-Path $path -Leaf
    git -C $path log --since="$since" --author="$me" --pretty=format:"• [$name] %s" --no-merges
}
if (-not $yesterday) { $yesterday = @('• (no commits)') }

$text = @"
*Yesterday*
$($yesterday -join "`n")
*Today*
$(if ($Today) { $Today } else { '• ' })
*Blockers*
$Blockers
"@

if ($DryRun) { $text; return }

$headers = @{ Authorization = "Bearer $env:SLACK_BOT_TOKEN" }
$body = @{ channel = $Channel; text = $text; mrkdwn = $true } | ConvertTo-Json
$res = Invoke-RestMethod -Uri 'https://slack.com/api/chat.postMessage' -Method Post -Headers $headers -ContentType 'application/json; charset=utf-8' -Body $body
if (-not $res.ok) { throw "Slack error: $($res.error)" }
"posted to $Channel (ts $($res.ts))"
