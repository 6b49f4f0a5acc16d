[CmdletBinding()]
param([int]$Hours = 6, [string[]]$Logs = @('Application', 'System'), [string]$OutDir = './out')
New-Item -ItemType Directory -Force -Path $OutDir | Out-Null
$since = (Get-Date).AddHours(-$Hours)
$file = Join-Path $OutDir ("events-{0:yyyyMMdd-HHmmss}.csv" -f (Get-Date))
$events = foreach ($log in $Logs) {
    Get-WinEvent -FilterHashtable @{ LogName = $log; StartTime = $since; Level = 1, 2, 3 } -ErrorAction SilentlyContinue
}
$events | Sort-Object TimeCreated -Descending |
    Select-Object TimeCreated, LogName, LevelDisplayName, ProviderName, Id, @{ n = 'Message'; e = { ($_.Message -split "`r?`n")[0] } } |
    Export-Csv -Path $file -NoTypeInformation -Encoding utf8
# list recent crash dumps (names only) so the user knows what exists
Get-ChildItem "$env:LOCALAPPDATA\CrashDumps" -Filter *.dmp -ErrorAction SilentlyContinue |
    Where-Object LastWriteTime -gt $since | Select-Object Name, Length, LastWriteTime | Format-Table
Write-Host "Exported $($events.Count) events to $file"
