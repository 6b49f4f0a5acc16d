#requires -Version 7.0
param(
  [Parameter(Position = 0)][ValidateSet('list', 'status', 'login')][string]$Action = 'list',
  [string]$Profile = $env:AWS_PROFILE
)
$ErrorActionPreference = 'Stop'
$awsDir = Join-Path $HOME '.aws'
$config = Join-Path $awsDir 'config'
if (-not (Test-Path $config)) { throw "no $config - run 'aws configure sso' first" }

function Read-Ini([string]$path) {
  $sections = [ordered]@{}
  $cur = $null
  foreach ($line in Get-Content $path) {
    $t = $line.Trim()
    if ($t -eq '' -or $t.StartsWith('#') -or $t.StartsWith(';')) { continue }
    if ($t -match '^\[(.+)\]$') { $cur = $Matches[1]; $sections[$cur] = @{}; continue }
    if ($cur -and $t -match '^([^=]+?)\s*=\s*(.*)$') { $sections[$cur][$Matches[1]] = $Matches[2] }
  }
  $sections
}

$ini = Read-Ini $config
function Get-ProfileSection([string]$name) {
  if ($name -eq 'default') { return $ini['default'] }
  return $ini["profile $name"]
}

function Get-TokenExpiry([hashtable]$p) {
  $cache = Join-Path $awsDir 'sso/cache'
  if (-not (Test-Path $cache)) { return $null }
  $startUrl = if ($p.sso_session) { $ini["sso-session $($p.sso_session)"].sso_start_url } else { $p.sso_start_url }
  foreach ($f in Get-ChildItem $cache -Filter *.json) {
    $j = Get-Content $f.FullName -Raw | ConvertFrom-Json
    if ($j.startUrl -eq $startUrl -and $j.expiresAt) { return [datetime]::Parse($j.expiresAt).ToUniversalTime() }
  }
  $null
}

switch ($Action) {
  'list' {
    $ini.Keys | Where-Object { $_ -like 'profile *' -or $_ -eq 'default' } | ForEach-Object {
      $name = $_ -replace '^profile ', ''
      $p = Get-ProfileSection $name
      [pscustomobject]@{ Profile = $name; Account = $p.sso_account_id; Role = $p.sso_role_name; Region = $p.region; Session = $p.sso_session }
    } | Format-Table -AutoSize
  }
  'status' {
    if (-not $Profile) { throw 'give -Profile or set AWS_PROFILE' }
    $p = Get-ProfileSection $Profile
    if (-not $p) { throw "profile $Profile not found" }
    $exp = Get-TokenExpiry $p
    if (-not $exp -or $exp -lt [datetime]::UtcNow) { Write-Host "SSO session for $Profile is expired or missing. Run: pwsh ./AwsSso.ps1 login -Profile $Profile"; exit 1 }
    $id = aws sts get-caller-identity --profile $Profile --output json | ConvertFrom-Json
    [pscustomobject]@{ Profile = $Profile; Account = $id.Account; Arn = $id.Arn; MinutesLeft = [int]($exp - [datetime]::UtcNow).TotalMinutes } | Format-List
  }
  'login' {
    if (-not $Profile) { throw 'give -Profile or set AWS_PROFILE' }
    aws sso login --profile $Profile
    if ($LASTEXITCODE -eq 0) { & $PSCommandPath status -Profile $Profile }
  }
}
