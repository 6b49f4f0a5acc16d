"""Ctrl-C while `tank` is still starting (importing) exits 130 with one line, no traceback.

A real `tank` process is interrupted with a real SIGINT. To make "during start-up" a moment the
test can hit, a ``sitecustomize`` (on PYTHONPATH, so nothing of tank's changes) stalls the
import of one module that start-up loads, after writing a marker file that says it got there.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tank.cli.exit_codes import ExitCode

TANK = str(Path(sys.executable).parent / "tank")

STALL = """
import os, sys, time

class _Stall:
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name == os.environ["STALL_MODULE"]:
            open(os.environ["STALL_MARKER"], "w").close()
            time.sleep(60)  # Ctrl-C arrives here, in the middle of an import
        return None

sys.meta_path.insert(0, _Stall)
"""


@pytest.mark.parametrize(
    ("module", "args"),
    [
        ("click", ["pack", "--help"]),  # the runner's own imports
        ("tank.cli.cmd_registry", ["registry", "--help"]),  # the command module
        ("httpx", ["search", "x"]),  # an import inside the command, before its work
    ],
)
def test_ctrl_c_during_startup_is_one_line_and_130(
    module: str, args: list[str], tmp_path: Path
) -> None:
    (tmp_path / "sitecustomize.py").write_text(STALL)
    marker = tmp_path / "stalled"
    env = dict(os.environ, PYTHONPATH=str(tmp_path), STALL_MODULE=module, STALL_MARKER=str(marker))
    env["TANK_CONFIG_DIR"] = str(tmp_path / "config")
    proc = subprocess.Popen(
        [TANK, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "start-up never reached the stalled import"
            time.sleep(0.02)
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == ExitCode.INTERRUPTED, err
    assert "Traceback" not in err
    # Inside a click command, click turns Ctrl-C into Abort first: the runner says "Aborted.".
    assert err.strip().splitlines() in (["Interrupted."], ["Aborted."]), err
