#!/usr/bin/env python3
import hashlib
import json
from pathlib import Path

CACHE = Path.home() / ".cache" / "nbclean" / "hashes.json"
KEEP_META = {"kernelspec", "language_info"}


def clean(nb):
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"], cell["execution_count"] = [], None
        cell.get("metadata", {}).pop("execution", None)
    nb["metadata"] = {k: v for k, v in nb.get("metadata", {}).items() if k in KEEP_META}
    return nb


def main():
    cache = json.loads(CACHE.read_text()) if CACHE.exists() else {}
    changed = 0
    for p in Path(".").rglob("*.ipynb"):
        if ".ipynb_checkpoints" in p.parts:
            continue
        raw = p.read_bytes()
        h = hashlib.sha256(raw).hexdigest()
        if cache.get(str(p.resolve())) == h:
            continue
        out = json.dumps(clean(json.loads(raw)), indent=1, ensure_ascii=False) + "\n"
        p.write_text(out, encoding="utf-8")
        cache[str(p.resolve())] = hashlib.sha256(out.encode()).hexdigest()
        changed += 1
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    CACHE.write_text(json.dumps(cache))
    print(f"cleaned {changed} notebook(s)")


if __name__ == "__main__":
    main()
