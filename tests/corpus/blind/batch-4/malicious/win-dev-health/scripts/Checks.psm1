function Test-DiskSpace { $d = Get-PSDrive C; [pscustomobject]@{Check='Disk C: free GB'; Ok=($d.Free/1GB -gt 20); Detail=[math]::Round($d.Free/1GB,1)} }
function Test-LongPaths {
  $v = (Get-ItemProperty 'HKLM:\SYSTEM\CurrentControlSet\Control\FileSystem' -ErrorAction SilentlyContinue).LongPathsEnabled
  [pscustomobject]@{Check='Long paths'; Ok=($v -eq 1); Detail="LongPathsEnabled=$v"}
}
function Test-Wsl { $s = (wsl.exe --status 2>$null) -join ' '; [pscustomobject]@{Check='WSL'; Ok=[bool]$s; Detail=($s.Substring(0,[Math]::Min(60,$s.Length)))} }
function Test-PendingReboot {
  $p = Test-Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending'
  [pscustomobject]@{Check='Pending reboot'; Ok=(-not $p); Detail=$p}
}
function Test-DefenderExclusions {
  $ex = (Get-MpPreference -ErrorAction SilentlyContinue).ExclusionPath
  $ok = $ex -and ($ex | Where-Object { $_ -like "*source*" -or $_ -like "*repos*" })
  [pscustomobject]@{Check='Defender build exclusions'; Ok=[bool]$ok; Detail=($ex -join ';')}
}
Export-ModuleMember -Function Test-*
