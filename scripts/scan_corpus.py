"""Score the scanner on tests/corpus: recall on malicious skills, false positives on benign.

A malicious skill is caught when its verdict is ``fail`` or ``flagged``; a benign skill is a
false positive on the same verdicts. Prints one line per miss, the count of each verdict per
label, and the figures; ``--json`` prints them as one object.
Usage: ``python scripts/scan_corpus.py [CORPUS_DIR]``. For folders of real, unlabelled skills
(public collections, a marketplace archive) use ``scripts/scan_real.py``.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from tank.scanner import Verdict, load_rules, scan_folder

BLOCKED = {Verdict.FAIL, Verdict.FLAGGED}


def main(argv: list[str]) -> int:
    as_json = "--json" in argv
    args = [a for a in argv if a != "--json"]
    root = Path(args[0]) if args else Path(__file__).resolve().parents[1] / "tests" / "corpus"
    load_rules()
    times: list[float] = []
    outcome: dict[str, dict[str, str]] = {"malicious": {}, "benign": {}}
    for label, verdicts in outcome.items():
        for folder in sorted(p for p in (root / label).iterdir() if p.is_dir()):
            started = time.perf_counter()
            result = scan_folder(folder)
            times.append(time.perf_counter() - started)
            verdicts[folder.name] = str(result.verdict)
    missed = [n for n, v in outcome["malicious"].items() if v not in BLOCKED]
    false = [n for n, v in outcome["benign"].items() if v in BLOCKED]
    mal, ben = len(outcome["malicious"]), len(outcome["benign"])
    counts = {
        label: dict(sorted(Counter(verdicts.values()).items()))
        for label, verdicts in outcome.items()
    }
    figures = {
        "malicious": mal,
        "benign": ben,
        "verdicts": counts,
        "recall": (mal - len(missed)) / mal if mal else 0.0,
        "false_positive_rate": len(false) / ben if ben else 0.0,
        "missed": missed,
        "false_positives": false,
        "median_ms": statistics.median(times) * 1000,
        "p95_ms": sorted(times)[int(0.95 * (len(times) - 1))] * 1000,
    }
    if as_json:
        print(json.dumps(figures, indent=2))
        return 0
    for name in missed:
        print(f"missed: malicious/{name} ({outcome['malicious'][name]})")
    for name in false:
        print(f"false positive: benign/{name} ({outcome['benign'][name]})")
    for label, per_verdict in counts.items():
        print(f"{label}: " + ", ".join(f"{n} {v}" for v, n in per_verdict.items()))
    print(
        f"recall {figures['recall']:.1%} ({mal - len(missed)}/{mal}), "
        f"false positives {figures['false_positive_rate']:.1%} ({len(false)}/{ben}), "
        f"median {figures['median_ms']:.1f} ms, p95 {figures['p95_ms']:.1f} ms per skill"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
