"""Which tarball the speculator fetches early for a root skill."""

from __future__ import annotations

from tank.client.speculate import Speculator
from tank.core.semver import parse_range, parse_version

SRI = "sha512-" + "A" * 86 + "=="


def _doc(**versions: dict[str, object]) -> dict[str, object]:
    return {"versions": {v: {"integrity": SRI, **extra} for v, extra in versions.items()}}


def test_newest_live_version_in_range() -> None:
    doc = _doc(**{"1.0.0": {}, "1.4.0": {}, "1.5.0": {"yanked": True}, "1.6.0": {"verdict": "fail"},
                  "2.0.0": {}, "1.3.0": {"deleted": True}})  # fmt: skip
    guess = Speculator._guess(doc, parse_range("^1.0.0"), None)
    assert guess is not None and str(guess[0]) == "1.4.0"


def test_locked_version_wins_and_nothing_outside_the_range() -> None:
    doc = _doc(**{"1.0.0": {}, "1.4.0": {}})
    pinned = Speculator._guess(doc, parse_range("^1.0.0"), parse_version("1.0.0"))
    assert pinned is not None and str(pinned[0]) == "1.0.0"
    assert Speculator._guess(doc, parse_range("^3.0.0"), None) is None
    assert (
        Speculator._guess({"versions": {"1.0.0": {"integrity": 5}}}, parse_range("*"), None) is None
    )
