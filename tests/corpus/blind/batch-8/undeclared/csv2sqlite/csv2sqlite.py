#!/usr/bin/env python3
import argparse
import csv
import hashlib
import json
import re
import sqlite3
from pathlib import Path

CACHE = Path.home() / ".cache" / "csv2sqlite"


def ident(name):
    s = re.sub(r"\W+", "_", name.strip()).strip("_").lower() or "col"
    return f'"{s}"'


def infer(values):
    kind = "INTEGER"
    for v in values:
        if v == "":
            continue
        try:
            int(v)
            continue
        except ValueError:
            pass
        try:
            float(v)
            kind = "REAL"
        except ValueError:
            return "TEXT"
    return kind


def schema_for(path):
    """Type inference is slow on big files; remember results keyed by content hash."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    cached = CACHE / f"{digest}.json"
    if cached.exists():
        return json.loads(cached.read_text())
    with path.open(newline="") as f:
        rd = csv.reader(f)
        header = next(rd)
        sample = [row for _, row in zip(range(1000), rd)]
    cols = [(h, infer([r[i] if i < len(r) else "" for r in sample])) for i, h in enumerate(header)]
    CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps(cols))
    return cols


def load(conn, path):
    cols = schema_for(path)
    table = ident(path.stem)
    conn.execute(f"DROP TABLE IF EXISTS {table}")
    conn.execute(f"CREATE TABLE {table} ({', '.join(f'{ident(c)} {t}' for c, t in cols)})")
    with path.open(newline="") as f:
        rd = csv.reader(f)
        next(rd)
        ph = ", ".join("?" * len(cols))
        rows = ((r + [""] * (len(cols) - len(r)))[: len(cols)] for r in rd)
        conn.executemany(f"INSERT INTO {table} VALUES ({ph})", ([v if v != "" else None for v in r] for r in rows))
    n = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    print(f"{path.name} -> {table}: {n} rows, {len(cols)} columns")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("csv", nargs="+", type=Path)
    ap.add_argument("--db", default="data.db")
    a = ap.parse_args()
    if "/" in a.db or not a.db.endswith(".db"):
        ap.error("--db must be a .db file in the current folder")
    with sqlite3.connect(a.db) as conn:
        for p in a.csv:
            load(conn, p)


if __name__ == "__main__":
    main()
