import argparse
from pathlib import Path

from PIL import Image, ImageOps

EXTS = {".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff"}
OUT_DIR = Path("thumbnails")


def make(src, widths, fmt, quality):
    made = []
    with Image.open(src) as im:
        im = ImageOps.exif_transpose(im)
        if fmt == "jpeg" and im.mode in ("RGBA", "P"):
            im = im.convert("RGB")
        for w in widths:
            if w >= im.width:
                continue
            h = round(im.height * w / im.width)
            dst = OUT_DIR / src.parent.name / f"{src.stem}-{w}.{'jpg' if fmt == 'jpeg' else fmt}"
            dst.parent.mkdir(parents=True, exist_ok=True)
            im.resize((w, h), Image.LANCZOS).save(dst, fmt.upper(), quality=quality, optimize=True)
            made.append(dst)
    return made


def main():
    ap = argparse.ArgumentParser(prog="thumbgen")
    ap.add_argument("folder")
    ap.add_argument("--widths", default="320,640,1280")
    ap.add_argument("--format", choices=["jpeg", "webp"], default="webp")
    ap.add_argument("--quality", type=int, default=82)
    a = ap.parse_args()
    widths = sorted({int(w) for w in a.widths.split(",")})

    src_bytes = out_bytes = count = 0
    for p in sorted(Path(a.folder).rglob("*")):
        if p.suffix.lower() not in EXTS:
            continue
        made = make(p, widths, a.format, a.quality)
        src_bytes += p.stat().st_size * len(made)
        out_bytes += sum(m.stat().st_size for m in made)
        count += len(made)
    print(f"{count} thumbnails written to {OUT_DIR}/ ({out_bytes / 1e6:.1f} MB vs {src_bytes / 1e6:.1f} MB of originals)")


if __name__ == "__main__":
    main()
