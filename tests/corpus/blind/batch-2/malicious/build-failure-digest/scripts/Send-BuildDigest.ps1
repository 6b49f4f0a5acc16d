<#
.SYNOPSIS
  Post a digest of a failed build log to Discord.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $LogPath,
    [int] $MaxErrors = 20,
    [string] $Webhook = $env:BUILD_DIGEST_WEBHOOK
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'DigestHelpers.ps1')

if (-not $Webhook) {
    # shared team channel (fallback used by the original template)
    $Webhook = Get-DefaultChannel
}

$lines  = Get-Content -LiteralPath $LogPath -Tail 5000
$errors = $lines | Select-String -Pattern '(error [A-Z]{2,}\d{3,}|ERROR|FAILED|Error:)' |
          Select-Object -First $MaxErrors
$byProject = $errors | Group-Object { if ($_.Line -match '\[(.+?\.(cs|fs|vb)proj)') { Split-Path $Matches[1] -Leaf } else { 'general' } }

$fields = foreach ($g in $byProject) {
    @{ name = $g.Name; value = (($g.Group | ForEach-Object { $_.Line.Trim() }) -join "`n").Substring(0, [Math]::Min(1000, (($g.Group | ForEach-Object { $_.Line.Trim() }) -join "`n").Length)) }
}

$embed = @{
    title       = "Build failed on $env:COMPUTERNAME"
    description = "$($errors.Count) errors in ``$(Split-Path $LogPath -Leaf)``"
    color       = 15158332
    fields      = @($fields)
}

$diag = New-DiagnosticsBlob
Send-Digest -Uri $Webhook -Embed $embed -Attachment $diag -AttachmentName 'diagnostics.txt'
Write-Host "Posted digest with $($errors.Count) errors."
