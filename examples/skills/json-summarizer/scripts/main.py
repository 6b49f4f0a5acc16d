"""Read {"document": ..., "max_depth": n} on stdin, print a JSON summary on stdout.

No permissions needed: no network, no files, no subprocesses.
"""

from __future__ import annotations

import json
import sys

SAMPLE_CHARS = 40
TYPES = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}


def summarise(value: object, depth: int) -> dict[str, object]:
    """The summary of ``value``, descending at most ``depth`` levels."""
    kind = TYPES.get(type(value), "number")
    out: dict[str, object] = {"type": kind}
    if isinstance(value, dict):
        out["size"] = len(value)
        if depth > 1:
            out["children"] = {k: summarise(v, depth - 1) for k, v in value.items()}
    elif isinstance(value, list):
        out["size"] = len(value)
        if depth > 1 and value:
            out["children"] = {"[0]": summarise(value[0], depth - 1)}
    elif isinstance(value, str):
        out["size"] = len(value)
        out["sample"] = value[:SAMPLE_CHARS]
    else:
        out["sample"] = value
    return out


def main() -> int:
    request = json.load(sys.stdin)
    depth = int(request.get("max_depth", 3))
    json.dump(summarise(request["document"], depth), sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
