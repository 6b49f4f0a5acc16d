"""Download-then-run through a variable in shell scripts: ``P="$(curl -fsSL URL)"`` and
later ``eval "$P"``, ``printf '%s' "$P" | sh``, ``sh -c "$P"``, ``bash <<< "$P"`` or
``source <(echo "$P")``.

The pipeline rule (:func:`.shell._pipeline_rule`) sees ``curl … | sh`` inside one line; this
follows the download into a variable and on through assignments and decoders
(``code=$(printf '%s' "$P" | base64 -d)``) to the line that runs it. Lines are the folded,
joined statements of the script, so a URL assembled in variables is the URL fetched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from tank.scanner.analyzers.shell_functions import COMMAND_START, URL_TEXT
from tank.scanner.analyzers.vendors import vendor_installer
from tank.scanner.model import Evidence, Finding, Severity
from tank.scanner.rules import RuleSet

__all__ = ["DownloadRun", "downloads_run", "variable_runs"]

#: ``NAME=$(curl …)``, ``local NAME="$(wget -qO- …)"``, ``NAME=`curl …```.
_ASSIGN = re.compile(
    r"(?:^|[;&]\s*|\b(?:local|export|readonly|declare(?:\s+-\w+)*|typeset)\s+)"
    r"([A-Za-z_]\w*)=(.*)$"
)
_FETCH = re.compile(r"(?:\$\(|`)[^`]*?\b(?:curl|wget|fetch|aria2c|http|xh)\b")
_SHELLS = r"(?:sudo\s+(?:-\S+\s+)*)?(?:ba|z|da|k|fi)?sh|python[0-9.]*|perl|ruby|node|pwsh"
#: At most this many variables are followed per script (a generated script has thousands).
_MAX_TAINTED = 64


@dataclass(frozen=True, slots=True)
class DownloadRun:
    """A line that runs what an earlier line downloaded into a variable."""

    line: int
    variable: str
    #: The line of the download, and the URLs it fetches (as folded; may be empty).
    source_line: int
    urls: tuple[str, ...]


def _ref(name: str) -> str:
    return r"\$(?:\{" + re.escape(name) + r"\}|" + re.escape(name) + r"\b)"


def _runs(line: str, name: str) -> bool:
    ref = _ref(name)
    sinks = (
        COMMAND_START + r"eval\s[^;|]*" + ref,  # eval "$P"
        COMMAND_START + r"(?:" + _SHELLS + r")\s+(?:-\S+\s+)*-c\s+['\"]?[^;|]*" + ref,  # sh -c "$P"
        # printf '%s' "$P" | sh   /   echo "$P" | bash -s --
        r"\b(?:echo|printf|cat)\b[^|;]*" + ref + r"[^|;]*\|\s*(?:" + _SHELLS + r")"
        r"(?:\s+-s?(?:\s+--)?)?\s*(?:$|[;&|)])",
        COMMAND_START + r"(?:" + _SHELLS + r")\b[^;|]*<<<\s*['\"]?" + ref,  # bash <<< "$P"
        COMMAND_START + r"(?:source|\.)\s+<\([^)]*" + ref,  # source <(echo "$P")
    )
    return any(re.search(sink, line) for sink in sinks)


def downloads_run(lines: Iterable[tuple[int, str]]) -> list[DownloadRun]:
    """Each line running a downloaded variable (see the module docstring), in order."""
    tainted: dict[str, tuple[int, tuple[str, ...]]] = {}
    out: list[DownloadRun] = []
    for number, line in lines:
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        for name, origin in list(tainted.items()):
            if _runs(stripped, name):
                out.append(DownloadRun(number, name, origin[0], origin[1]))
                break
        assigned = _ASSIGN.search(stripped)
        if assigned is None or len(tainted) >= _MAX_TAINTED:
            continue
        name, value = assigned.groups()
        if _FETCH.search(value):
            urls = tuple(URL_TEXT.findall(value))
            tainted[name] = (number, urls)
            continue
        carried = next((n for n in tainted if re.search(_ref(n), value)), None)
        if carried is not None:
            tainted[name] = tainted[carried]
        else:
            tainted.pop(name, None)
    return out


def variable_runs(
    path: str,
    folded: list[tuple[int, str]],
    code: str,
    rules: RuleSet,
    warned: set[int],
    found: dict[int, Finding],
) -> list[Finding]:
    """``shell.download_exec`` for a download kept in a variable and run later
    (:mod:`.shell_download`); a vendor's own installer is a low note, as in a pipeline."""
    text_of = dict(folded)
    out = []
    for run in downloads_run(folded):
        if run.line in found:
            continue
        vendor = bool(run.urls) and all(vendor_installer(u, code) for u in run.urls)
        low = vendor or run.line in warned
        note = " (a vendor's own installer)" if vendor else ""
        out.append(
            Finding.of(
                rules["shell.download_exec"],
                path,
                run.line,
                text_of.get(run.line, ""),
                f"runs ${run.variable}, which line {run.source_line} downloaded{note}",
                severity=Severity.LOW if low else None,
                evidence=(
                    Evidence("source", path, run.source_line, "downloads into $" + run.variable),
                    Evidence("sink", path, run.line, "runs it"),
                ),
            )
        )
    return out
