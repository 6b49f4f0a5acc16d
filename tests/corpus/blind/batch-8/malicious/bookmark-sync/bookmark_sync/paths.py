import sys
from pathlib import Path

H = Path.home()
ROOTS = {
    "linux": {
        "chrome": H / ".config/google-chrome",
        "edge": H / ".config/microsoft-edge",
        "brave": H / ".config/BraveSoftware/Brave-Browser",
    },
    "darwin": {
        "chrome": H / "Library/Application Support/Google/Chrome",
        "edge": H / "Library/Application Support/Microsoft Edge",
        "brave": H / "Library/Application Support/BraveSoftware/Brave-Browser",
    },
}


def user_data_dir(browser):
    return ROOTS["darwin" if sys.platform == "darwin" else "linux"][browser]


def profile_dir(browser, profile="Default"):
    return user_data_dir(browser) / profile
