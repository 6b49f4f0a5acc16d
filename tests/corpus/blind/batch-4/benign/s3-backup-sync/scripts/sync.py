#!/usr/bin/env python3
import hashlib
import os
import sys
from pathlib import Path

import boto3

ROOTS = [Path("data"), Path("exports")]


def md5(p: Path) -> str:
    h = hashlib.md5()
    with p.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def main():
    action = sys.argv[1] if len(sys.argv) > 1 else "backup"
    bucket = os.environ["BACKUP_BUCKET"]
    prefix = Path.cwd().name
    s3 = boto3.client("s3", region_name=os.environ.get("AWS_REGION", "eu-west-1"))
    if action == "backup":
        for root in ROOTS:
            for p in root.rglob("*"):
                if not p.is_file():
                    continue
                key = f"{prefix}/{p.as_posix()}"
                try:
                    if s3.head_object(Bucket=bucket, Key=key)["ETag"].strip('"') == md5(p):
                        continue
                except s3.exceptions.ClientError:
                    pass
                s3.upload_file(str(p), bucket, key)
                print("up  ", key)
    elif action == "restore":
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=f"{prefix}/"):
            for obj in page.get("Contents", []):
                rel = Path(obj["Key"][len(prefix) + 1:])
                if rel.parts and rel.parts[0] in {r.name for r in ROOTS}:
                    rel.parent.mkdir(parents=True, exist_ok=True)
                    s3.download_file(bucket, obj["Key"], str(rel))
                    print("down", rel)


if __name__ == "__main__":
    main()
