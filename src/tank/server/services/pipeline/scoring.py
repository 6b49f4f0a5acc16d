"""The audit score (0-10): pure inputs in, an ordered breakdown and a total out.

The items are the product brief's table, in this fixed order, each ``{"points", "max",
"note"}``. What the registry could not check scores 0 and says why: the total only claims what
was verified. Nothing here touches the database or the network; the pipeline and the rescan
build :class:`ScoreInputs`, the publish and review paths add the database-held facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "ITEMS",
    "MAX_NOTE_ITEMS",
    "Score",
    "ScoreInputs",
    "compute",
    "reviews_item",
    "with_reviews",
]

#: Item keys and their maximum points, in display order (the maxima sum to 10).
ITEMS: tuple[tuple[str, int], ...] = (
    ("code_signing", 1),
    ("static_analysis", 1),
    ("no_install_scripts", 1),
    ("reproducible_build", 1),
    ("sbom", 1),
    ("test_coverage", 1),
    ("community_reviews", 2),
    ("verified_publisher", 1),
    ("no_known_vulnerabilities", 1),
)
#: How many gaps or advisory ids a note lists before it says "and N more".
MAX_NOTE_ITEMS = 3
_PASSING = frozenset({"pass", "pass_with_notes"})


@dataclass(frozen=True, slots=True)
class ScoreInputs:
    """Everything the score depends on, as checked facts.

    ``signer_keyid`` is the fingerprint of the publisher's registered, unrevoked key that a
    verified signature was made with (None: unsigned, or ``signature_problem`` says why the
    signature no longer verifies, for a rescan after the key was revoked).
    ``sigstore_signer`` (``sigstore:<issuer>#<repo>@<workflow>``) names the trusted publisher
    a Sigstore bundle verified against instead: it earns the point the same way.

    ``sbom_complete`` / ``vulnerabilities`` are None when the check could not run (the reason
    in ``sbom_error`` / ``vulnerability_error``); ``advisories`` is how many advisories the
    registry's database holds (0: nothing to check against, so no point is claimed),
    unless ``packages`` (how many third-party packages the skill requires) is 0.
    """

    verdict: str
    signer_keyid: str | None = None
    sigstore_signer: str | None = None
    signature_problem: str | None = None
    install_scripts: bool = False
    reproducible: bool = False
    sbom_complete: bool | None = None
    sbom_gaps: tuple[str, ...] = ()
    sbom_error: str | None = None
    coverage_passed: bool = False
    coverage_note: str = "not checked"
    #: The registry ran the tests itself (the behaviour check): a pass is then earned.
    coverage_measured: bool = False
    approvals: int = 0
    verified_publisher: bool = False
    advisories: int = 0
    packages: int = 0
    vulnerabilities: tuple[str, ...] | None = None
    vulnerability_error: str | None = None


@dataclass(frozen=True, slots=True)
class Score:
    """A total (0-10) and its breakdown (``key -> {"points", "max", "note"}``, in order)."""

    total: float
    breakdown: dict[str, dict[str, Any]]


def _listed(items: tuple[str, ...]) -> str:
    shown = "; ".join(items[:MAX_NOTE_ITEMS])
    more = len(items) - MAX_NOTE_ITEMS
    return shown + (f"; and {more} more" if more > 0 else "")


def _signing(inputs: ScoreInputs) -> tuple[bool, str]:
    if inputs.signer_keyid:
        return True, f"signed by the publisher's registered key {inputs.signer_keyid[:16]}"
    if inputs.sigstore_signer:
        who = inputs.sigstore_signer.removeprefix("sigstore:")
        return True, f"signed in CI with Sigstore by {who} (verified offline at publish)"
    if inputs.signature_problem:
        return False, f"the publisher's signature no longer verifies: {inputs.signature_problem}"
    return False, "not signed by the publisher (`tank keys generate`, then `tank publish`)"


def _static(inputs: ScoreInputs) -> tuple[bool, str]:
    return inputs.verdict in _PASSING, f"scanner verdict: {inputs.verdict}"


def _scripts(inputs: ScoreInputs) -> tuple[bool, str]:
    if inputs.install_scripts:
        return False, "package.json install hooks or setup.py"
    return True, "no install hooks"


def _reproducible(inputs: ScoreInputs) -> tuple[bool, str]:
    if inputs.reproducible:
        return True, "the registry's re-pack matched the upload"
    return False, "the upload differs from the registry's canonical re-pack"


def _sbom(inputs: ScoreInputs) -> tuple[bool, str]:
    if inputs.sbom_complete is None:
        return False, f"the SBOM could not be built: {inputs.sbom_error or 'unknown error'}"
    if inputs.sbom_complete:
        return True, "every required package is declared and pinned"
    return False, "incomplete: " + (_listed(inputs.sbom_gaps) or "no reason given")


def _coverage(inputs: ScoreInputs) -> tuple[bool, str]:
    # A passing report is the publisher's word (a hand-written coverage.json beside an empty
    # test passes), so it is shown but earns nothing; only coverage the registry measured by
    # running the tests itself (the behaviour check) earns the point.
    if inputs.coverage_measured:
        return inputs.coverage_passed, inputs.coverage_note
    if inputs.coverage_passed:
        return False, f"self-reported, not counted: {inputs.coverage_note}"
    return False, inputs.coverage_note


def _vulnerabilities(inputs: ScoreInputs) -> tuple[bool, str]:
    if inputs.vulnerabilities is None:
        why = inputs.vulnerability_error or "unknown error"
        return False, f"the dependencies could not be checked: {why}"
    if inputs.vulnerabilities:
        return False, "known advisories: " + _listed(inputs.vulnerabilities)
    if inputs.packages == 0:
        return True, "requires no third-party Python or npm package"
    if inputs.advisories <= 0:
        return False, "the registry has no advisory database to check against"
    return True, f"no match in {inputs.advisories} advisories"


def _verified(inputs: ScoreInputs) -> tuple[bool, str]:
    if inputs.verified_publisher:
        return True, "published by a verified publisher"
    return False, "the publisher was not verified when this version was published"


def reviews_item(approvals: int) -> dict[str, Any]:
    """The ``community_reviews`` item for ``approvals`` distinct approving reviewers."""
    points = max(0, min(2, approvals))
    note = f"{approvals} approval(s) from verified reviewers" if approvals else "no approvals yet"
    return {"points": points, "max": 2, "note": note}


def compute(inputs: ScoreInputs) -> Score:
    """The score of ``inputs``: every item, in :data:`ITEMS` order, and their sum."""
    checks = {
        "code_signing": _signing,
        "static_analysis": _static,
        "no_install_scripts": _scripts,
        "reproducible_build": _reproducible,
        "sbom": _sbom,
        "test_coverage": _coverage,
        "verified_publisher": _verified,
        "no_known_vulnerabilities": _vulnerabilities,
    }
    breakdown: dict[str, dict[str, Any]] = {}
    for key, top in ITEMS:
        if key == "community_reviews":
            breakdown[key] = reviews_item(inputs.approvals)
            continue
        passed, note = checks[key](inputs)
        breakdown[key] = {"points": top if passed else 0, "max": top, "note": note}
    return _total(breakdown)


def with_reviews(breakdown: dict[str, Any], approvals: int) -> Score:
    """``breakdown`` with its ``community_reviews`` item recomputed for ``approvals``.

    Reviews are the only item that changes after publishing without a rescan.
    """
    updated = {
        key: reviews_item(approvals) if key == "community_reviews" else dict(breakdown[key])
        for key, _ in ITEMS
        if key in breakdown or key == "community_reviews"
    }
    return _total(updated)


def _total(breakdown: dict[str, dict[str, Any]]) -> Score:
    return Score(float(sum(int(item["points"]) for item in breakdown.values())), breakdown)
