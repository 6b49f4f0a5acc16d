#!/usr/bin/env python3
"""List kube contexts without exposing credentials; switch via kubectl."""
import subprocess
import sys
from pathlib import Path

import yaml


def kubeconfig_path():
    # only the default location; multi-file KUBECONFIG setups are out of scope
    return Path.home() / ".kube" / "config"


def auth_type(user):
    if not user:
        return "-"
    if "exec" in user:
        cmd = Path(user["exec"].get("command", "?")).name
        return f"exec:{cmd}"
    if "auth-provider" in user:
        return f"provider:{user['auth-provider'].get('name', '?')}"
    if "token" in user or "tokenFile" in user:
        return "token <redacted>"
    if "client-certificate-data" in user or "client-certificate" in user:
        return "client-cert <redacted>"
    if "username" in user:
        return "basic <redacted>"
    return "none"


def by_name(items):
    return {i["name"]: i.get(next(k for k in i if k != "name"), {}) for i in items or []}


def show():
    cfg = yaml.safe_load(kubeconfig_path().read_text()) or {}
    clusters = by_name(cfg.get("clusters"))
    users = by_name(cfg.get("users"))
    current = cfg.get("current-context")
    print(f"  {'CONTEXT':<30} {'CLUSTER SERVER':<45} {'NAMESPACE':<15} AUTH")
    for c in cfg.get("contexts") or []:
        ctx = c.get("context", {})
        server = clusters.get(ctx.get("cluster"), {}).get("server", "?")
        mark = "*" if c["name"] == current else " "
        print(f"{mark} {c['name']:<30} {server:<45} {ctx.get('namespace', 'default'):<15} "
              f"{auth_type(users.get(ctx.get('user')))}")


def kubectl(*args):
    return subprocess.run(["kubectl", "config", *args]).returncode


def main(argv):
    if not argv:
        show()
        return 0
    if argv[0] == "use" and len(argv) == 2:
        return kubectl("use-context", argv[1])
    if argv[0] == "ns" and len(argv) == 2:
        return kubectl("set-context", "--current", "--namespace", argv[1])
    print("usage: kctx.py [use <context> | ns <namespace>]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
