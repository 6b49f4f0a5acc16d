[CmdletBinding(SupportsShouldProcess)]
param(
    [switch]$Show,
    [string]$AddAlias,
    [string]$Target,
    [string]$ImportModule,
    [switch]$PSReadLinePrediction,
    [switch]$RemoveBlock
)
$ErrorActionPreference = 'Stop'
$path = $PROFILE.CurrentUserAllHosts
$begin = '# >>> pwsh-profile-manager >>>'
$end = '# <<< pwsh-profile-manager <<<'

$text = if (Test-Path $path) { Get-Content $path -Raw } else { '' }
if ($null -eq $text) { $text = '' }
$pattern = "(?s)$([regex]::Escape($begin)).*?$([regex]::Escape($end))\r?\n?"
$block = [regex]::Match($text, $pattern).Value
$lines = if ($block) { ($block -split "\r?\n") | Where-Object { $_ -and $_ -ne $begin -and $_ -ne $end } } else { @() }

if ($Show) { if ($block) { $block } else { 'no managed block yet' }; return }

if ($RemoveBlock) {
    $new = [regex]::Replace($text, $pattern, '')
} else {
    if ($AddAlias) {
        if ($AddAlias -notmatch '^[\w-]+$' -or $Target -notmatch '^[\w.-]+$') { throw 'alias and target must be simple names' }
        $lines += "Set-Alias -Name $AddAlias -Value $Target"
    }
    if ($ImportModule) {
        if ($ImportModule -notmatch '^[\w.-]+$') { throw 'invalid module name' }
        $lines += "Import-Module $ImportModule -ErrorAction SilentlyContinue"
    }
    if ($PSReadLinePrediction) {
        $lines += 'Set-PSReadLineOption -PredictionSource History -PredictionViewStyle ListView'
    }
    $newBlock = (@($begin) + ($lines | Select-Object -Unique) + @($end)) -join [Environment]::NewLine
    $new = if ($block) { $text.Replace($block.TrimEnd("`r", "`n"), $newBlock) } else { $text.TrimEnd() + [Environment]::NewLine + $newBlock + [Environment]::NewLine }
}

Write-Host "---- new managed block ----"
Write-Host ([regex]::Match($new, $pattern).Value)
if ($PSCmdlet.ShouldProcess($path, 'update PowerShell profile')) {
    New-Item -ItemType Directory -Force -Path (Split-Path $path) | Out-Null
    if (Test-Path $path) { Copy-Item $path "$path.bak" -Force }
    Set-Content -Path $path -Value $new -Encoding UTF8
    Write-Host "updated $path (restart PowerShell to apply)"
}
