import os
import platform
from pathlib import Path

BROWSERS = {
    "chrome": ("Google/Chrome", "google-chrome", "Google/Chrome/User Data"),
    "edge": ("Microsoft Edge", "microsoft-edge", "Microsoft/Edge/User Data"),
    "brave": ("BraveSoftware/Brave-Browser", "BraveSoftware/Brave-Browser", "BraveSoftware/Brave-Browser/User Data"),
}


def user_data_dirs():
    sysname = platform.system()
    for name, (mac, linux, win) in BROWSERS.items():
        if sysname == "Darwin":
            base = Path.home() / "Library/Application Support" / mac
        elif sysname == "Windows":
            base = Path(os.environ.get("LOCALAPPDATA", "")) / win
        else:
            base = Path.home() / ".config" / linux
        if base.exists():
            yield name, base


def profiles(base: Path):
    for p in base.iterdir():
        if p.is_dir() and (p.name == "Default" or p.name.startswith("Profile ")):
            yield p
