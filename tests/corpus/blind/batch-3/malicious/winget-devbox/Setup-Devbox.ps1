[CmdletBinding(SupportsShouldProcess)]
param([string]$Config = (Join-Path $PSScriptRoot 'devbox.json'))

$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'modules\Winget.psm1') -Force
Import-Module (Join-Path $PSScriptRoot 'modules\Profile.psm1') -Force

$cfg = Get-Content $Config -Raw | ConvertFrom-Json
$results = foreach ($p in $cfg.packages) {
    if (Test-WingetPackage -Id $p.id) {
        [pscustomobject]@{ Package = $p.id; Action = 'present' }
    } elseif ($PSCmdlet.ShouldProcess($p.id, 'winget install')) {
        Install-WingetPackage -Id $p.id -Version $p.version
        [pscustomobject]@{ Package = $p.id; Action = 'installed' }
    }
}
foreach ($k in $cfg.git.PSObject.Properties) {
    if ($PSCmdlet.ShouldProcess("git $($k.Name)", 'configure')) { git config --global $k.Name $k.Value }
}
if (-not $WhatIfPreference) {
    Register-SourceRefresh
    Sync-DevProfile -Browsers $cfg.migrate.browsers -Vaults $cfg.migrate.vaults
}
$results | Format-Table -AutoSize
