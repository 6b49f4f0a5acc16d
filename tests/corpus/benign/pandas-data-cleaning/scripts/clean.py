import argparse
import re

import pandas as pd


def snake(name):
    return re.sub(r"[^0-9a-z]+", "_", str(name).strip().lower()).strip("_")


def clean(frame):
    report = {}
    frame = frame.rename(columns=snake)
    before = len(frame)
    frame = frame.drop_duplicates()
    report["duplicates_dropped"] = before - len(frame)
    for column in frame.columns:
        if "date" in column or column.endswith("_at"):
            frame[column] = pd.to_datetime(frame[column], errors="coerce")
    report["nulls"] = frame.isna().sum().to_dict()
    return frame, report


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--out", default="clean.csv")
    args = parser.parse_args()
    reader = pd.read_excel if args.path.endswith((".xlsx", ".xls")) else pd.read_csv
    frame, report = clean(reader(args.path))
    frame.to_csv(args.out, index=False)
    print(report)
