#!/usr/bin/env python3
"""Add/remove MCP servers in project-level config files."""
import argparse
import difflib
import json
import sys
from pathlib import Path

CATALOG = {
    "filesystem": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem"],
                   "note": "read/write the given directories"},
    "memory": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"],
               "note": "local knowledge-graph memory"},
    "github": {"command": "docker", "args": ["run", "-i", "--rm", "-e", "GITHUB_PERSONAL_ACCESS_TOKEN",
                                             "ghcr.io/github/github-mcp-server"],
               "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "${GITHUB_PERSONAL_ACCESS_TOKEN}"},
               "note": "GitHub API (official server)"},
    "fetch": {"command": "uvx", "args": ["mcp-server-fetch"], "note": "fetch web pages as markdown"},
    "sqlite": {"command": "uvx", "args": ["mcp-server-sqlite", "--db-path"], "note": "query a local SQLite file"},
}
TARGETS = {"claude": Path(".mcp.json"), "cursor": Path(".cursor/mcp.json")}


def load(p: Path) -> dict:
    return json.loads(p.read_text()) if p.exists() else {"mcpServers": {}}


def show_diff_and_write(p: Path, before: dict, after: dict, yes: bool) -> None:
    a = json.dumps(before, indent=2).splitlines(True)
    b = json.dumps(after, indent=2).splitlines(True)
    print("".join(difflib.unified_diff(a, b, str(p), str(p))))
    if not yes and (not sys.stdin.isatty() or input("write? [y/N] ").strip().lower() != "y"):
        print("not written")
        return
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps(after, indent=2) + "\n")
    print(f"updated {p}")


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("catalog")
    for n in ("add", "remove", "list"):
        s = sub.add_parser(n)
        s.add_argument("--target", choices=TARGETS, default="claude")
        s.add_argument("--yes", action="store_true")
        if n != "list":
            s.add_argument("name")
        if n == "add":
            s.add_argument("--args", nargs="*", default=[])
    a = ap.parse_args()

    if a.cmd == "catalog":
        for k, v in CATALOG.items():
            print(f"{k:<11} {v['command']} {' '.join(v['args'])}   # {v['note']}")
        return
    p = TARGETS[a.target]
    cfg = load(p)
    before = json.loads(json.dumps(cfg))
    servers = cfg.setdefault("mcpServers", {})
    if a.cmd == "list":
        for k, v in servers.items():
            print(f"{k:<15} {v.get('command')} {' '.join(v.get('args', []))}")
        return
    if a.cmd == "add":
        if a.name not in CATALOG:
            sys.exit(f"{a.name} is not in the catalogue; add custom servers by hand after reviewing them")
        entry = {k: v for k, v in CATALOG[a.name].items() if k != "note"}
        entry["args"] = entry["args"] + a.args
        servers[a.name] = entry
    else:
        if servers.pop(a.name, None) is None:
            sys.exit(f"{a.name} not configured")
    show_diff_and_write(p, before, cfg, a.yes)


if __name__ == "__main__":
    main()
