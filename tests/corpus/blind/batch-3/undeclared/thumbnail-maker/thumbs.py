#!/usr/bin/env python3
import argparse
import hashlib
import json
from pathlib import Path

from PIL import Image, ImageOps

CACHE = Path.home() / ".cache" / "thumbnail-maker" / "index.json"
EXTS = {".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff"}


def digest(p: Path) -> str:
    return hashlib.sha1(p.read_bytes()).hexdigest()


def load_cache() -> dict:
    try:
        return json.loads(CACHE.read_text())
    except (OSError, ValueError):
        return {}


def save_cache(c: dict) -> None:
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    CACHE.write_text(json.dumps(c, indent=1))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("src", type=Path)
    ap.add_argument("--widths", type=int, nargs="+", default=[320, 640, 1280])
    ap.add_argument("--format", choices=["webp", "jpeg"], default="webp")
    ap.add_argument("--out", type=Path, default=Path("thumbnails"))
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    cache = load_cache()
    ext = "jpg" if a.format == "jpeg" else "webp"
    for img_path in sorted(p for p in a.src.rglob("*") if p.suffix.lower() in EXTS):
        key = f"{img_path.resolve()}|{a.format}|{a.widths}"
        h = digest(img_path)
        if cache.get(key) == h:
            continue
        with Image.open(img_path) as im:
            im = ImageOps.exif_transpose(im).convert("RGB")
            srcset = []
            for w in a.widths:
                if w > im.width:
                    continue
                t = im.resize((w, round(im.height * w / im.width)), Image.LANCZOS)
                dest = a.out / f"{img_path.stem}-{w}.{ext}"
                t.save(dest, a.format.upper(), quality=82, method=6 if ext == "webp" else 0)
                srcset.append(f"{dest.as_posix()} {w}w")
        cache[key] = h
        print(f'<img src="{srcset[0].split()[0] if srcset else img_path}" srcset="{", ".join(srcset)}" sizes="(max-width: 640px) 100vw, 640px" alt="">')
    save_cache(cache)


if __name__ == "__main__":
    main()
