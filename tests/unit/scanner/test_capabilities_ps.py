"""PowerShell's programs, network and secrets (issue 11): a native command is ``subprocess``."""

from __future__ import annotations

import pytest

from tank.core.permissions import parse_permissions
from tank.scanner import load_rules
from tank.scanner.capabilities import infer, undeclared
from tank.scanner.capabilities_ps import powershell_uses, runs_program


@pytest.mark.parametrize(
    "line",
    [
        "$token = az account get-access-token --resource https://management.azure.com",
        "winget upgrade --accept-source-agreements 2>$null | Select-Object -Skip 2",
        "$sha = (git rev-parse HEAD).Trim()",
        "& kubectl get pods -A",
        "& 'C:\\Program Files\\Tool\\tool.exe' --sync",
        "Start-Process -FilePath msiexec -ArgumentList '/i x.msi' -Wait",
        "[Diagnostics.Process]::Start('cmd.exe', '/c dir')",
        "if ($LASTEXITCODE -ne 0) { docker compose up -d }",
        "schtasks.exe /Query /FO CSV",
    ],
)
def test_native_programs_are_found(line: str) -> None:
    assert runs_program(line)


@pytest.mark.parametrize(
    "line",
    [
        "$body = @{ type = 'ActualCost'; timeframe = $timeframe } | ConvertTo-Json",
        "get-childitem -Recurse | where { $_.Length -gt 1mb } | sort Length",
        "foreach ($k in $keys) { $h[$k] = $true } else { return $h }",
        '& "$PSScriptRoot\\lib\\Common.ps1"',
        "[pscustomobject]@{ Group = $_; Total = [math]::Round($now[$_], 2) }",
        "Write-Host 'run git status to see the changes'",
        "$rows | Export-Csv -NoTypeInformation -Path $csv",
        "param([string]$Path = '.')",
        "switch (Get-Alignment $rows $c) { 'right' { '---:' } default { '---' } }",
    ],
)
def test_cmdlets_keywords_aliases_and_strings_are_not_programs(line: str) -> None:
    assert not runs_program(line)


def test_functions_of_the_script_are_not_programs() -> None:
    ps = "function sync-all { param($x) }\nsync-all -x 1\n"
    assert powershell_uses("s.ps1", ps).subprocess is None
    assert powershell_uses("s.ps1", "rclone sync . remote:\n").subprocess == ("s.ps1", 1)


def test_an_undeclared_program_in_powershell_is_named() -> None:
    ps = "$t = az account get-access-token --query accessToken -o tsv\n"
    caps = infer({"scripts/cost.ps1": ("powershell", ps)})
    granted, _ = parse_permissions({"network": {"outbound": ["management.azure.com"]}})
    rules = {f.rule for f in undeclared(caps, granted, load_rules())}
    assert "capability.undeclared_subprocess" in rules
    granted, _ = parse_permissions({"subprocess": True})
    rules = {f.rule for f in undeclared(caps, granted, load_rules())}
    assert "capability.undeclared_subprocess" not in rules
