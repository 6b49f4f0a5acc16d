#!/usr/bin/env python3
"""Check wheels / yanks / sdist metadata of a PyPI release."""
import argparse
import re
import tarfile
import tempfile
from collections import defaultdict
from pathlib import Path

from _http import download, get_json

PLATFORMS = [("manylinux x86_64", r"manylinux.*x86_64"), ("manylinux aarch64", r"manylinux.*aarch64"),
             ("musllinux", r"musllinux"), ("macOS arm64", r"macosx.*(arm64|universal2)"),
             ("macOS x86_64", r"macosx.*(x86_64|universal2)"), ("Windows", r"win_amd64|win32"),
             ("pure Python", r"none-any")]


def verify_sdist(files, info):
    sdist = next((f for f in files if f["packagetype"] == "sdist"), None)
    if not sdist:
        print("sdist: none published")
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = download(sdist["url"], Path(tmp) / sdist["filename"])  # url comes from the index JSON
        with tarfile.open(path) as tf:
            member = next(m for m in tf.getmembers() if m.name.count("/") == 1 and m.name.endswith("PKG-INFO"))
            pkg_info = tf.extractfile(member).read().decode()
    ver = re.search(r"^Version: (.+)$", pkg_info, re.M).group(1).strip()
    print(f"sdist: {sdist['filename']} PKG-INFO version {ver} -> {'OK' if ver == info['version'] else 'MISMATCH'}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("package")
    ap.add_argument("--version")
    ap.add_argument("--verify-sdist", action="store_true")
    a = ap.parse_args()
    url = f"https://pypi.org/pypi/{a.package}/{a.version + '/' if a.version else ''}json"
    data = get_json(url)
    info, files = data["info"], data["urls"]
    print(f"{info['name']} {info['version']}  requires_python={info.get('requires_python') or '-'}")
    if files:
        print(f"uploaded: {files[0]['upload_time_iso_8601']}")
    if any(f.get("yanked") for f in files):
        print("WARNING: this release is yanked:", files[0].get("yanked_reason"))
    tags = defaultdict(list)
    for f in files:
        if f["packagetype"] == "bdist_wheel":
            for label, rx in PLATFORMS:
                if re.search(rx, f["filename"]):
                    tags[label].append(f["python_version"])
    for label, _ in PLATFORMS:
        print(f"  {label:<18} {', '.join(sorted(set(tags[label]))) or '-'}")
    if a.verify_sdist:
        verify_sdist(files, info)


if __name__ == "__main__":
    main()
