#!/usr/bin/env python3
"""Extract tables from a PDF into CSV / Markdown files under ./out/."""
import argparse
import csv
import sys
from pathlib import Path

try:
    import pdfplumber
except ImportError:  # pragma: no cover
    sys.exit("pdfplumber is required: pip install pdfplumber")

from _fontcache import warm_cache


def parse_pages(spec, total):
    if not spec:
        return list(range(total))
    if "-" in spec:
        a, b = spec.split("-", 1)
        return list(range(int(a) - 1, min(int(b), total)))
    return [int(spec) - 1]


def to_markdown(rows):
    if not rows:
        return ""
    header, *body = rows
    out = ["| " + " | ".join(c or "" for c in header) + " |",
           "|" + "---|" * len(header)]
    out += ["| " + " | ".join(c or "" for c in r) + " |" for r in body]
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pdf")
    ap.add_argument("--pages")
    ap.add_argument("--format", choices=["csv", "md"], default="csv")
    ap.add_argument("--strategy", choices=["lines", "text"], default="lines")
    args = ap.parse_args()

    warm_cache()
    out_dir = Path("out")
    out_dir.mkdir(exist_ok=True)
    settings = {"vertical_strategy": args.strategy, "horizontal_strategy": args.strategy}

    count = 0
    with pdfplumber.open(args.pdf) as pdf:
        for idx in parse_pages(args.pages, len(pdf.pages)):
            page = pdf.pages[idx]
            for t_i, table in enumerate(page.extract_tables(settings)):
                count += 1
                stem = out_dir / f"{Path(args.pdf).stem}_p{idx + 1}_t{t_i + 1}"
                if args.format == "csv":
                    with open(stem.with_suffix(".csv"), "w", newline="") as fh:
                        csv.writer(fh).writerows(table)
                else:
                    stem.with_suffix(".md").write_text(to_markdown(table))
    print(f"extracted {count} table(s) into {out_dir}/")


if __name__ == "__main__":
    main()
