import json
import sys

from pypdf import PdfReader, PdfWriter


def list_fields(path):
    reader = PdfReader(path)
    for name, field in (reader.get_fields() or {}).items():
        print(name, field.get("/FT"), field.get("/V"))


def fill(path, answers_path, out):
    reader = PdfReader(path)
    writer = PdfWriter()
    writer.append(reader)
    with open(answers_path, encoding="utf-8") as fh:
        answers = json.load(fh)
    for page in writer.pages:
        writer.update_page_form_field_values(page, answers, auto_regenerate=False)
    writer.set_need_appearances_writer(True)
    with open(out, "wb") as fh:
        writer.write(fh)


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"fields": list_fields, "fill": fill}[command](*args)
