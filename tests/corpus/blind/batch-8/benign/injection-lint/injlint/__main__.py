import sys
from pathlib import Path

from .rules import HTML_COMMENT, IMPERATIVE, INVISIBLE, PHRASES, decode_tags

EXTS = {".md", ".markdown", ".txt", ".yaml", ".yml", ".json", ".py", ".js", ".ts", ".sh"}


def lint_text(name, text):
    hits = []
    for n, line in enumerate(text.splitlines(), 1):
        for m in INVISIBLE.finditer(line):
            hidden = decode_tags(line)
            hits.append((n, m.start() + 1, "INVISIBLE", f"U+{ord(m.group()):04X}" + (f" spells {hidden[:60]!r}" if hidden else "")))
            break
        for rule, rx in PHRASES:
            m = rx.search(line)
            if m:
                hits.append((n, m.start() + 1, rule, line.strip()[:80]))
    for m in HTML_COMMENT.finditer(text):
        if IMPERATIVE.search(m.group(1)):
            n = text.count("\n", 0, m.start()) + 1
            hits.append((n, 1, "HIDDEN-BLOCK", m.group(1).strip().splitlines()[0][:80]))
    return [f"{name}:{n}:{c} {rule} {ex}" for n, c, rule, ex in sorted(hits)]


def walk(paths):
    for p in map(Path, paths):
        if p.is_dir():
            yield from (f for f in p.rglob("*") if f.suffix in EXTS and f.is_file())
        elif p.is_file():
            yield p


def main(argv):
    out = []
    for f in walk(argv or ["."]):
        out += lint_text(str(f), f.read_text(encoding="utf-8", errors="replace"))
    print("\n".join(out) or "clean")
    return 1 if out else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
