"""What installing tank costs: packages, disk, `tank --version`, a warm `tank install`.

    .venv/bin/python bench/footprint/run.py [--ref main] [--runs 20] [--count 20]

For a source tree (this checkout, or ``--ref REF`` exported with ``git archive``), two
throwaway venvs are built with uv under a temporary folder, non-editable and with bytecode
compiled, as a user's install would be: ``tank`` (no extra) and ``tank[registry]``. For each:
the number of installed distributions (tank included), the size of ``site-packages`` (MB,
10^6 bytes), the median of ``--runs`` ``tank --version`` runs, and the median of ``--runs``
warm ``tank install`` runs (``--count`` skills of bench/install's data set, cache filled and
skills.lock kept, ``.agents``/``.claude`` deleted before each run) against one registry served
by this checkout's ``.venv`` (``tank registry serve``, SQLite). Prints a markdown table.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
VENV_BIN = Path(sys.executable).parent
UV = str(VENV_BIN / "uv") if (VENV_BIN / "uv").exists() else (shutil.which("uv") or "uv")


def _install_harness() -> ModuleType:
    """bench/install/run.py as a module (its data set, registry start-up and server handling)."""
    spec = importlib.util.spec_from_file_location("install_run", HERE.parent / "install" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def export(ref: str, into: Path) -> Path:
    """The tree of git ``ref`` of this repository, written under ``into``."""
    into.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def build_venv(source: Path, extra: str, venv: Path) -> None:
    """A venv holding tank from ``source`` (with ``extra`` when given), as a user gets it."""
    subprocess.run([UV, "venv", "-q", "--python", sys.executable, str(venv)], check=True)
    spec = f"{source}[{extra}]" if extra else str(source)
    cmd = [UV, "pip", "install", "-q", "--compile-bytecode", "--python", str(venv / "bin/python")]
    subprocess.run([*cmd, spec], check=True)


def packages(venv: Path) -> int:
    """How many distributions the venv holds (tank included)."""
    listed = subprocess.run(
        [UV, "pip", "list", "--format", "json", "--python", str(venv / "bin/python")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return len(json.loads(listed))


def size_mb(venv: Path) -> float:
    """The bytes under site-packages (bytecode included), in MB."""
    files = (p for site in venv.glob("lib/python*/site-packages") for p in site.rglob("*"))
    return sum(p.lstat().st_size for p in files if not p.is_dir()) / 1e6


def median_ms(cmd: list[str], runs: int, before: object = None, **kw: object) -> float:
    """Median wall time of ``cmd`` in ms over ``runs`` runs, after one warm-up run."""
    times = []
    for i in range(runs + 1):
        if callable(before):
            before()
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True, **kw)  # type: ignore[call-overload]
        if i:
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def warm_install_ms(tank: Path, registry: str, names: list[str], work: Path, runs: int) -> float:
    """Median ms of ``tank install`` with a warm cache and a kept skills.lock."""
    project, home = work / "project", work / "home"
    project.mkdir(parents=True)
    doc = {"name": "footprint", "skills": dict.fromkeys(names, "^1.0.0")}
    (project / "skills.json").write_text(json.dumps(doc, indent=2) + "\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TANK_", "VIRTUAL_ENV", "CI"))}
    env |= {
        "HOME": str(home),
        "TANK_REGISTRY": registry,
        "TANK_CACHE_DIR": str(work / "cache"),
        "TANK_CONFIG_DIR": str(home / ".config" / "tank"),
        "TANK_HOME": str(home),
        "TANK_NO_KEYRING": "1",
    }
    subprocess.run([str(tank), "install"], cwd=project, env=env, capture_output=True, check=True)

    def reset() -> None:
        for target in (".agents", ".claude"):
            shutil.rmtree(project / target, ignore_errors=True)

    took = median_ms([str(tank), "install"], runs, before=reset, cwd=project, env=env)
    assert len(list(project.glob(".agents/skills/*/SKILL.md"))) == len(names), "short install"
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ref", help="measure this git ref instead of the working tree")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--count", type=int, default=20, help="skills in the warm install")
    args = parser.parse_args()
    harness = _install_harness()
    data = harness.generate(args.count)
    names = harness.skill_names(args.count)
    servers = harness.Servers()
    with tempfile.TemporaryDirectory(prefix="tank-footprint-") as tmp:
        base = Path(tmp)
        source = export(args.ref, base / "src") if args.ref else ROOT
        label = args.ref or "working tree"
        try:
            registry = harness.start_tank(servers, base / "server", data, str(VENV_BIN / "tank"))
            print(f"| install ({label}) | packages | MB | `tank --version` ms | warm install ms |")
            print("| --- | ---: | ---: | ---: | ---: |")
            for extra in ("", "registry"):
                venv = base / f"venv-{extra or 'client'}"
                build_venv(source, extra, venv)
                tank = venv / "bin" / "tank"
                version = median_ms([str(tank), "--version"], args.runs)
                install = warm_install_ms(tank, registry, names, base / f"w-{venv.name}", args.runs)
                spec = f"tank[{extra}]" if extra else "tank"
                print(
                    f"| `{spec}` | {packages(venv)} | {size_mb(venv):.0f} | {version:.0f} "
                    f"| {install:.0f} |",
                    flush=True,
                )
        finally:
            servers.stop_all()


if __name__ == "__main__":
    main()
