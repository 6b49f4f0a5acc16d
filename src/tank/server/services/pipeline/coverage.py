"""The ``test_coverage`` score item: does the skill ship tests and an honest coverage report?

The registry never runs a skill's tests. It checks what it can from the published files:

1. the skill ships tests: a file under a ``tests/`` folder, or named ``test_*.py``,
   ``*_test.py``, ``*.test.js`` or ``*.test.ts``;
2. a coverage report at the skill's root parses: coverage.py JSON (``coverage.json``,
   ``totals.percent_covered``), Cobertura XML (``coverage.xml``, the root's ``line-rate``) or
   istanbul's summary (``coverage/coverage-summary.json``, ``total.lines.pct``);
3. its percentage is above 80;
4. it measures every script of the skill: each ``.py``/``.js``/``.ts``/``.sh`` file outside
   the tests appears in the report's file list (a report path matches when it equals the
   archive path or ends with ``/`` + it), so a report made for other code does not count.

The XML parser refuses entity declarations and external entities (no XXE, no billion laughs).
"""

from __future__ import annotations

import math
import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat

from tank.core import boundedjson

__all__ = ["REPORTS", "THRESHOLD", "CoverageResult", "check_coverage", "is_test_file"]

THRESHOLD = 80.0
SCRIPT_SUFFIXES = (".py", ".js", ".ts", ".sh")
#: Report locations (at the skill's root) and their formats.
REPORTS: tuple[tuple[str, str], ...] = (
    ("coverage.json", "coverage.py JSON"),
    ("coverage.xml", "Cobertura XML"),
    ("coverage/coverage-summary.json", "istanbul summary"),
)
_SHOWN = 3


@dataclass(frozen=True, slots=True)
class CoverageResult:
    """Whether the item is earned, and a note saying what was (or was not) found."""

    passed: bool
    note: str
    percent: float | None = None
    report: str | None = None


class _BadReport(Exception):
    """A report that does not parse or does not hold what its format promises."""


def is_test_file(path: str) -> bool:
    """True for a file under ``tests/`` or named like a Python or JS/TS test."""
    parts = path.split("/")
    base = parts[-1]
    return (
        "tests" in parts[:-1]
        or (base.startswith("test_") and base.endswith(".py"))
        or base.endswith(("_test.py", ".test.js", ".test.ts"))
    )


def _scripts(paths: Iterable[str]) -> list[str]:
    return sorted(
        p
        for p in paths
        if p.endswith(SCRIPT_SUFFIXES) and not is_test_file(p) and not p.startswith("coverage/")
    )


def check_coverage(files: Mapping[str, bytes]) -> CoverageResult:
    """The ``test_coverage`` verdict for a skill's files (``archive path -> bytes``)."""
    if not any(is_test_file(p) for p in files):
        return CoverageResult(False, "the skill ships no tests")
    scripts = _scripts(files)
    if not scripts:
        return CoverageResult(False, "the skill has no scripts for tests to cover")
    present = [(path, kind) for path, kind in REPORTS if path in files]
    if not present:
        names = ", ".join(path for path, _ in REPORTS)
        return CoverageResult(False, f"tests but no coverage report ({names})")
    reasons = []
    for path, kind in present:
        try:
            percent, measured = _parse(path, files[path])
        except _BadReport as error:
            reasons.append(f"{path} is not a valid {kind} report: {error}")
            continue
        missing = [s for s in scripts if not _measured(s, measured)]
        if missing:
            shown = ", ".join(missing[:_SHOWN]) + (" …" if len(missing) > _SHOWN else "")
            reasons.append(f"{path} does not measure {len(missing)} script(s): {shown}")
        elif percent <= THRESHOLD:
            reasons.append(f"{path} reports {percent:.1f}% (needs more than {THRESHOLD:.0f}%)")
        else:
            note = f"{path} reports {percent:.1f}% over all {len(scripts)} script(s)"
            return CoverageResult(True, note, percent, path)
    return CoverageResult(False, "; ".join(reasons))


def _measured(script: str, measured: set[str]) -> bool:
    return script in measured or any(m.endswith("/" + script) for m in measured)


def _clean(path: str) -> str:
    text = path.replace("\\", "/")
    while text.startswith("./"):
        text = text[2:]
    return posixpath.normpath(text) if text else text


def _percent(value: object, scale: float = 1.0) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _BadReport(f"the percentage is {value!r}, not a number")
    percent = float(value) * scale
    if math.isnan(percent) or not 0.0 <= percent <= 100.0:
        raise _BadReport(f"the percentage {percent} is outside 0-100")
    return percent


def _parse(path: str, data: bytes) -> tuple[float, set[str]]:
    if path.endswith(".xml"):
        return _cobertura(data)
    try:
        doc = boundedjson.loads_skill_file(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise _BadReport(f"not JSON ({error})") from None
    if not isinstance(doc, dict):
        raise _BadReport("not a JSON object")
    return _istanbul(doc) if path.startswith("coverage/") else _coverage_py(doc)


def _field(doc: Mapping[str, Any], *keys: str) -> object:
    value: object = doc
    for key in keys:
        if not isinstance(value, dict) or key not in value:
            raise _BadReport(f"no {'.'.join(keys)}")
        value = value[key]
    return value


def _coverage_py(doc: Mapping[str, Any]) -> tuple[float, set[str]]:
    percent = _percent(_field(doc, "totals", "percent_covered"))
    files = _field(doc, "files")
    if not isinstance(files, dict):
        raise _BadReport("files is not an object")
    return percent, {_clean(str(p)) for p in files}


def _istanbul(doc: Mapping[str, Any]) -> tuple[float, set[str]]:
    percent = _percent(_field(doc, "total", "lines", "pct"))
    return percent, {_clean(str(p)) for p in doc if p != "total"}


class _Cobertura:
    """Collects the root ``line-rate``, the ``<source>`` folders and the class file names."""

    def __init__(self) -> None:
        self.depth = 0
        self.rate: str | None = None
        self.sources: list[str] = []
        self.filenames: list[str] = []
        self._text: list[str] | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if self.depth == 0:
            if tag != "coverage":
                raise _BadReport(f"the root element is <{tag}>, not <coverage>")
            self.rate = attrs.get("line-rate")
        elif tag == "class" and "filename" in attrs:
            self.filenames.append(attrs["filename"])
        elif tag == "source":
            self._text = []
        self.depth += 1

    def end(self, tag: str) -> None:
        self.depth -= 1
        if tag == "source" and self._text is not None:
            self.sources.append("".join(self._text).strip())
            self._text = None

    def text(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def _refuse(*_args: object) -> int:
    raise _BadReport("entity declarations and external entities are refused")


def _cobertura(data: bytes) -> tuple[float, set[str]]:
    found = _Cobertura()
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    parser.StartElementHandler = found.start
    parser.EndElementHandler = found.end
    parser.CharacterDataHandler = found.text
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        raise _BadReport(f"not well-formed XML ({error})") from None
    if found.rate is None:
        raise _BadReport("the root has no line-rate")
    try:
        rate = float(found.rate)
    except ValueError:
        raise _BadReport(f"line-rate {found.rate!r} is not a number") from None
    measured = {_clean(f) for f in found.filenames}
    measured |= {_clean(f"{s}/{f}") for s in found.sources if s for f in found.filenames}
    return _percent(rate, 100.0), measured
