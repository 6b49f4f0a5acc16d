"""Verdicts of the scanner on real skill collections: any folder, every SKILL.md at any depth.

``scripts/scan_corpus.py`` scores the labelled corpus; this one counts what the scanner says on
skills nobody labelled for it (public collections, a marketplace archive, a campaign's skills),
so false positives and misses on real data can be counted. Every folder holding a ``SKILL.md``
is one skill (files of a nested skill belong to the nested one). A skill without
``skills.json`` is scanned leniently, as ``tank scan`` does: nothing declared, undeclared
capabilities are notes. Bounded: files over ``--max-file-kb`` are skipped (and counted), at most
``--max-files`` files per skill, links and ``.git``/``node_modules`` are never followed, and each
scan fails closed after ``--timeout`` seconds (reported as its own count).

Prints the verdict distribution, the rules behind ``fail`` and ``flagged`` (per rule, the skills
where that rule alone makes the verdict), and the in-process time per skill; ``--verbose`` adds
one line per skill, ``--json`` prints everything (with each blocking finding's file and line).
Usage: ``python scripts/scan_real.py ROOT [ROOT ...] [--exclude NAME ...] [--verbose] [--json]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from tank.scanner import Finding, Verdict, load_rules, scan_files, verdict

ORDER = (Verdict.FAIL, Verdict.FLAGGED, Verdict.PASS_WITH_NOTES, Verdict.PASS)
SKIP_DIRS = frozenset({".git", "node_modules", "__pycache__", ".venv", "venv"})
SKILL_FILE = "SKILL.md"


def find_skills(root: Path, exclude: frozenset[str] = frozenset()) -> list[Path]:
    """Every folder under ``root`` (itself included) that holds a SKILL.md, sorted."""
    found: list[Path] = []
    for here, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and d not in exclude)
        if SKILL_FILE in files:
            found.append(Path(here))
    return found


def _walk(skill: Path) -> Iterator[Path]:
    for here, dirs, files in os.walk(skill, followlinks=False):
        base = Path(here)
        # A nested folder with its own SKILL.md is another skill, scanned on its own.
        dirs[:] = sorted(
            d for d in dirs if d not in SKIP_DIRS and not (base / d / SKILL_FILE).is_file()
        )
        for name in sorted(files):
            yield base / name


def read_skill(skill: Path, max_file: int, max_files: int) -> tuple[dict[str, bytes], int]:
    """The skill's files (``path -> bytes``) within the bounds, and how many were skipped."""
    files: dict[str, bytes] = {}
    skipped = 0
    for path in _walk(skill):
        try:
            if path.is_symlink() or not path.is_file() or path.stat().st_size > max_file:
                skipped += 1
                continue
            if len(files) >= max_files:
                skipped += 1
                continue
            files[path.relative_to(skill).as_posix()] = path.read_bytes()
        except OSError:
            skipped += 1
    return files, skipped


def _blocking(findings: tuple[Finding, ...]) -> list[dict[str, object]]:
    """The findings that alone make a skill ``fail`` or ``flagged``, with where they are."""
    out = []
    for f in findings:
        level = verdict([f])
        if level in (Verdict.FAIL, Verdict.FLAGGED):
            out.append(
                {
                    "rule": f.rule,
                    "level": str(level),
                    "file": f.file,
                    "line": f.line,
                    "snippet": f.snippet,
                }
            )
    return out


def scan_one(skill: Path, name: str, args: argparse.Namespace) -> dict[str, object]:
    """Scan one skill folder; the row ``--json`` prints for it."""
    files, skipped = read_skill(skill, args.max_file_kb * 1024, args.max_files)
    started = time.perf_counter()
    result = scan_files(files, timeout_s=args.timeout)
    seconds = time.perf_counter() - started
    timed_out = any("timed out" in e or "ran out of time" in e for e in result.errors)
    return {
        "skill": name,
        "verdict": str(result.verdict),
        "ms": round(seconds * 1000, 2),
        "files": len(files),
        "skipped_files": skipped,
        "has_manifest": "skills.json" in files,
        "timed_out": timed_out,
        "blocking": _blocking(result.findings),
    }


def summarize(rows: list[dict[str, object]], top: int) -> dict[str, object]:
    """Verdict counts and shares, the rules behind fail and flagged, time per skill."""
    total = len(rows)
    counts = Counter(str(r["verdict"]) for r in rows)
    behind: dict[str, Counter[str]] = {"fail": Counter(), "flagged": Counter()}
    for row in rows:
        level = str(row["verdict"])
        if level in behind:
            blocking = row["blocking"]
            assert isinstance(blocking, list)
            behind[level].update({str(b["rule"]) for b in blocking if b["level"] == level})
    times = sorted(float(str(r["ms"])) for r in rows)
    share = {str(v): counts[str(v)] / total if total else 0.0 for v in ORDER}
    return {
        "skills": total,
        "verdicts": {str(v): counts[str(v)] for v in ORDER},
        "share": share,
        "flagged_or_worse": share["fail"] + share["flagged"],
        "timed_out": sum(bool(r["timed_out"]) for r in rows),
        "without_manifest": sum(not r["has_manifest"] for r in rows),
        "skipped_files": sum(int(str(r["skipped_files"])) for r in rows),
        "rules_behind": {k: dict(c.most_common(top)) for k, c in behind.items()},
        "median_ms": statistics.median(times) if times else 0.0,
        "p95_ms": times[min(total - 1, int(0.95 * total))] if times else 0.0,
    }


def _print(
    root: str, summary: dict[str, object], rows: list[dict[str, object]], verbose: bool
) -> None:
    counts, share = summary["verdicts"], summary["share"]
    assert isinstance(counts, dict) and isinstance(share, dict)
    print(f"{root}: {summary['skills']} skills ({summary['without_manifest']} without skills.json)")
    print("  " + ", ".join(f"{counts[v]} {v} ({share[v]:.1%})" for v in counts))
    print(
        f"  flagged or worse {summary['flagged_or_worse']:.1%}; timed out {summary['timed_out']}; "
        f"files skipped {summary['skipped_files']}; median {summary['median_ms']:.1f} ms, "
        f"p95 {summary['p95_ms']:.1f} ms per skill"
    )
    behind = summary["rules_behind"]
    assert isinstance(behind, dict)
    for level, per_rule in behind.items():
        if per_rule:
            listed = ", ".join(f"{rule} {n}" for rule, n in per_rule.items())
            print(f"  behind {level} (skills): {listed}")
    if not verbose:
        return
    for row in rows:
        blocking = row["blocking"]
        assert isinstance(blocking, list)
        where = "; ".join(f"{b['rule']} {b['file']}:{b['line']}" for b in blocking[:4])
        print(f"  {row['verdict']:16} {row['skill']}  {where}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("roots", nargs="+", type=Path)
    parser.add_argument("--exclude", action="append", default=[], help="skip folders so named")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per skill")
    parser.add_argument("--max-file-kb", type=int, default=1024)
    parser.add_argument("--max-files", type=int, default=1000)
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args(argv)
    load_rules()
    report: dict[str, object] = {}
    for root in args.roots:
        skills = find_skills(root, frozenset(args.exclude))
        rows = [scan_one(s, s.relative_to(root).as_posix() or ".", args) for s in skills]
        summary = summarize(rows, args.top)
        report[str(root)] = {"summary": summary, "rows": rows}
        if not args.json:
            _print(str(root), summary, rows, args.verbose)
    if args.json:
        print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
