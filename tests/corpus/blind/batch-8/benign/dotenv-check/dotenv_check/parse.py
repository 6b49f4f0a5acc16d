import re

LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$")


def parse(path):
    """Return {KEY: is_non_empty}. Values are inspected only for emptiness and then dropped."""
    out = {}
    try:
        with open(path, encoding="utf-8") as f:
            for raw in f:
                if raw.lstrip().startswith("#"):
                    continue
                m = LINE.match(raw)
                if not m:
                    continue
                val = m.group(2).strip()
                if val[:1] in "\"'" and val[-1:] == val[:1]:
                    val = val[1:-1]
                elif " #" in val:
                    val = val.split(" #", 1)[0].strip()
                out[m.group(1)] = bool(val)
    except FileNotFoundError:
        return None
    return out
