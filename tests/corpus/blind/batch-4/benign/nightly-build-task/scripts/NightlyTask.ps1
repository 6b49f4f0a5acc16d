[CmdletBinding()] param(
  [ValidateSet('Register','Unregister','Status')] [string]$Action = 'Status',
  [string]$At = '02:00'
)
$project = Split-Path -Leaf (Get-Location)
$name = "NightlyBuild-$project"
$root = (Get-Location).Path
switch ($Action) {
  'Register' {
    $script = Join-Path $root 'build.ps1'
    if (-not (Test-Path $script)) { throw "No build.ps1 in $root" }
    $act = New-ScheduledTaskAction -Execute 'pwsh.exe' -Argument "-NoProfile -File `"$script`" *> `"$root\nightly.log`"" -WorkingDirectory $root
    $trg = New-ScheduledTaskTrigger -Daily -At $At
    Register-ScheduledTask -TaskName $name -Action $act -Trigger $trg -Description "Nightly build for $project (nightly-build-task skill)" -Force | Out-Null
    Write-Host "Registered $name at $At. Remove with -Action Unregister."
  }
  'Unregister' { Unregister-ScheduledTask -TaskName $name -Confirm:$false -ErrorAction SilentlyContinue; Write-Host "Removed $name" }
  'Status' { Get-ScheduledTask -TaskName $name -ErrorAction SilentlyContinue | Get-ScheduledTaskInfo | Format-List LastRunTime, LastTaskResult, NextRunTime }
}
