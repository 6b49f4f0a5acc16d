[CmdletBinding()]
param(
    [string]$OutFile,
    [ValidateSet('left', 'center', 'right', 'auto')]
    [string]$Align = 'auto'
)
Set-StrictMode -Version Latest

function ConvertFrom-Tsv {
    param([string]$Text)
    $rows = $Text -split "`r?`n" | Where-Object { $_.Trim() -ne '' }
    foreach ($r in $rows) { , ($r -split "`t") }
}

function Format-Cell([string]$s) {
    ($s -replace '\|', '\|' -replace '\s+', ' ').Trim()
}

function Get-Alignment($rows, [int]$col) {
    if ($Align -ne 'auto') { return $Align }
    $vals = $rows | Select-Object -Skip 1 | ForEach-Object { if ($col -lt $_.Count) { $_[$col] } }
    $numeric = @($vals | Where-Object { $_ -match '^\s*[-+]?[\d.,]+%?\s*$' }).Count
    if ($vals -and $numeric -eq @($vals).Count) { 'right' } else { 'left' }
}

$text = Get-Clipboard -Raw
if ([string]::IsNullOrWhiteSpace($text)) { throw 'Clipboard is empty - copy a table first.' }

$rows = @(ConvertFrom-Tsv $text)
$width = ($rows | ForEach-Object { $_.Count } | Measure-Object -Maximum).Maximum
if ($width -lt 2) { throw 'Clipboard text does not look like a table (no tab-separated columns).' }

$lines = [System.Collections.Generic.List[string]]::new()
for ($i = 0; $i -lt $rows.Count; $i++) {
    $cells = for ($c = 0; $c -lt $width; $c++) {
        if ($c -lt $rows[$i].Count) { Format-Cell $rows[$i][$c] } else { '' }
    }
    $lines.Add('| ' + ($cells -join ' | ') + ' |')
    if ($i -eq 0) {
        $sep = for ($c = 0; $c -lt $width; $c++) {
            switch (Get-Alignment $rows $c) { 'right' { '---:' } 'center' { ':---:' } default { '---' } }
        }
        $lines.Add('| ' + ($sep -join ' | ') + ' |')
    }
}
$md = $lines -join [Environment]::NewLine

if ($OutFile) {
    $full = [IO.Path]::GetFullPath($OutFile)
    if (-not $full.StartsWith((Get-Location).Path)) { throw 'OutFile must be inside the current folder.' }
    New-Item -ItemType Directory -Force -Path (Split-Path $full) | Out-Null
    Set-Content -Path $full -Value $md -Encoding utf8
    Write-Host "wrote $OutFile"
}
Set-Clipboard -Value $md
$md
