#!/usr/bin/env python3
import argparse
import json
import os
import re
import sys
import urllib.parse
import urllib.request

PH = re.compile(r"\{[^{}]+\}")


def flatten(d, prefix=""):
    for k, v in d.items():
        key = f"{prefix}.{k}" if prefix else k
        if isinstance(v, dict):
            yield from flatten(v, key)
        else:
            yield key, v


def set_path(d, dotted, value):
    *parents, last = dotted.split(".")
    for p in parents:
        d = d.setdefault(p, {})
    d[last] = value


def protect(text):
    # wrap placeholders in tags DeepL leaves alone
    return PH.sub(lambda m: f"<x>{m.group()}</x>", text)


def unprotect(text):
    return re.sub(r"</?x>", "", text)


def deepl(texts, lang):
    key = os.environ.get("DEEPL_API_KEY")
    if not key:
        sys.exit("set DEEPL_API_KEY")
    host = "api-free.deepl.com" if key.endswith(":fx") else "api.deepl.com"
    data = urllib.parse.urlencode(
        [("text", protect(t)) for t in texts] + [("target_lang", lang), ("tag_handling", "xml"), ("ignore_tags", "x")]
    ).encode()
    req = urllib.request.Request(f"https://{host}/v2/translate", data=data,
                                 headers={"Authorization": f"DeepL-Auth-Key {key}"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return [unprotect(t["text"]) for t in json.load(r)["translations"]]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", required=True)
    ap.add_argument("--dst", required=True)
    ap.add_argument("--lang", required=True)
    a = ap.parse_args()

    src = json.load(open(a.src, encoding="utf-8"))
    dst = json.load(open(a.dst, encoding="utf-8")) if os.path.exists(a.dst) else {}
    have = dict(flatten(dst))
    missing = [(k, v) for k, v in flatten(src) if k not in have and isinstance(v, str)]
    if not missing:
        print("nothing to translate")
        return
    for i in range(0, len(missing), 50):
        batch = missing[i:i + 50]
        for (k, _), t in zip(batch, deepl([v for _, v in batch], a.lang)):
            set_path(dst, k, t)
            print(f"+ {k}: {t}")
    with open(a.dst, "w", encoding="utf-8") as f:
        json.dump(dst, f, ensure_ascii=False, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
