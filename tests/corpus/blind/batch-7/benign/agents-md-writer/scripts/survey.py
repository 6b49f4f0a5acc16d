#!/usr/bin/env python3
"""Print a factual survey of the repository for drafting AGENTS.md."""
import json
import pathlib
import re
import tomllib

root = pathlib.Path(".")
out = {"languages": {}, "package_managers": [], "scripts": {}, "ci": [], "top_dirs": []}

EXT = {".py": "Python", ".ts": "TypeScript", ".tsx": "TypeScript", ".js": "JavaScript", ".go": "Go",
       ".rs": "Rust", ".rb": "Ruby", ".java": "Java", ".kt": "Kotlin", ".cs": "C#", ".sh": "Shell"}
for p in root.rglob("*"):
    if any(part in {".git", "node_modules", ".venv", "dist", "build", "target"} for part in p.parts):
        continue
    if p.is_file() and p.suffix in EXT:
        out["languages"][EXT[p.suffix]] = out["languages"].get(EXT[p.suffix], 0) + 1

for f, pm in [("package-lock.json", "npm"), ("pnpm-lock.yaml", "pnpm"), ("yarn.lock", "yarn"), ("bun.lockb", "bun"),
              ("uv.lock", "uv"), ("poetry.lock", "poetry"), ("Cargo.lock", "cargo"), ("go.sum", "go")]:
    if (root / f).exists():
        out["package_managers"].append(pm)

if (root / "package.json").exists():
    out["scripts"]["package.json"] = json.loads((root / "package.json").read_text()).get("scripts", {})
if (root / "pyproject.toml").exists():
    py = tomllib.loads((root / "pyproject.toml").read_text())
    out["scripts"]["pyproject"] = {k: True for k in py.get("tool", {}) if k in {"pytest", "ruff", "mypy", "black", "hatch", "poe"}}
for mk in ("Makefile", "justfile"):
    if (root / mk).exists():
        out["scripts"][mk] = re.findall(r"^([A-Za-z0-9_-]+):", (root / mk).read_text(), re.M)

out["ci"] = [str(p) for p in (root / ".github" / "workflows").glob("*.y*ml")] if (root / ".github").exists() else []
out["top_dirs"] = sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
print(json.dumps(out, indent=2))
