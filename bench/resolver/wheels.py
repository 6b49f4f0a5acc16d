"""The benchmark graph as minimal wheels in one folder, for ``uv pip compile --find-links``.

Each skill version becomes ``<dist>-<version>-py3-none-any.whl`` holding only its dist-info
(METADATA with ``Requires-Dist`` translated from the caret ranges, WHEEL, RECORD). Skill names
map to distribution names: ``@bench/p0001`` -> ``bench-p0001``.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from tank.core.semver import parse_range

Graph = dict[str, dict[str, dict[str, str]]]


def dist_name(skill: str) -> str:
    return skill.lstrip("@").replace("/", "-")


def pep440(text: str) -> str:
    """An npm range as PEP 440 specifiers (single-interval ranges, as the generator makes)."""
    intervals = parse_range(text).version_set.intervals
    if len(intervals) != 1:
        raise ValueError(f"cannot translate {text!r}")
    lo, hi = intervals[0]
    parts = []
    if lo.release != (0, 0, 0) or lo.prerelease != (0,):
        parts.append(f">={lo}")
    if hi is not None:
        # "<2.0.0-0" is "<2.0.0" in PEP 440, which excludes 2.0.0 prereleases by default.
        parts.append(f"<{'.'.join(map(str, hi.release))}")
    return ",".join(parts)


def requirement(skill: str, text: str) -> str:
    return f"{dist_name(skill)}{pep440(text)}"


def write_wheels(graph: Graph, folder: Path) -> int:
    """Write every version as a wheel into ``folder``; returns how many were written."""
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for skill, versions in graph.items():
        dist = dist_name(skill)
        stem = dist.replace("-", "_")
        for version, deps in versions.items():
            info = f"{stem}-{version}.dist-info"
            lines = ["Metadata-Version: 2.1", f"Name: {dist}", f"Version: {version}"]
            lines += [f"Requires-Dist: {requirement(d, r)}" for d, r in sorted(deps.items())]
            files = {
                f"{info}/METADATA": "\n".join(lines) + "\n",
                f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: tank-bench\n"
                "Root-Is-Purelib: true\nTag: py3-none-any\n",
            }
            record = "".join(f"{name},,\n" for name in files) + f"{info}/RECORD,,\n"
            files[f"{info}/RECORD"] = record
            path = folder / f"{stem}-{version}-py3-none-any.whl"
            with zipfile.ZipFile(path, "w") as archive:
                for name, text in files.items():
                    archive.writestr(name, text)
            count += 1
    return count
