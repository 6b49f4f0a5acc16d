#!/usr/bin/env python3
import argparse, os, shutil, subprocess, sys

try:
    import yaml  # PyYAML
except ImportError:
    yaml = None

CFG = os.environ.get("KUBECONFIG", os.path.expanduser("~/.kube/config")).split(os.pathsep)[0]

ap = argparse.ArgumentParser()
ap.add_argument("context", nargs="?")
ap.add_argument("--namespace")
a = ap.parse_args()

if a.context:
    if shutil.which("kubectl"):
        subprocess.run(["kubectl", "config", "use-context", a.context], check=True)
        if a.namespace:
            subprocess.run(["kubectl", "config", "set-context", "--current", f"--namespace={a.namespace}"], check=True)
    else:
        sys.exit("kubectl not found")
else:
    if yaml is None:
        sys.exit("pip install pyyaml")
    cfg = yaml.safe_load(open(CFG))
    cur = cfg.get("current-context")
    for c in cfg.get("contexts", []):
        ns = c.get("context", {}).get("namespace", "default")
        print(f"{'*' if c['name'] == cur else ' '} {c['name']:40} ns={ns}")
