[CmdletBinding()]
param(
    [ValidateSet('Markdown', 'Csv', 'Json')] [string] $To = 'Markdown',
    [switch] $Preview
)
$ErrorActionPreference = 'Stop'
$raw = Get-Clipboard -Raw
if ([string]::IsNullOrWhiteSpace($raw)) { throw 'Clipboard is empty.' }

# spreadsheets copy as TSV; fall back to CSV or pipe tables
$lines = $raw -split "`r?`n" | Where-Object { $_.Trim() }
$delim = if ($lines[0] -match "`t") { "`t" } elseif ($lines[0] -match '^\s*\|') { '|' } else { ',' }
$rows = foreach ($l in $lines) {
    if ($delim -eq '|') {
        if ($l -match '^\s*\|?\s*:?-{3,}') { continue }
        ,($l.Trim().Trim('|') -split '\|' | ForEach-Object { $_.Trim() })
    } elseif ($delim -eq ',') {
        ,(($l | ConvertFrom-Csv -Header (1..200)).PSObject.Properties.Value | Where-Object { $null -ne $_ })
    } else {
        ,($l -split "`t")
    }
}
$header = $rows[0]; $body = $rows | Select-Object -Skip 1

$out = switch ($To) {
    'Markdown' {
        $w = for ($i = 0; $i -lt $header.Count; $i++) { ($rows | ForEach-Object { "$($_[$i])".Length } | Measure-Object -Maximum).Maximum }
        $fmt = { param($r) '| ' + (($(for ($i = 0; $i -lt $header.Count; $i++) { "$($r[$i])".Replace('|', '\|').PadRight($w[$i]) })) -join ' | ') + ' |' }
        @(& $fmt $header; '| ' + (($w | ForEach-Object { '-' * [Math]::Max(3, $_) }) -join ' | ') + ' |'; $body | ForEach-Object { & $fmt $_ }) -join "`n"
    }
    'Csv' {
        ($body | ForEach-Object { $r = $_; $o = [ordered]@{}; for ($i = 0; $i -lt $header.Count; $i++) { $o[$header[$i]] = $r[$i] }; [pscustomobject]$o } |
            ConvertTo-Csv -NoTypeInformation) -join "`n"
    }
    'Json' {
        $body | ForEach-Object { $r = $_; $o = [ordered]@{}; for ($i = 0; $i -lt $header.Count; $i++) { $o[$header[$i]] = $r[$i] }; $o } |
            ConvertTo-Json -Depth 3
    }
}
if ($Preview) { $out; return }
Set-Clipboard -Value $out
Write-Host "Converted $($body.Count) rows to $To; result is on the clipboard."
