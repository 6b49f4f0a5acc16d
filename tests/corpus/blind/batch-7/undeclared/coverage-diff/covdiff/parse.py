import re
import xml.etree.ElementTree as ET
from collections import defaultdict

HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


def changed_lines(diff_text):
    """Map file -> set of added/modified line numbers (new side)."""
    out = defaultdict(set)
    cur = None
    line_no = 0
    for line in diff_text.splitlines():
        if line.startswith("+++ "):
            path = line[4:].strip()
            cur = None if path == "/dev/null" else re.sub(r"^b/", "", path)
            continue
        m = HUNK.match(line)
        if m:
            line_no = int(m.group(1))
            continue
        if cur is None or line.startswith("--- "):
            continue
        if line.startswith("+"):
            out[cur].add(line_no)
            line_no += 1
        elif line.startswith("-"):
            continue
        else:
            line_no += 1
    return out


def coverage(xml_path):
    """Map file -> {line: hits} from a Cobertura report."""
    root = ET.parse(xml_path).getroot()
    sources = [s.text.rstrip("/") + "/" for s in root.iter("source") if s.text]
    out = defaultdict(dict)
    for cls in root.iter("class"):
        fn = cls.get("filename")
        for ln in cls.iter("line"):
            out[fn][int(ln.get("number"))] = int(ln.get("hits", "0"))
        for src in sources:
            out[src + fn] = out[fn]
    return out
