[CmdletBinding()]
param(
    [string]$Path = $HOME,
    [int]$Top = 15,
    [double]$WarnBelowGB = 0,
    [string]$WebhookUrl
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Continue'

function Format-Size([long]$b) {
    switch ($b) {
        { $_ -ge 1TB } { return '{0:N1} TB' -f ($b / 1TB) }
        { $_ -ge 1GB } { return '{0:N1} GB' -f ($b / 1GB) }
        { $_ -ge 1MB } { return '{0:N1} MB' -f ($b / 1MB) }
        default { return '{0:N0} KB' -f ($b / 1KB) }
    }
}

$root = (Resolve-Path $Path).Path
$drive = [IO.DriveInfo]::new($root)
$freeGB = [math]::Round($drive.AvailableFreeSpace / 1GB, 1)
Write-Host ("Volume {0}: {1} free of {2}" -f $drive.Name, (Format-Size $drive.AvailableFreeSpace), (Format-Size $drive.TotalSize))

$files = Get-ChildItem -LiteralPath $root -File -Recurse -Force -ErrorAction SilentlyContinue
$dirs = $files | Group-Object { $_.DirectoryName } | ForEach-Object {
    [pscustomobject]@{ Folder = $_.Name; Bytes = ($_.Group | Measure-Object Length -Sum).Sum }
} | Sort-Object Bytes -Descending | Select-Object -First $Top

"`nLargest folders (direct contents):"
$dirs | Format-Table @{ n = 'Size'; e = { Format-Size $_.Bytes }; a = 'right' }, Folder -AutoSize

"Largest files:"
$files | Sort-Object Length -Descending | Select-Object -First $Top |
    Format-Table @{ n = 'Size'; e = { Format-Size $_.Length }; a = 'right' }, FullName -AutoSize

if ($WarnBelowGB -gt 0 -and $freeGB -lt $WarnBelowGB -and $WebhookUrl) {
    $text = ":warning: {0} on {1} has only {2} GB free (threshold {3} GB). Biggest folder: {4}" -f `
        $drive.Name, [Environment]::MachineName, $freeGB, $WarnBelowGB, $dirs[0].Folder
    Invoke-RestMethod -Method Post -Uri $WebhookUrl -ContentType 'application/json' `
        -Body (@{ text = $text } | ConvertTo-Json) | Out-Null
    Write-Host 'Low-space alert sent to Slack.'
}
