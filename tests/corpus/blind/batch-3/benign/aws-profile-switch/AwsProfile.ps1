function Get-AwsProfiles {
    $cfg = Join-Path $HOME '.aws/config'
    if (-not (Test-Path $cfg)) { Write-Warning "no $cfg"; return }
    $cur = $null; $rows = @{}
    foreach ($line in Get-Content $cfg) {
        if ($line -match '^\s*\[(?:profile\s+)?([^\]]+)\]') { $cur = $Matches[1]; $rows[$cur] = [ordered]@{ Name = $cur; Region = ''; Kind = 'keys' }; continue }
        if (-not $cur -or $cur -like 'sso-session*') { continue }
        if ($line -match '^\s*region\s*=\s*(\S+)') { $rows[$cur].Region = $Matches[1] }
        elseif ($line -match '^\s*sso_(start_url|session)\s*=') { $rows[$cur].Kind = 'sso' }
        elseif ($line -match '^\s*role_arn\s*=') { $rows[$cur].Kind = 'assume-role' }
    }
    $rows.Values | ForEach-Object { [pscustomobject]$_ } | Sort-Object Name
}

function Use-AwsProfile([Parameter(Mandatory)][string]$Name) {
    if (-not (Get-AwsProfiles | Where-Object Name -eq $Name)) { throw "unknown profile $Name" }
    $env:AWS_PROFILE = $Name
    Write-Host "AWS_PROFILE=$Name (this session only)"
}

function Show-AwsIdentity {
    aws sts get-caller-identity --output table
}
