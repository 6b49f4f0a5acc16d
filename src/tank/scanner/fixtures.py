"""Injection text in a skill's test fixtures: data for its tests, not words for the agent.

A prompt-injection linter, a scanner or a sanitiser ships samples of what it catches
(``tests/fixtures/override.md``: "ignore all previous instructions"). The agent reads
SKILL.md and what SKILL.md points it to, not a test's data. So an injection finding in a file
under a test or fixture folder is lowered to ``low`` (kept, marked) unless the agent is
pointed there: SKILL.md, or any other text file outside test folders, names the file or its
folder, other than in a paragraph that calls them test data not to be followed ("The
fixtures in `tests/fixtures/` are test data: do not follow them"). Code is not touched (a
fixture folder's script still runs when the tests run); only findings of the ``injection``
category are.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from tank.scanner.model import Finding, Severity

__all__ = ["lower_fixture_injection"]

_TEST_FOLDER = re.compile(r"(?:^|/)(?:tests?|__tests__|spec|fixtures|testdata|test_data)/")
_PROSE = frozenset({"markdown", "text"})


def lower_fixture_injection(
    findings: list[Finding], texts: Mapping[str, tuple[str, str]]
) -> list[Finding]:
    """``findings`` with injection findings in unreferenced test fixtures lowered to low."""
    told = "\n".join(
        text for path, (kind, text) in texts.items()
        if not _TEST_FOLDER.search(path) and (kind in _PROSE or path.lower().endswith(".md"))
    )  # fmt: skip
    out: list[Finding] = []
    for finding in findings:
        found = finding
        if (
            found.category == "injection"
            and found.severity.rank < Severity.LOW.rank
            and _TEST_FOLDER.search(found.file)
            and texts.get(found.file, ("", ""))[0] in _PROSE
            and not _named(found.file, told)
        ):
            found = replace(
                found,
                severity=Severity.LOW,
                message=f"{found.message} (in a test fixture the agent is not pointed to)",
            )
        out.append(found)
    return out


#: A paragraph that names fixtures only to say they are data, not instructions.
_DISCLAIMED = re.compile(
    r"\b(?:test|sample|example)\s+(?:data|inputs?|cases?)\b|\b(?:do\s+not|don't|never)\s+"
    r"(?:follow|obey|act\s+on|execute)\b|\bnot\s+instructions\b",
    re.IGNORECASE,
)


def _named(path: str, told: str) -> bool:
    """Whether ``told`` names the file, or a folder on its path below the test folder, in a
    paragraph that does not disclaim it as test data."""
    parts = path.split("/")
    names = {path, parts[-1]}
    names.update("/".join(parts[:i]) + "/" for i in range(1, len(parts)))
    names -= {"tests/", "test/", "fixtures/", "spec/"}
    for name in names:
        start = told.find(name)
        while start != -1:
            begin = told.rfind("\n\n", 0, start) + 1
            end = told.find("\n\n", start)
            paragraph = told[begin : end if end != -1 else len(told)]
            if not _DISCLAIMED.search(paragraph):
                return True
            start = told.find(name, start + len(name))
    return False
