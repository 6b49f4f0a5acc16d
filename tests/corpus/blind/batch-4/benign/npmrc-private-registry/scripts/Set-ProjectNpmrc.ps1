[CmdletBinding()] param(
  [Parameter(Mandatory)][ValidatePattern('^@[a-z0-9-]+$')] [string]$Scope,
  [Parameter(Mandatory)][string]$Registry
)
if (-not $env:NPM_TOKEN) { throw 'Set NPM_TOKEN in your environment first (do not paste it here).' }
$uri = [Uri]$Registry
$hostPath = "//$($uri.Host)$($uri.AbsolutePath)"
$lines = @()
if (Test-Path .npmrc) { $lines = Get-Content .npmrc | Where-Object { $_ -notmatch "^$([regex]::Escape($Scope)):registry=" -and $_ -notmatch "^$([regex]::Escape($hostPath)):_authToken=" } }
$lines += "$Scope`:registry=$Registry"
$lines += "$hostPath`:_authToken=`${NPM_TOKEN}"
Set-Content .npmrc $lines -Encoding utf8
if (-not (Select-String -Path .gitignore -Pattern '^\.npmrc$' -Quiet -ErrorAction SilentlyContinue)) {
  Write-Host 'Note: .npmrc contains only a ${NPM_TOKEN} reference, so it is safe to commit.'
}
npm whoami --registry $Registry
