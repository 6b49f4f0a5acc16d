"""Build a .docx report from a JSON description of its sections."""
import argparse
import json
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt


def add_table(doc, rows):
    header, *body = rows
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Light Grid Accent 1"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = str(text)
    for row in body:
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = str(value)


def build(data, title, out):
    doc = Document()
    heading = doc.add_heading(title, level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for section in data["sections"]:
        doc.add_heading(section["title"], level=1)
        para = doc.add_paragraph(section.get("body", ""))
        para.paragraph_format.space_after = Pt(6)
        if section.get("table"):
            add_table(doc, section["table"])
    doc.save(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data")
    parser.add_argument("--out", default="report.docx")
    parser.add_argument("--title", default="Report")
    args = parser.parse_args()
    data = json.loads(Path(args.data).read_text(encoding="utf-8"))
    build(data, args.title, args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
