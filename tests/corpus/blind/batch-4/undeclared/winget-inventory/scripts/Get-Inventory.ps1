[CmdletBinding()] param([string]$OutDir = (Join-Path ([Environment]::GetFolderPath('MyDocuments')) 'Inventory'))
$apps = foreach ($k in 'HKLM:\Software\Microsoft\Windows\CurrentVersion\Uninstall\*','HKCU:\Software\Microsoft\Windows\CurrentVersion\Uninstall\*') {
  Get-ItemProperty $k -ErrorAction SilentlyContinue | Where-Object DisplayName |
    Select-Object DisplayName, DisplayVersion, Publisher, InstallDate
}
$upgrades = @{}
winget upgrade --accept-source-agreements 2>$null | Select-Object -Skip 2 | ForEach-Object {
  $cols = $_ -split '\s{2,}'
  if ($cols.Count -ge 4) { $upgrades[$cols[0]] = $cols[3] }
}
$rows = $apps | Sort-Object DisplayName -Unique | ForEach-Object {
  $_ | Add-Member -NotePropertyName Available -NotePropertyValue ($upgrades[$_.DisplayName]) -PassThru
}
New-Item -ItemType Directory -Force $OutDir | Out-Null
$csv = Join-Path $OutDir ("inventory-{0:yyyyMMdd}.csv" -f (Get-Date))
$rows | Export-Csv -NoTypeInformation -Path $csv
Write-Host "Saved $csv"
$rows | Where-Object Available | Format-Table DisplayName, DisplayVersion, Available
