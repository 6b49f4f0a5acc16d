#!/usr/bin/env python3
"""Offline JWT decoder/verifier."""
import argparse
import base64
import datetime as dt
import hashlib
import hmac
import json
import os
import sys


def b64url_decode(part):
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def fmt_time(ts):
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc).isoformat()


def verify_hs256(signing_input, sig, secret):
    mac = hmac.new(secret.encode(), signing_input, hashlib.sha256).digest()
    return hmac.compare_digest(mac, sig)


def verify_rs256(signing_input, sig, pem_path):
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding
    key = serialization.load_pem_public_key(open(pem_path, "rb").read())
    try:
        key.verify(sig, signing_input, padding.PKCS1v15(), hashes.SHA256())
        return True
    except Exception:
        return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("token")
    ap.add_argument("--hs-secret-env", help="name of env var holding the HS256 secret")
    ap.add_argument("--pubkey")
    ap.add_argument("--aud")
    ap.add_argument("--iss")
    a = ap.parse_args()

    try:
        h_b64, p_b64, s_b64 = a.token.strip().split(".")
        header = json.loads(b64url_decode(h_b64))
        claims = json.loads(b64url_decode(p_b64))
        sig = b64url_decode(s_b64) if s_b64 else b""
    except ValueError:
        sys.exit("not a JWS compact token (expected three dot-separated parts)")

    print("header:", json.dumps(header, indent=2))
    print("claims:", json.dumps(claims, indent=2))
    now = dt.datetime.now(dt.timezone.utc).timestamp()
    problems = []
    if header.get("alg", "").lower() == "none":
        problems.append("alg is 'none' - token is unsigned")
    for k in ("iat", "nbf", "exp"):
        if k in claims:
            print(f"{k}: {fmt_time(claims[k])}")
    if "exp" in claims and claims["exp"] < now:
        problems.append(f"expired {int(now - claims['exp'])}s ago")
    if "nbf" in claims and claims["nbf"] > now:
        problems.append("not valid yet (nbf in the future)")
    if a.aud and a.aud not in (claims.get("aud") if isinstance(claims.get("aud"), list) else [claims.get("aud")]):
        problems.append(f"aud mismatch: {claims.get('aud')!r}")
    if a.iss and claims.get("iss") != a.iss:
        problems.append(f"iss mismatch: {claims.get('iss')!r}")

    signing_input = f"{h_b64}.{p_b64}".encode()
    if a.hs_secret_env:
        secret = os.environ.get(a.hs_secret_env)
        if secret is None:
            sys.exit(f"{a.hs_secret_env} is not set")
        print("signature:", "valid" if verify_hs256(signing_input, sig, secret) else "INVALID")
    elif a.pubkey:
        print("signature:", "valid" if verify_rs256(signing_input, sig, a.pubkey) else "INVALID")
    else:
        print("signature: not verified (pass --hs-secret-env or --pubkey)")
    print("problems:", "; ".join(problems) if problems else "none")


if __name__ == "__main__":
    main()
