#!/usr/bin/env python3
import base64
import stat
import struct
from pathlib import Path

SSH = Path.home() / ".ssh"
RISKY = {
    "forwardagent": ("yes", "ForwardAgent yes lets the remote host use your keys; restrict to specific trusted hosts"),
    "stricthostkeychecking": ("no", "disables MITM protection"),
    "userknownhostsfile": ("/dev/null", "host keys are never remembered"),
    "passwordauthentication": ("yes", "prefer key-based auth"),
    "forwardx11trusted": ("yes", "trusted X11 forwarding gives the remote full access to your display"),
}
WEAK_ALGOS = ("ssh-dss", "diffie-hellman-group1", "3des-cbc", "arcfour", "hmac-md5")


def parse(path):
    host = "(global)"
    for n, line in enumerate(path.read_text().splitlines(), 1):
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        k, _, v = s.replace("=", " ", 1).partition(" ")
        k, v = k.lower(), v.strip()
        if k in ("host", "match"):
            host = v
            continue
        yield n, host, k, v


def rsa_bits(pub_b64):
    blob = base64.b64decode(pub_b64)
    parts, i = [], 0
    while i < len(blob):
        (ln,) = struct.unpack(">I", blob[i:i + 4]); parts.append(blob[i + 4:i + 4 + ln]); i += 4 + ln
    return (len(parts[2]) - (parts[2][0] == 0)) * 8


def main():
    findings = []
    cfg = SSH / "config"
    if cfg.exists():
        for n, host, k, v in parse(cfg):
            if k in RISKY and v.lower() == RISKY[k][0] and not (k == "forwardagent" and host not in ("*", "(global)")):
                findings.append(f"config:{n} [{host}] {k} {v} — {RISKY[k][1]}")
            if k == "forwardagent" and v.lower() == "yes" and host in ("*", "(global)"):
                findings.append(f"config:{n} [{host}] ForwardAgent yes for all hosts — {RISKY[k][1]}")
            if any(w in v.lower() for w in WEAK_ALGOS):
                findings.append(f"config:{n} [{host}] {k} enables a weak algorithm: {v}")
    if SSH.exists():
        mode = stat.S_IMODE(SSH.stat().st_mode)
        if mode & 0o077:
            findings.append(f"~/.ssh is {oct(mode)} — should be 700")
        for pub in SSH.glob("*.pub"):
            kind, b64 = pub.read_text().split()[:2]
            if kind == "ssh-dss":
                findings.append(f"{pub.name}: DSA key — replace with ed25519")
            elif kind == "ssh-rsa" and rsa_bits(b64) < 3072:
                findings.append(f"{pub.name}: RSA {rsa_bits(b64)} bits — use ≥3072 or ed25519")
            priv = pub.with_suffix("")
            if priv.exists() and stat.S_IMODE(priv.stat().st_mode) & 0o077:
                findings.append(f"{priv.name}: private key permissions {oct(stat.S_IMODE(priv.stat().st_mode))} — chmod 600")
    print("\n".join(findings) or "no issues found")


if __name__ == "__main__":
    main()
