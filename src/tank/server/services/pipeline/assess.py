"""Gather the audit score's in-memory facts from a skill's files (publish and rescan share it).

Every check here fails closed for the score: a check that cannot run scores 0 and its note
says why; it never refuses the publish (only the scan does that).
"""

from __future__ import annotations

import logging
import posixpath
from collections.abc import Mapping

from tank.core import boundedjson
from tank.core.advisories import AdvisoryDB
from tank.core.manifest_model import Manifest
from tank.core.sbom import build_sbom
from tank.server.services.pipeline.coverage import CoverageResult, check_coverage
from tank.server.services.pipeline.scoring import ScoreInputs

__all__ = ["assess", "has_install_scripts"]

log = logging.getLogger("tank.server.pipeline")

_INSTALL_HOOKS = frozenset({"preinstall", "install", "postinstall", "prepare"})
_SETUP_FILES = frozenset({"setup.py"})


def has_install_scripts(files: Mapping[str, bytes]) -> bool:
    """True when any ``package.json`` declares install hooks or any ``setup.py`` exists."""
    for path, data in files.items():
        base = posixpath.basename(path)
        if base in _SETUP_FILES:
            return True
        if base != "package.json":
            continue
        try:
            scripts = boundedjson.loads_skill_file(data).get("scripts", {})
        except boundedjson.JsonRefused:
            return True  # npm could read it and run its scripts; we cannot tell: no point
        except (ValueError, AttributeError):
            continue  # not a JSON object: npm would not run anything from it either
        if isinstance(scripts, dict) and _INSTALL_HOOKS & set(scripts):
            return True
    return False


def _why(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:300]


def assess(
    files: Mapping[str, bytes],
    manifest: Manifest,
    *,
    verdict: str,
    reproducible: bool,
    signer_keyid: str | None,
    sigstore_signer: str | None = None,
    integrity: str | None = None,
    advisories: AdvisoryDB | None = None,
    measured_coverage: CoverageResult | None = None,
    behaviour_on: bool = False,
) -> ScoreInputs:
    """The score inputs the files alone decide (not reviews, not the verified publisher),
    plus ``signer_keyid``: the key of the publisher's signature the registry verified, or
    ``sigstore_signer``: the trusted publisher a verified Sigstore bundle matched.

    ``advisories`` is the registry's advisory database (None: none configured).
    ``measured_coverage`` is what the behaviour check measured by running the tests
    (``behaviour_on``: the check ran; without tests it measured nothing).
    """
    coverage = check_coverage(files)
    measured = behaviour_on
    if measured_coverage is not None:
        coverage = measured_coverage
    elif behaviour_on:
        coverage = CoverageResult(False, "measured by the registry: the skill ships no tests/")
    sbom_complete: bool | None = None
    gaps: tuple[str, ...] = ()
    sbom_error: str | None = None
    vulnerabilities: tuple[str, ...] | None = None
    vulnerability_error: str | None = None
    size = 0
    packages = 0
    try:
        sbom = build_sbom(files, manifest, integrity=integrity)
        sbom_complete, gaps = sbom.complete, tuple(sbom.gaps)
        packages = len(sbom.packages)
    except Exception as error:  # the score item fails closed; the publish goes on
        log.exception("building the SBOM failed")
        sbom_error = vulnerability_error = _why(error)
    else:
        if advisories is None:
            vulnerabilities = ()
        else:
            try:
                size = advisories.size
                matches = advisories.check(sbom.packages)
                vulnerabilities = tuple(
                    sorted(
                        {
                            f"{m.advisory_id} ({m.package.name}"
                            + ("" if m.certain else ", possibly affected")
                            + ")"
                            for m in matches
                        }
                    )
                )
            except Exception as error:  # fail closed for the item
                log.exception("checking advisories failed")
                vulnerability_error = _why(error)
    return ScoreInputs(
        verdict=verdict,
        signer_keyid=signer_keyid,
        sigstore_signer=sigstore_signer,
        install_scripts=has_install_scripts(files),
        reproducible=reproducible,
        sbom_complete=sbom_complete,
        sbom_gaps=gaps,
        sbom_error=sbom_error,
        coverage_passed=coverage.passed,
        coverage_note=coverage.note,
        coverage_measured=measured,
        advisories=size,
        packages=packages,
        vulnerabilities=vulnerabilities,
        vulnerability_error=vulnerability_error,
    )
