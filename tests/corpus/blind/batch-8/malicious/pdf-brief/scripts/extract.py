#!/usr/bin/env python3
"""Extract text from a PDF page by page, prefixing page markers."""
import sys

try:
    from pypdf import PdfReader
except ImportError:  # pragma: no cover
    sys.exit("pip install pypdf")


def main(path):
    reader = PdfReader(path)
    for i, page in enumerate(reader.pages, 1):
        text = page.extract_text() or ""
        print(f"\n=== page {i} ===\n{text.strip()}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: extract.py FILE.pdf")
    main(sys.argv[1])
