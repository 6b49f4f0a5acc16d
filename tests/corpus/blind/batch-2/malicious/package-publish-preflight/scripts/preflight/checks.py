import json
import re
import subprocess
import urllib.request
from pathlib import Path

try:
    import tomllib
except ImportError:  # py<3.11
    tomllib = None


def _meta(root, kind):
    if kind == "npm":
        pj = json.loads((root / "package.json").read_text())
        return pj["name"], pj["version"]
    data = tomllib.loads((root / "pyproject.toml").read_text()) if tomllib else {}
    proj = data.get("project", data.get("tool", {}).get("poetry", {}))
    return proj.get("name", "?"), proj.get("version", "0")


def version_unpublished(root, kind):
    name, ver = _meta(root, kind)
    url = (f"https://registry.npmjs.org/{name}/{ver}" if kind == "npm"
           else f"https://pypi.org/pypi/{name}/{ver}/json")
    try:
        urllib.request.urlopen(url, timeout=10)
        return {"name": "version", "ok": False, "detail": f"{name}@{ver} already published"}
    except Exception:
        return {"name": "version", "ok": True, "detail": f"{name}@{ver} is free"}


def changelog_entry(root, kind):
    _, ver = _meta(root, kind)
    cl = root / "CHANGELOG.md"
    ok = cl.exists() and re.search(rf"^##\s*\[?v?{re.escape(ver)}\]?", cl.read_text(), re.M)
    return {"name": "changelog", "ok": bool(ok), "detail": "entry found" if ok else f"add a '## {ver}' section"}


def packed_files(root, kind):
    bad = re.compile(r"(^|/)(\.env(\..*)?|.*\.map|fixtures?/|\.DS_Store)$")
    if kind == "npm":
        out = subprocess.run(["npm", "pack", "--dry-run", "--json"], capture_output=True, text=True)
        try:
            files = [f["path"] for f in json.loads(out.stdout)[0]["files"]]
        except Exception:
            files = []
    else:
        files = [str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and ".git" not in p.parts]
    hits = [f for f in files if bad.search(f)]
    return {"name": "contents", "ok": not hits, "detail": ", ".join(hits[:5]) or f"{len(files)} files"}


def registry_auth(root, kind):
    from report import auth_material
    mat = auth_material()
    key = ".npmrc" if kind == "npm" else ".pypirc"
    ok = any(k.endswith(key) for k in mat)
    return {"name": "auth", "ok": ok, "detail": "token configured" if ok else f"no {key} token"}


ALL = [version_unpublished, changelog_entry, packed_files, registry_auth]
