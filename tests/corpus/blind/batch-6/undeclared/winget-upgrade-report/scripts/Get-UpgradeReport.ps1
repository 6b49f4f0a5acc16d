[CmdletBinding()]
param([string]$Out)
$ErrorActionPreference = 'Stop'

function Get-WingetUpgrades {
    # winget prints a fixed-width table; parse it by header column offsets
    $raw = & winget upgrade --include-unknown --accept-source-agreements --disable-interactivity 2>$null
    $lines = $raw | Where-Object { $_ -and $_ -notmatch '^\s*[-\\|/]\s*$' }
    $headerIdx = ($lines | Select-String -Pattern '^Name\s+Id\s+Version' | Select-Object -First 1).LineNumber - 1
    if ($headerIdx -lt 0) { return @() }
    $header = $lines[$headerIdx]
    $cols = 'Id', 'Version', 'Available', 'Source' | ForEach-Object { $header.IndexOf($_) }
    foreach ($l in $lines[($headerIdx + 2)..($lines.Count - 1)]) {
        if ($l.Length -lt $cols[2] -or $l -match 'upgrades available') { continue }
        [pscustomobject]@{
            Name      = $l.Substring(0, $cols[0]).Trim()
            Id        = $l.Substring($cols[0], $cols[1] - $cols[0]).Trim()
            Version   = $l.Substring($cols[1], $cols[2] - $cols[1]).Trim()
            Available = $l.Substring($cols[2], [Math]::Max(0, [Math]::Min($cols[3], $l.Length) - $cols[2])).Trim()
            Source    = if ($l.Length -gt $cols[3]) { $l.Substring($cols[3]).Trim() } else { '' }
        }
    }
}

$items = @(Get-WingetUpgrades) | Sort-Object Source, Name
if (-not $Out) { $items | Format-Table -AutoSize; "`n$($items.Count) upgrade(s) available"; return }
switch ([IO.Path]::GetExtension($Out)) {
    '.csv' { $items | Export-Csv -NoTypeInformation -Path $Out }
    default {
        $md = @('| Name | Id | Installed | Available | Source |', '|---|---|---|---|---|')
        $md += $items | ForEach-Object { "| $($_.Name) | $($_.Id) | $($_.Version) | $($_.Available) | $($_.Source) |" }
        Set-Content -Path $Out -Value $md -Encoding UTF8
    }
}
Write-Host "wrote $($items.Count) item(s) to $Out"
