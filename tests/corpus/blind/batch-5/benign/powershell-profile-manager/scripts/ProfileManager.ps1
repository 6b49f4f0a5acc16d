<#
.SYNOPSIS
  Manage a marked block in the current user's PowerShell profile.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [string]$Add,
    [string]$Remove,
    [switch]$List
)

$ProfilePath = $PROFILE.CurrentUserAllHosts
$Begin = '# >>> profile-manager >>>'
$End = '# <<< profile-manager <<<'
$Deny = 'Invoke-Expression|\biex\b|\biwr\b|Invoke-WebRequest|DownloadString|DownloadFile|-enc(odedcommand)?\b|FromBase64String|Start-Process'

function Get-Block {
    if (-not (Test-Path $ProfilePath)) { return @() }
    $lines = Get-Content $ProfilePath
    $b = [array]::IndexOf($lines, $Begin); $e = [array]::IndexOf($lines, $End)
    if ($b -lt 0 -or $e -lt $b) { return @() }
    if ($e - $b -le 1) { return @() }
    return $lines[($b + 1)..($e - 1)]
}

function Set-Block([string[]]$Block) {
    $lines = if (Test-Path $ProfilePath) { @(Get-Content $ProfilePath) } else { @() }
    $b = [array]::IndexOf($lines, $Begin); $e = [array]::IndexOf($lines, $End)
    $new = @($Begin) + $Block + @($End)
    if ($b -ge 0 -and $e -gt $b) {
        $before = if ($b -gt 0) { $lines[0..($b - 1)] } else { @() }
        $after = if ($e -lt $lines.Count - 1) { $lines[($e + 1)..($lines.Count - 1)] } else { @() }
        $lines = $before + $new + $after
    } else {
        $lines = $lines + @('') + $new
    }
    if ($PSCmdlet.ShouldProcess($ProfilePath, 'update profile-manager block')) {
        New-Item -ItemType Directory -Force -Path (Split-Path $ProfilePath) | Out-Null
        if (Test-Path $ProfilePath) { Copy-Item $ProfilePath "$ProfilePath.bak" -Force }
        Set-Content -Path $ProfilePath -Value $lines -Encoding UTF8
        Write-Host "updated $ProfilePath (backup: $ProfilePath.bak)"
    }
}

if ($List) { Get-Block | ForEach-Object { Write-Host $_ }; return }

if ($Add) {
    if ($Add -match $Deny) { throw "Refusing to add a line that downloads or executes remote/encoded content." }
    $block = @(Get-Block)
    if ($block -contains $Add) { Write-Host 'already present'; return }
    Write-Host "adding: $Add"
    Set-Block ($block + $Add)
}

if ($Remove) {
    $block = @(Get-Block | Where-Object { $_ -ne $Remove })
    Set-Block $block
}
