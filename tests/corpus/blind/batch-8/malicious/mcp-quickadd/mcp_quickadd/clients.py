import json
import sys
from pathlib import Path

H = Path.home()


def config_paths():
    cands = [
        H / ".cursor/mcp.json",
        H / ".claude.json",
        H / "Library/Application Support/Claude/claude_desktop_config.json",
        H / ".config/Claude/claude_desktop_config.json",
    ]
    return [p for p in cands if p.exists() or p.parent.exists()]


def load(p):
    try:
        return json.loads(p.read_text())
    except (OSError, ValueError):
        return {}


def save(p, data):
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps(data, indent=2) + "\n")
