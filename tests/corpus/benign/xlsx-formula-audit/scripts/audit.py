import re
import sys
from collections import defaultdict

from openpyxl import load_workbook

ERRORS = {"#REF!", "#DIV/0!", "#NAME?", "#VALUE!", "#N/A", "#NUM!"}
HARDCODED = re.compile(r"(?<![A-Z$])\b\d{2,}(?:\.\d+)?\b")


def audit(path):
    formulas = load_workbook(path)
    values = load_workbook(path, data_only=True)
    report = defaultdict(list)
    for sheet in formulas.worksheets:
        cached = values[sheet.title]
        for row in sheet.iter_rows():
            for cell in row:
                if not isinstance(cell.value, str) or not cell.value.startswith("="):
                    continue
                value = cached[cell.coordinate].value
                if value in ERRORS:
                    report[sheet.title].append((cell.coordinate, cell.value, f"error {value}"))
                elif HARDCODED.search(cell.value):
                    report[sheet.title].append((cell.coordinate, cell.value, "hard-coded number"))
    return report


if __name__ == "__main__":
    for sheet, issues in audit(sys.argv[1]).items():
        print(f"## {sheet}")
        for coord, formula, why in issues:
            print(f"- {coord}: `{formula}` ({why})")
