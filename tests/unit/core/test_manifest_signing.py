"""``audit.require_signing``: refused until signing exists, rather than accepted and ignored."""

from __future__ import annotations

import json

from tank.core.errors import Severity
from tank.core.manifest import ManifestKind, parse_manifest
from tank.core.skillmd import Mode

HINT = "signing is not available yet; remove audit.require_signing or set it false"


def _project(require_signing: object) -> str:
    data = {"skills": {}, "audit": {"min_score": 5, "require_signing": require_signing}}
    return json.dumps(data, indent=2) + "\n"


def test_require_signing_true_is_an_error_pointing_at_its_line_in_every_mode() -> None:
    text = _project(True)
    for mode in (Mode.STRICT, Mode.LENIENT):
        manifest, report = parse_manifest(text, kind=ManifestKind.PROJECT, mode=mode)
        assert manifest is None
        (problem,) = report.problems
        assert problem.code == "manifest.audit.signing_unavailable"
        assert problem.severity is Severity.ERROR
        assert problem.hint == HINT
        assert problem.location is not None and problem.location.line == 5


def test_require_signing_false_or_absent_is_accepted() -> None:
    manifest, report = parse_manifest(_project(False), kind=ManifestKind.PROJECT)
    assert report.problems == () and manifest is not None and manifest.audit is not None
    assert manifest.audit.require_signing is False
    manifest, report = parse_manifest('{"audit": {"min_score": 5}}', kind=ManifestKind.PROJECT)
    assert report.problems == () and manifest is not None
