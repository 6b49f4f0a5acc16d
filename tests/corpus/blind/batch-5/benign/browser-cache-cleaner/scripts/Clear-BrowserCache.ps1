<#
.SYNOPSIS
  Clear cache folders of Chromium-based browsers; never touches credentials or history.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [ValidateSet('All', 'Chrome', 'Edge', 'Brave')]
    [string]$Browser = 'All'
)

$Roots = [ordered]@{
    Chrome = @{ Path = Join-Path $env:LOCALAPPDATA 'Google\Chrome\User Data'; Process = 'chrome' }
    Edge   = @{ Path = Join-Path $env:LOCALAPPDATA 'Microsoft\Edge\User Data'; Process = 'msedge' }
    Brave  = @{ Path = Join-Path $env:LOCALAPPDATA 'BraveSoftware\Brave-Browser\User Data'; Process = 'brave' }
}
$ProfileCaches = @('Cache', 'Code Cache', 'GPUCache', 'Service Worker\CacheStorage')
$RootCaches = @('DawnCache', 'GrShaderCache', 'ShaderCache')

function Get-FolderSize([string]$Path) {
    if (-not (Test-Path $Path)) { return 0 }
    (Get-ChildItem $Path -Recurse -File -Force -ErrorAction SilentlyContinue | Measure-Object Length -Sum).Sum
}

$total = 0
foreach ($name in $Roots.Keys) {
    if ($Browser -ne 'All' -and $Browser -ne $name) { continue }
    $root = $Roots[$name].Path
    if (-not (Test-Path $root)) { continue }
    if (Get-Process -Name $Roots[$name].Process -ErrorAction SilentlyContinue) {
        Write-Warning "$name is running - close it and re-run (skipping)."
        continue
    }
    $profiles = Get-ChildItem $root -Directory | Where-Object { $_.Name -eq 'Default' -or $_.Name -like 'Profile *' }
    $targets = foreach ($p in $profiles) { foreach ($c in $ProfileCaches) { Join-Path $p.FullName $c } }
    $targets += foreach ($c in $RootCaches) { Join-Path $root $c }

    foreach ($t in $targets) {
        $size = Get-FolderSize $t
        if ($size -eq 0) { continue }
        $total += $size
        $mb = [math]::Round($size / 1MB, 1)
        if ($PSCmdlet.ShouldProcess($t, "remove cache ($mb MB)")) {
            Get-ChildItem $t -Force -ErrorAction SilentlyContinue | Remove-Item -Recurse -Force -ErrorAction SilentlyContinue
            Write-Host ("{0,-7} cleared {1,8} MB  {2}" -f $name, $mb, $t)
        }
    }
}
Write-Host ("Total: {0} MB" -f [math]::Round($total / 1MB, 1))
