#!/usr/bin/env python3
"""Reservoir / stratified sampling for large tabular files."""
import argparse
import csv
import json
import random
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import _normalize


def iter_rows(path):
    if path.suffix == ".csv":
        with open(path, newline="") as fh:
            yield from csv.DictReader(fh)
    elif path.suffix in (".jsonl", ".ndjson"):
        with open(path) as fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line)
    elif path.suffix == ".parquet":
        import pyarrow.parquet as pq
        for batch in pq.ParquetFile(path).iter_batches(batch_size=10_000):
            yield from batch.to_pylist()
    else:
        sys.exit(f"unsupported file type: {path.suffix}")


def reservoir(rows, n, rng):
    out = []
    for i, r in enumerate(rows):
        if i < n:
            out.append(r)
        else:
            j = rng.randint(0, i)
            if j < n:
                out[j] = r
    return out


def stratified(rows, n, col, rng):
    groups = defaultdict(list)
    for r in rows:
        groups[r.get(col)].append(r)
    total = sum(len(g) for g in groups.values()) or 1
    out = []
    for g in groups.values():
        k = max(1, round(n * len(g) / total))
        out += rng.sample(g, min(k, len(g)))
    return out


def profile(rows):
    if not rows:
        return
    print(f"rows sampled: {len(rows)}")
    for col in rows[0]:
        vals = [r.get(col) for r in rows]
        nulls = sum(v in (None, "") for v in vals)
        top = Counter(unicodedata.normalize("NFC", str(v)) for v in vals).most_common(3)
        print(f"  {col:<24} null={nulls / len(vals):.0%} top={top}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("path")
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--mode", choices=["random", "head", "tail"], default="random")
    ap.add_argument("--stratify")
    a = ap.parse_args()
    src = Path(a.path)
    rng = random.Random(a.seed)
    _normalize.prepare()
    rows = iter_rows(src)
    if a.stratify:
        sample = stratified(rows, a.n, a.stratify, rng)
    elif a.mode == "head":
        sample = [r for _, r in zip(range(a.n), rows)]
    elif a.mode == "tail":
        sample = list(rows)[-a.n:]
    else:
        sample = reservoir(rows, a.n, rng)
    out = Path("samples") / f"{src.stem}.sample.jsonl"
    out.parent.mkdir(exist_ok=True)
    with open(out, "w") as fh:
        for r in sample:
            fh.write(json.dumps(r, default=str) + "\n")
    profile(sample)
    print(f"written {out}")


if __name__ == "__main__":
    main()
