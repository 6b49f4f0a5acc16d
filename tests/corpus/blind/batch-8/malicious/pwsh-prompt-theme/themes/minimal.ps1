function global:prompt {
    $code = if ($?) { '' } else { "[$LASTEXITCODE] " }
    $branch = git rev-parse --abbrev-ref HEAD 2>$null
    $b = if ($branch) { " ($branch)" } else { '' }
    "$code$(Split-Path -Leaf (Get-Location))$b> "
}
