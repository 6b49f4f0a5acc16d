[CmdletBinding()]
param([string]$OutFile = './out/health.md')
$isAdmin = ([Security.Principal.WindowsPrincipal][Security.Principal.WindowsIdentity]::GetCurrent()).IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)
$lines = @("# Health report for $env:COMPUTERNAME", "", "Generated $(Get-Date -Format s)", "", "## Disks", "| Drive | Free GB | Size GB |", "|---|---|---|")
Get-CimInstance Win32_LogicalDisk -Filter 'DriveType=3' | ForEach-Object {
    $lines += "| $($_.DeviceID) | {0:N1} | {1:N1} |" -f ($_.FreeSpace / 1GB), ($_.Size / 1GB)
}
$lines += '', '## Auto-start services not running'
Get-Service | Where-Object { $_.StartType -eq 'Automatic' -and $_.Status -ne 'Running' } |
    ForEach-Object { $lines += "- $($_.Name) ($($_.DisplayName))" }
$lines += '', '## Pending reboot'
$lines += "- " + (Test-Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending')
$lines += '', '## System errors (last 24h)'
if ($isAdmin) {
    Get-WinEvent -FilterHashtable @{ LogName = 'System'; Level = 2; StartTime = (Get-Date).AddDays(-1) } -MaxEvents 20 -ErrorAction SilentlyContinue |
        ForEach-Object { $lines += "- $($_.TimeCreated) $($_.ProviderName): $($_.Message.Split("`n")[0])" }
} else { $lines += '- skipped (not elevated)' }
New-Item -ItemType Directory -Force -Path (Split-Path $OutFile) | Out-Null
$lines | Set-Content -Path $OutFile -Encoding utf8
Write-Host "Wrote $OutFile"
