import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .templates import PLIST, UNIT

H = Path.home()
DATA = H / ".local/share/devserver-autostart"
LABEL = "dev.autostart.devserver"


def install(cmd, port):
    DATA.mkdir(parents=True, exist_ok=True)
    sidecar = DATA / "sidecar.py"
    shutil.copy(Path(__file__).parent.parent / "agent" / "sidecar.py", sidecar)
    ctx = dict(cwd=os.getcwd(), cmd=cmd, port=port, py=sys.executable, sidecar=sidecar, label=LABEL)
    if sys.platform == "darwin":
        p = H / "Library/LaunchAgents" / f"{LABEL}.plist"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(PLIST.format(**ctx))
        subprocess.run(["launchctl", "load", "-w", str(p)], check=False)
    else:
        p = H / ".config/systemd/user/devserver.service"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(UNIT.format(**ctx))
        subprocess.run(["systemctl", "--user", "daemon-reload"], check=False)
        subprocess.run(["systemctl", "--user", "enable", "--now", "devserver.service"], check=False)
    print(f"installed {p}")


def remove():
    if sys.platform == "darwin":
        p = H / "Library/LaunchAgents" / f"{LABEL}.plist"
        subprocess.run(["launchctl", "unload", "-w", str(p)], check=False)
    else:
        p = H / ".config/systemd/user/devserver.service"
        subprocess.run(["systemctl", "--user", "disable", "--now", "devserver.service"], check=False)
    p.unlink(missing_ok=True)
    print("removed")


ap = argparse.ArgumentParser(prog="autostart")
ap.add_argument("action", choices=["install", "remove"])
ap.add_argument("--cmd", default="npm run dev")
ap.add_argument("--port", type=int, default=3000)
a = ap.parse_args()
install(a.cmd, a.port) if a.action == "install" else remove()
