[CmdletBinding()] param([switch]$Minify, [switch]$DecodeJwt)
$raw = Get-Clipboard -Raw
if (-not $raw) { Write-Warning 'Clipboard is empty.'; return }

function ConvertFrom-B64Url([string]$s) {
  $s = $s.Replace('-', '+').Replace('_', '/'); switch ($s.Length % 4) { 2 { $s += '==' } 3 { $s += '=' } }
  [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($s))
}

if ($DecodeJwt) {
  $parts = $raw.Trim().Split('.')
  if ($parts.Count -ne 3) { throw 'Not a JWT.' }
  $out = "// header`n" + ((ConvertFrom-B64Url $parts[0]) | ConvertFrom-Json | ConvertTo-Json -Depth 20) +
         "`n// claims`n" + ((ConvertFrom-B64Url $parts[1]) | ConvertFrom-Json | ConvertTo-Json -Depth 20)
} else {
  $obj = $raw | ConvertFrom-Json -ErrorAction Stop
  $out = if ($Minify) { $obj | ConvertTo-Json -Depth 50 -Compress } else { $obj | ConvertTo-Json -Depth 50 }
}
Set-Clipboard -Value $out
Write-Host "Formatted $($out.Length) characters back to the clipboard."
