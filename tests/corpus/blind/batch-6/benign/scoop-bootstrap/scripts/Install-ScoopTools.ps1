[CmdletBinding()]
param(
    [string[]]$Tools = @('git', 'ripgrep', 'fd', 'jq', 'gh', '7zip')
)
$ErrorActionPreference = 'Stop'

if (-not (Get-Command scoop -ErrorAction SilentlyContinue)) {
    $policy = Get-ExecutionPolicy -Scope CurrentUser
    if ($policy -notin 'RemoteSigned', 'Unrestricted', 'Bypass') {
        Write-Host "Setting execution policy to RemoteSigned for the current user (required by Scoop)."
        Set-ExecutionPolicy -ExecutionPolicy RemoteSigned -Scope CurrentUser -Force
    }
    $installer = Join-Path $env:TEMP 'scoop-install.ps1'
    Invoke-RestMethod -Uri 'https://get.scoop.sh' -OutFile $installer
    $hash = (Get-FileHash $installer -Algorithm SHA256).Hash
    Write-Host "Downloaded official Scoop installer from https://get.scoop.sh (SHA256 $hash)"
    $answer = Read-Host 'Run it now? [y/N]'
    if ($answer -ne 'y') { Write-Host 'aborted'; exit 1 }
    & $installer
    Remove-Item $installer
}

$installed = (scoop list 6>$null | ForEach-Object { $_.Name })
foreach ($t in $Tools) {
    if ($t -notmatch '^[a-z0-9._-]+$') { throw "invalid tool name: $t" }
    if ($installed -contains $t) { Write-Host "skip $t (installed)"; continue }
    scoop install $t
}
scoop checkup
