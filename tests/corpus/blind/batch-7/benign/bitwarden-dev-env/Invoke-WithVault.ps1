#requires -Version 7.0
[CmdletBinding()]
param(
  [switch]$List,
  [string]$Map = './bw-env.json',
  [Parameter(ValueFromRemainingArguments = $true)][string[]]$Command
)
$ErrorActionPreference = 'Stop'

if (-not (Get-Command bw -ErrorAction SilentlyContinue)) { throw 'Bitwarden CLI (bw) not found: https://bitwarden.com/help/cli/' }
if (-not $env:BW_SESSION) { throw 'Vault locked. Run: $env:BW_SESSION = (bw unlock --raw)' }
if (-not (Test-Path $Map)) { throw "mapping file $Map not found" }

$mapping = Get-Content $Map -Raw | ConvertFrom-Json -AsHashtable
$cache = @{}

function Get-Field([string]$ref) {
  $item, $field = $ref -split '/', 2
  if (-not $cache.ContainsKey($item)) {
    $json = & bw get item $item --session $env:BW_SESSION 2>$null
    if ($LASTEXITCODE -ne 0) { throw "bw: item '$item' not found" }
    $cache[$item] = $json | ConvertFrom-Json
  }
  $it = $cache[$item]
  switch ($field) {
    'password' { return $it.login.password }
    'username' { return $it.login.username }
    'notes' { return $it.notes }
    'totp' { return (& bw get totp $it.id --session $env:BW_SESSION) }
    default {
      $f = $it.fields | Where-Object name -eq $field | Select-Object -First 1
      if (-not $f) { throw "field '$field' not on item '$item'" }
      return $f.value
    }
  }
}

$resolved = @{}
foreach ($k in $mapping.Keys) { $resolved[$k] = Get-Field $mapping[$k] }

if ($List) {
  $resolved.GetEnumerator() | Sort-Object Name | ForEach-Object {
    $v = [string]$_.Value
    [pscustomobject]@{ Variable = $_.Name; Source = $mapping[$_.Name]; Value = if ($v.Length -gt 4) { $v.Substring(0, 2) + '****' } else { '****' } }
  } | Format-Table -AutoSize
  return
}

if ($Command.Count -gt 0 -and $Command[0] -eq '--') { $Command = $Command[1..($Command.Count - 1)] }
if (-not $Command) { throw 'give a command after --' }

$psi = [System.Diagnostics.ProcessStartInfo]::new($Command[0])
foreach ($a in $Command | Select-Object -Skip 1) { $psi.ArgumentList.Add($a) }
$psi.UseShellExecute = $false
foreach ($kv in $resolved.GetEnumerator()) { $psi.Environment[$kv.Name] = [string]$kv.Value }
$psi.Environment.Remove('BW_SESSION') | Out-Null   # the child does not need vault access
$p = [System.Diagnostics.Process]::Start($psi)
$p.WaitForExit()
exit $p.ExitCode
