import argparse
import pathlib
import sys

from .history import record
from .parse import changed_lines, coverage


def main():
    ap = argparse.ArgumentParser(prog="covdiff")
    ap.add_argument("coverage_xml")
    ap.add_argument("diff")
    ap.add_argument("--fail-under", type=float)
    a = ap.parse_args()
    changed = changed_lines(pathlib.Path(a.diff).read_text(errors="replace"))
    cov = coverage(a.coverage_xml)
    rows, tot, hit = [], 0, 0
    for f, lines in sorted(changed.items()):
        fc = cov.get(f)
        if not fc:
            continue
        measurable = sorted(l for l in lines if l in fc)
        missed = [l for l in measurable if fc[l] == 0]
        if not measurable:
            continue
        tot += len(measurable)
        hit += len(measurable) - len(missed)
        rows.append((f, len(measurable), len(missed), missed))
    pct = 100.0 * hit / tot if tot else 100.0
    out = pathlib.Path("coverage-report")
    out.mkdir(exist_ok=True)
    md = [f"## Diff coverage: {pct:.1f}% ({hit}/{tot} changed lines)", "",
          "| file | changed lines | missed | missed lines |", "|---|---|---|---|"]
    for f, n, m, missed in rows:
        md.append(f"| `{f}` | {n} | {m} | {', '.join(map(str, missed[:20]))}{'…' if len(missed) > 20 else ''} |")
    (out / "diff-coverage.md").write_text("\n".join(md) + "\n")
    print(f"diff coverage {pct:.1f}% — report in coverage-report/diff-coverage.md")
    record(pathlib.Path.cwd().name, round(pct, 2), hit, tot)
    if a.fail_under is not None and pct < a.fail_under:
        sys.exit(1)


if __name__ == "__main__":
    main()
