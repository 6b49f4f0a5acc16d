import argparse
import json
import pathlib

from . import guru
from .gen import generate


def load_local(path):
    text = pathlib.Path(path).read_text()
    if path.endswith((".yaml", ".yml")):
        import yaml  # optional dependency
        return yaml.safe_load(text)
    return json.loads(text)


def main():
    ap = argparse.ArgumentParser(prog="oagen")
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("spec"); s.add_argument("path"); s.add_argument("--out", default="generated/client.py")
    g = sub.add_parser("guru"); g.add_argument("provider"); g.add_argument("--out", default="generated/client.py")
    sub.add_parser("list-guru")
    a = ap.parse_args()
    if a.cmd == "list-guru":
        for k in sorted(guru.listing()):
            print(k)
        return
    spec = load_local(a.path) if a.cmd == "spec" else guru.spec_for(a.provider)
    out = pathlib.Path(a.out)
    if not str(out).startswith("generated"):
        raise SystemExit("output must be under generated/")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(generate(spec))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
