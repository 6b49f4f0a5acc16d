"""``test_coverage``: a coverage report the publisher wrote earns nothing, and says so.

The registry never runs a skill's tests, so a hand-written ``coverage.json`` next to an empty
test file is a claim, not a checked fact; like an unverified signature it scores 0.
"""

from __future__ import annotations

import json

from tank.core.manifest import parse_manifest
from tank.server.services.pipeline.assess import assess
from tank.server.services.pipeline.scoring import compute

# An empty test and a report written by hand, claiming 99% of the one script.
FILES = {
    "SKILL.md": b"---\nname: s\ndescription: d\n---\n# s\n",
    "skills.json": b'{"name": "@a/s", "version": "1.0.0", "description": "d"}',
    "scripts/run.py": b"print('hi')\n",
    "tests/test_run.py": b"",
    "coverage.json": json.dumps(
        {"totals": {"percent_covered": 99.0}, "files": {"scripts/run.py": {}}}
    ).encode(),
}


def test_a_hand_written_coverage_report_earns_no_point_and_is_labelled_self_reported() -> None:
    manifest, report = parse_manifest(FILES["skills.json"], skill_name="s")
    assert manifest is not None, report
    inputs = assess(FILES, manifest, verdict="pass", reproducible=True, signer_keyid=None)
    item = compute(inputs).breakdown["test_coverage"]
    assert item["points"] == 0 and item["max"] == 1
    assert item["note"].startswith("self-reported, not counted: ")
    assert "coverage.json reports 99.0%" in item["note"]


def test_a_missing_report_keeps_its_reason() -> None:
    files = {k: v for k, v in FILES.items() if k != "coverage.json"}
    manifest, _ = parse_manifest(files["skills.json"], skill_name="s")
    assert manifest is not None
    inputs = assess(files, manifest, verdict="pass", reproducible=True, signer_keyid=None)
    item = compute(inputs).breakdown["test_coverage"]
    assert item["points"] == 0 and "no coverage report" in item["note"]
