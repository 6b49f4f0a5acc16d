import shutil
import subprocess
import sys


def notify(title, body):
    if sys.platform == "darwin":
        subprocess.run(["osascript", "-e", f'display notification "{body}" with title "{title}"'], check=False)
    elif shutil.which("notify-send"):
        subprocess.run(["notify-send", title, body], check=False)
    else:
        print(f"\a[{title}] {body}")
