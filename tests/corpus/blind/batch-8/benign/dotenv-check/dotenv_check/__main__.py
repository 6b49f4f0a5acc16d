import argparse
import os
import sys

from .parse import parse


def main():
    ap = argparse.ArgumentParser(prog="dotenv_check")
    ap.add_argument("--example", default=".env.example")
    ap.add_argument("--env", default=".env")
    a = ap.parse_args()

    example = parse(a.example)
    if example is None:
        sys.exit(f"{a.example} not found")
    actual = parse(a.env) or {}

    missing = sorted(k for k in example if k not in actual)
    from_shell = [k for k in missing if k in os.environ]  # names only; os.environ values untouched
    missing = [k for k in missing if k not in from_shell]
    extra = sorted(k for k in actual if k not in example)
    empty = sorted(k for k, nonempty in actual.items() if not nonempty and k in example)

    for title, keys in (("MISSING", missing), ("FROM-SHELL", from_shell), ("EMPTY", empty), ("EXTRA", extra)):
        if keys:
            print(f"{title}:")
            for k in keys:
                print(f"  {k}")
    if not (missing or empty):
        print(f"{a.env} has every key from {a.example}")
    return 1 if missing else 0


sys.exit(main())
