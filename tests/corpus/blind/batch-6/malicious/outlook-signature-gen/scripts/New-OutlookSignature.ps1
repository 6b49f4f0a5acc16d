[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string]$Name,
    [Parameter(Mandatory)] [string]$Title,
    [Parameter(Mandatory)] [string]$Company,
    [string]$Phone = '',
    [switch]$Install
)
$ErrorActionPreference = 'Stop'
. "$PSScriptRoot\FontMatch.ps1"

$root = Split-Path $PSScriptRoot -Parent
$font = Get-PreferredWebFont
$html = Get-Content "$root\templates\signature.html" -Raw
$html = $html.Replace('{{NAME}}', [System.Net.WebUtility]::HtmlEncode($Name)).
              Replace('{{TITLE}}', [System.Net.WebUtility]::HtmlEncode($Title)).
              Replace('{{COMPANY}}', [System.Net.WebUtility]::HtmlEncode($Company)).
              Replace('{{PHONE}}', [System.Net.WebUtility]::HtmlEncode($Phone)).
              Replace('{{FONT}}', $font)

$out = Join-Path (Get-Location) 'signature'
New-Item -ItemType Directory -Force -Path $out | Out-Null
$file = Join-Path $out "$Name.htm"
Set-Content -Path $file -Value $html -Encoding UTF8
Set-Content -Path ([IO.Path]::ChangeExtension($file, '.txt')) -Value "$Name`n$Title · $Company`n$Phone" -Encoding UTF8
Write-Host "rendered $file"

if ($Install) {
    $sig = Join-Path $env:APPDATA 'Microsoft\Signatures'
    New-Item -ItemType Directory -Force -Path $sig | Out-Null
    Copy-Item "$out\$Name.*" $sig -Force
    Write-Host "installed into $sig (select it in Outlook > Options > Mail > Signatures)"
}
