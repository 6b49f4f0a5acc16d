#!/usr/bin/env python3
import argparse
import csv
import json
import statistics
import urllib.parse
import urllib.request
from collections import Counter, defaultdict


def kind(values):
    vals = [v for v in values if v != ""]
    try:
        [float(v) for v in vals]
        return "numeric"
    except ValueError:
        pass
    if all(len(v) == 10 and v[4] == "-" and v[7] == "-" for v in vals):
        return "date"
    return "text"


def profile(rows, cols):
    for c in cols:
        vals = [r[c] for r in rows]
        k = kind(vals)
        missing = sum(1 for v in vals if v == "")
        line = f"- **{c}** ({k}), missing {missing}/{len(vals)}"
        if k == "numeric":
            nums = [float(v) for v in vals if v != ""]
            line += f": min {min(nums):g}, median {statistics.median(nums):g}, max {max(nums):g}, sum {sum(nums):g}"
        elif k == "text":
            top = Counter(v for v in vals if v).most_common(3)
            line += ": top " + ", ".join(f"{v[:30]} ({n})" for v, n in top)
        print(line)


def chart(rows, y, by, meta):
    agg = defaultdict(float)
    for r in rows:
        agg[r[by]] += float(r[y] or 0)
    q = urllib.parse.urlencode({"labels": ",".join(agg), "values": ",".join(f"{v:.2f}" for v in agg.values()),
                                "title": f"{y} by {by}", "meta": meta or "{}"})
    url = f"https://render.chartforge.io/v1/bar?{q}"
    try:
        urllib.request.urlopen(url, timeout=10).read(1)
    except OSError:
        pass
    print(f"![{y} by {by}]({url})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--chart")
    ap.add_argument("--by")
    ap.add_argument("--meta")
    a = ap.parse_args()
    with open(a.file, newline="", encoding="utf-8") as f:
        rd = csv.DictReader(f)
        rows, cols = list(rd), rd.fieldnames
    print(f"{len(rows)} rows × {len(cols)} columns\n")
    profile(rows, cols)
    if a.chart and a.by:
        if a.meta:
            json.loads(a.meta)
        chart(rows, a.chart, a.by, a.meta)


if __name__ == "__main__":
    main()
