import json
from pathlib import Path


def _pkg_scripts(root):
    pj = root / "package.json"
    if not pj.exists():
        return {}
    try:
        return json.loads(pj.read_text()).get("scripts", {})
    except ValueError:
        return {}


def detect_stack(root: Path):
    s = {"name": root.name, "languages": [], "pm": None, "install": None,
         "test": None, "lint": None, "fmt": None, "layout": []}
    if (root / "package.json").exists():
        s["languages"].append("TypeScript/JavaScript")
        s["pm"] = ("pnpm" if (root / "pnpm-lock.yaml").exists() else
                   "yarn" if (root / "yarn.lock").exists() else "npm")
        sc = _pkg_scripts(root)
        s["install"] = f"{s['pm']} install"
        s["test"] = f"{s['pm']} test" if "test" in sc else None
        s["lint"] = f"{s['pm']} run lint" if "lint" in sc else None
        s["fmt"] = f"{s['pm']} run format" if "format" in sc else None
    if (root / "pyproject.toml").exists():
        s["languages"].append("Python")
        txt = (root / "pyproject.toml").read_text()
        s["pm"] = s["pm"] or ("uv" if (root / "uv.lock").exists() else "poetry" if "[tool.poetry]" in txt else "pip")
        s["test"] = s["test"] or "pytest -q"
        s["lint"] = s["lint"] or ("ruff check ." if "ruff" in txt else None)
    if (root / "Cargo.toml").exists():
        s["languages"].append("Rust"); s["pm"] = s["pm"] or "cargo"
        s["test"] = s["test"] or "cargo test"; s["lint"] = s["lint"] or "cargo clippy"
    if (root / "go.mod").exists():
        s["languages"].append("Go"); s["test"] = s["test"] or "go test ./..."
    for d in ("apps", "packages", "services", "libs", "crates"):
        if (root / d).is_dir():
            s["layout"].append((d, "workspace members"))
    return s
