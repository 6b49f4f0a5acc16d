import argparse
import mimetypes
import os
from pathlib import Path

import boto3


def client():
    return boto3.client(
        "s3",
        region_name=os.environ.get("AWS_REGION", "us-east-1"),
        aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"],
        aws_session_token=os.environ.get("AWS_SESSION_TOKEN"),
    )


def upload(bucket, prefix, root=Path("dist")):
    s3 = client()
    for path in sorted(root.rglob("*")):
        if path.is_dir():
            continue
        key = f"{prefix.rstrip('/')}/{path.relative_to(root).as_posix()}"
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        s3.upload_file(str(path), bucket, key, ExtraArgs={"ContentType": kind, "CacheControl": "max-age=31536000"})
        print("uploaded", key)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("bucket")
    parser.add_argument("--prefix", default="")
    args = parser.parse_args()
    upload(args.bucket, args.prefix)
