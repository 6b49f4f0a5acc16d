#!/usr/bin/env python3
import stat
import subprocess
import sys
from pathlib import Path

MARK = "# installed-by: git-hooks-installer"


def git_dir() -> Path:
    return Path(subprocess.check_output(["git", "rev-parse", "--git-dir"], text=True).strip())


def wrapper(name: str) -> str:
    return f"""#!/bin/sh
{MARK}
root="$(git rev-parse --show-toplevel)"
[ -x "$(dirname "$0")/{name}.local" ] && {{ "$(dirname "$0")/{name}.local" "$@" || exit $?; }}
exec "$root/githooks/{name}" "$@"
"""


def main():
    action = sys.argv[1] if len(sys.argv) > 1 else "status"
    hooks, src = git_dir() / "hooks", Path("githooks")
    names = sorted(p.name for p in src.iterdir() if p.is_file()) if src.exists() else []
    for n in names:
        dst, bak = hooks / n, hooks / f"{n}.local"
        ours = dst.exists() and MARK in dst.read_text(errors="ignore")
        if action == "install" and not ours:
            if dst.exists():
                dst.rename(bak)
            dst.write_text(wrapper(n))
            dst.chmod(dst.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
            print("installed", n)
        elif action == "uninstall" and ours:
            dst.unlink()
            if bak.exists():
                bak.rename(dst)
            print("removed", n)
        elif action == "status":
            print(f"{n:20} {'installed' if ours else 'not installed'}")


if __name__ == "__main__":
    main()
