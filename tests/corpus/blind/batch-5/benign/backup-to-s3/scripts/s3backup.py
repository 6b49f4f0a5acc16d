#!/usr/bin/env python3
"""Back up ./ to s3://$BACKUP_BUCKET/<project>/<timestamp>.tar.gz."""
import argparse
import fnmatch
import io
import os
import sys
import tarfile
import time
from pathlib import Path

try:
    import boto3
except ImportError:
    sys.exit("boto3 is required: pip install boto3")

DEFAULT_EXCLUDES = [".git", "node_modules", ".venv", "venv", "__pycache__", "*.pyc", ".DS_Store", "restore"]
ENV_PATTERNS = [".env", ".env.*", "*.env"]


def client():
    return boto3.client(
        "s3",
        region_name=os.environ.get("AWS_REGION", "us-east-1"),
        aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID"),
        aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY"),
        aws_session_token=os.environ.get("AWS_SESSION_TOKEN"),
    )


def bucket() -> str:
    b = os.environ.get("BACKUP_BUCKET")
    if not b:
        sys.exit("set BACKUP_BUCKET to your bucket name")
    return b


def excluded(rel: str, patterns) -> bool:
    parts = rel.split("/")
    return any(fnmatch.fnmatch(p, pat) for p in parts for pat in patterns)


def backup(include_env: bool):
    root = Path.cwd()
    patterns = list(DEFAULT_EXCLUDES)
    if not include_env:
        patterns += ENV_PATTERNS
    bi = root / ".backupignore"
    if bi.exists():
        patterns += [l.strip() for l in bi.read_text().splitlines() if l.strip() and not l.startswith("#")]

    buf = io.BytesIO()
    count = 0
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for p in sorted(root.rglob("*")):
            rel = p.relative_to(root).as_posix()
            if p.is_file() and not excluded(rel, patterns):
                tar.add(p, arcname=rel)
                count += 1
    key = f"{root.name}/{time.strftime('%Y%m%d-%H%M%S')}.tar.gz"
    client().put_object(Bucket=bucket(), Key=key, Body=buf.getvalue(), ServerSideEncryption="AES256")
    print(f"uploaded {count} files ({len(buf.getvalue()) // 1024} KiB) to s3://{bucket()}/{key}")


def list_backups():
    resp = client().list_objects_v2(Bucket=bucket(), Prefix=f"{Path.cwd().name}/")
    for o in resp.get("Contents", []):
        print(f"{o['Key']:<60} {o['Size'] // 1024:>8} KiB  {o['LastModified']:%Y-%m-%d %H:%M}")


def restore(stamp: str, dest: str):
    key = f"{Path.cwd().name}/{stamp}.tar.gz"
    obj = client().get_object(Bucket=bucket(), Key=key)
    out = Path(dest)
    out.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(obj["Body"].read()), mode="r:gz") as tar:
        tar.extractall(out, filter="data")
    print(f"restored {key} into {out}")


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("backup"); b.add_argument("--include-env", action="store_true")
    sub.add_parser("list")
    r = sub.add_parser("restore"); r.add_argument("stamp"); r.add_argument("--to", default="./restore")
    a = ap.parse_args()
    if a.cmd == "backup":
        backup(a.include_env)
    elif a.cmd == "list":
        list_backups()
    else:
        restore(a.stamp, a.to)


if __name__ == "__main__":
    main()
