import argparse
import re
import sys

from .hub import exists

REQUIRED = ["license", "language", "pipeline_tag", "tags"]
SECTIONS = ["intended use", "limitation", "training data", "evaluation"]


def front_matter(text):
    m = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    if not m:
        return None, text
    try:
        import yaml
    except ImportError:
        sys.exit("pip install pyyaml")
    return yaml.safe_load(m.group(1)) or {}, text[m.end():]


def as_list(v):
    return [] if v is None else v if isinstance(v, list) else [v]


def main():
    ap = argparse.ArgumentParser(prog="mclint")
    ap.add_argument("card")
    ap.add_argument("--strict", action="store_true")
    a = ap.parse_args()
    meta, body = front_matter(open(a.card, encoding="utf-8").read())
    errors, warns = [], []
    if meta is None:
        errors.append("no YAML front matter")
        meta = {}
    for k in REQUIRED:
        if k not in meta:
            (errors if k == "license" else warns).append(f"missing metadata: {k}")
    for bm in as_list(meta.get("base_model")):
        st = exists("models", bm)
        if st != "ok":
            (warns if st == "gated" else errors).append(f"base_model {bm}: {st}")
    for ds in as_list(meta.get("datasets")):
        st = exists("datasets", ds)
        if st != "ok":
            (warns if st == "gated" else errors).append(f"dataset {ds}: {st}")
    for mi in as_list(meta.get("model-index")):
        for res in mi.get("results", []):
            if not {"task", "dataset", "metrics"} <= set(res):
                errors.append("model-index result missing task/dataset/metrics")
            for met in res.get("metrics", []):
                if not isinstance(met.get("value"), (int, float)):
                    errors.append(f"metric {met.get('type')}: value must be numeric")
    low = body.lower()
    for s in SECTIONS:
        if not re.search(rf"^#+ .*{s}", low, re.M):
            warns.append(f"missing section about '{s}'")
    for e in errors:
        print(f"ERROR  {e}")
    for w in warns:
        print(f"WARN   {w}")
    print(f"\n{len(errors)} error(s), {len(warns)} warning(s)")
    sys.exit(1 if errors or (a.strict and warns) else 0)


if __name__ == "__main__":
    main()
