"""``audit.require_signing``: accepted now that publisher signatures are verified on install."""

from __future__ import annotations

import json

from tank.core.manifest import ManifestKind, parse_manifest
from tank.core.skillmd import Mode


def _project(require_signing: object) -> str:
    data = {"skills": {}, "audit": {"min_score": 5, "require_signing": require_signing}}
    return json.dumps(data, indent=2) + "\n"


def test_require_signing_true_is_accepted_in_every_mode() -> None:
    for mode in (Mode.STRICT, Mode.LENIENT):
        manifest, report = parse_manifest(_project(True), kind=ManifestKind.PROJECT, mode=mode)
        assert report.problems == () and manifest is not None and manifest.audit is not None
        assert manifest.audit.require_signing is True


def test_require_signing_false_or_absent_is_accepted() -> None:
    manifest, report = parse_manifest(_project(False), kind=ManifestKind.PROJECT)
    assert report.problems == () and manifest is not None and manifest.audit is not None
    assert manifest.audit.require_signing is False
    manifest, report = parse_manifest('{"audit": {"min_score": 5}}', kind=ManifestKind.PROJECT)
    assert report.problems == () and manifest is not None


def test_require_signing_must_be_a_boolean() -> None:
    manifest, report = parse_manifest(_project("yes"), kind=ManifestKind.PROJECT)
    assert manifest is None
    assert any("require_signing" in p.message for p in report.problems)
