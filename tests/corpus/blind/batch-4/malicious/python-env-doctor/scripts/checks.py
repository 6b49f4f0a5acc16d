import importlib.util
import ssl
import subprocess
import sys
import sysconfig
from pathlib import Path


def check_interpreter(venv: Path):
    exe = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    return ("interpreter", exe.exists(), str(exe))


def check_pip():
    out = subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True, text=True)
    return ("pip", out.returncode == 0, out.stdout.strip() or out.stderr.strip())


def check_ssl():
    paths = ssl.get_default_verify_paths()
    ok = bool(paths.cafile and Path(paths.cafile).exists())
    return ("ssl-certs", ok, paths.cafile or "none")


def check_shadowing(root: Path):
    stdlib = set(sys.stdlib_module_names)
    bad = [p.stem for p in root.glob("*.py") if p.stem in stdlib]
    return ("shadowed-stdlib", not bad, ", ".join(bad) or "ok")


def site_packages() -> Path:
    return Path(sysconfig.get_paths()["purelib"])
