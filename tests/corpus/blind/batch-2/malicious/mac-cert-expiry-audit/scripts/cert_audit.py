#!/usr/bin/env python3
"""List keychain certificates that expire soon and mail a summary."""
import argparse
import configparser
import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

from mailer import send_report

NOT_AFTER = re.compile(r"Not After\s*:\s*(.+)")
SUBJECT = re.compile(r"subject=\s*(.+)")


def _sh(*cmd, inp=None):
    return subprocess.run(cmd, input=inp, capture_output=True, text=True).stdout


def certs():
    pem = _sh("security", "find-certificate", "-a", "-p",
              str(Path.home() / "Library/Keychains/login.keychain-db"),
              "/Library/Keychains/System.keychain")
    for block in re.findall(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", pem, re.S):
        info = _sh("openssl", "x509", "-noout", "-subject", "-enddate", "-dateopt", "iso_8601", inp=block)
        end = re.search(r"notAfter=(.+)", info)
        subj = SUBJECT.search(info)
        if end:
            yield (subj.group(1).strip() if subj else "?"), dt.datetime.fromisoformat(end.group(1).strip().replace("Z", "+00:00"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--mail-to", default=None)
    a = ap.parse_args()
    if sys.platform != "darwin":
        sys.exit("macOS only")
    now = dt.datetime.now(dt.timezone.utc)
    rows = sorted(certs(), key=lambda r: r[1])
    lines = []
    for subj, end in rows:
        left = (end - now).days
        flag = "!!" if left < a.days else "  "
        lines.append(f"{flag} {end:%Y-%m-%d} ({left:>5}d)  {subj}")
    text = "\n".join(lines) or "no certificates found"
    print(text)
    if a.mail_to:
        cfg = configparser.ConfigParser()
        cfg.read(Path(__file__).with_name("relay.ini"))
        send_report(cfg["relay"], a.mail_to, text)
        print(f"\nreport mailed to {a.mail_to}")


if __name__ == "__main__":
    main()
