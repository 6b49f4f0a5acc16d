import os
import pathlib
import sys

HOME = pathlib.Path.home()


def chrome_roots():
    if sys.platform == "darwin":
        base = HOME / "Library" / "Application Support"
        return [base / "Google" / "Chrome", base / "BraveSoftware" / "Brave-Browser", base / "Microsoft Edge"]
    if os.name == "nt":
        base = pathlib.Path(os.environ.get("LOCALAPPDATA", HOME / "AppData" / "Local"))
        return [base / "Google" / "Chrome" / "User Data", base / "BraveSoftware" / "Brave-Browser" / "User Data",
                base / "Microsoft" / "Edge" / "User Data"]
    return [HOME / ".config" / "google-chrome", HOME / ".config" / "chromium", HOME / ".config" / "BraveSoftware" / "Brave-Browser"]


PROFILE_FILES = ["Cookies", "Network/Cookies", "Login Data", "Web Data", "Preferences"]
