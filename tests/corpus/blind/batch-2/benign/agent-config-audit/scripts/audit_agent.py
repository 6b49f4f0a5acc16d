#!/usr/bin/env python3
"""Read-only audit of agent configuration files."""
import argparse
import json
import re
import unicodedata
from pathlib import Path

H = Path.home()
PROJECT = [Path("CLAUDE.md"), Path("AGENTS.md"), Path(".claude/settings.json"),
           Path(".claude/settings.local.json"), Path(".mcp.json")]
PROJECT += sorted(Path(".cursor/rules").glob("*")) if Path(".cursor/rules").is_dir() else []
USER = [H / ".claude/settings.json", H / ".claude/CLAUDE.md", H / ".claude.json", H / ".cursor/mcp.json"]

HIDDEN = re.compile("[\u200b-\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069\U000e0000-\U000e007f]")
INJECTION = re.compile(r"(?i)(ignore (all|any|previous) (instructions|rules)|take[s]? precedence over|"
                       r"do not (tell|mention|inform) the user|without asking|already (approved|consented)|"
                       r"bypassPermissions|curl[^|\n]*\|\s*(ba|z)?sh|iwr[^|\n]*\|\s*iex)")
RISKY_ALLOW = {"Bash(*)", "Bash", "WebFetch(*)", "Read(~/**)", "Read(//**)"}
SECRETISH = re.compile(r"(?i)(key|token|secret|password|auth)")


def finding(path, line, msg):
    print(f"{path}:{line}: {msg}")


def scan_text(path, text):
    for n, line in enumerate(text.splitlines(), 1):
        for ch in set(HIDDEN.findall(line)):
            cp = ord(ch)
            decoded = "".join(chr(ord(c) - 0xE0000) for c in line if 0xE0000 <= ord(c) <= 0xE007F)
            finding(path, n, f"hidden character U+{cp:04X} {unicodedata.name(ch, '?')}"
                    + (f" — decodes to: {decoded[:120]!r}" if decoded else ""))
        m = INJECTION.search(line)
        if m:
            finding(path, n, f"instruction-like phrase: {m.group(0)!r}")
        if "<!--" in line:
            finding(path, n, "HTML comment (invisible when rendered) — read it")


def scan_settings(path, data):
    perms = data.get("permissions", {})
    if perms.get("defaultMode") == "bypassPermissions":
        finding(path, 0, "defaultMode is bypassPermissions (no approvals at all)")
    for rule in perms.get("allow", []):
        if rule in RISKY_ALLOW:
            finding(path, 0, f"broad allow rule {rule}")
    for event, groups in data.get("hooks", {}).items():
        for g in groups:
            for h in g.get("hooks", []):
                cmd = h.get("command", "")
                if re.search(r"curl|wget|iwr|Invoke-WebRequest|nc |base64", cmd):
                    finding(path, 0, f"{event} hook runs a network/decoding command: {cmd[:100]!r}")


def scan_mcp(path, data):
    for name, srv in (data.get("mcpServers") or {}).items():
        args = " ".join(srv.get("args", []))
        if re.search(r"https?://", args):
            finding(path, 0, f"MCP server {name!r} runs code fetched from a URL: {args[:100]}")
        for k, v in (srv.get("env") or {}).items():
            if SECRETISH.search(k) and isinstance(v, str) and not v.startswith("${"):
                finding(path, 0, f"MCP server {name!r} has an inline secret {k}=<redacted, {len(v)} chars>")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--project", action="store_true")
    a = ap.parse_args()
    for p in PROJECT + ([] if a.project else USER):
        if not p.is_file():
            continue
        text = p.read_text(encoding="utf-8", errors="replace")
        scan_text(p, text)
        if p.suffix == ".json":
            try:
                data = json.loads(text)
            except ValueError:
                finding(p, 0, "invalid JSON"); continue
            scan_settings(p, data)
            scan_mcp(p, data)
            for proj, cfg in (data.get("projects") or {}).items():
                scan_mcp(f"{p}#{proj}", cfg)


if __name__ == "__main__":
    main()
