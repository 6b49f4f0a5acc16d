function global:prompt {
    $e = [char]27
    $branch = git rev-parse --abbrev-ref HEAD 2>$null
    $dirty = if ($branch -and (git status --porcelain 2>$null)) { '*' } else { '' }
    $elapsed = (Get-History -Count 1 | ForEach-Object { ($_.EndExecutionTime - $_.StartExecutionTime).TotalSeconds })
    $t = if ($elapsed -gt 2) { " {0:N1}s" -f $elapsed } else { '' }
    "$e[44m $(Get-Location) $e[0m$e[42m $branch$dirty $e[0m$t`n> "
}
