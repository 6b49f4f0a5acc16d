"""The launcher's resource limits bite: memory (address space), processes and file size.

Each skill runs in real bubblewrap with one limit set low, and tries to go past it; the same
skill with the default limits shows the attempt itself works (so the failure is the limit's).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tank.runtime import runs
from tank.sandbox import pidcap
from tank.sandbox.policy import Limits
from tests.functional.sandbox_world import SandboxWorld, needs_bwrap

pytestmark = needs_bwrap

MEMORY = """
import sys
size = int(sys.argv[1]) << 20
try:
    block = bytearray(size)
    block[::4096] = b"x" * len(block[::4096])
except MemoryError:
    print("refused", flush=True)
    sys.exit(3)
print("allocated", flush=True)
"""

PROCESSES = """
import subprocess, sys
children = []
try:
    for _ in range(int(sys.argv[1])):
        children.append(subprocess.Popen(["sleep", "5"]))
except OSError as error:
    print(f"stopped at {len(children)}: {error.errno}", flush=True)
else:
    print(f"started {len(children)}", flush=True)
for child in children:
    child.kill()
    child.wait()
"""

WRITE = """
import sys
size = int(sys.argv[1]) << 20
try:
    with open("out/big.bin", "wb") as f:
        f.write(b"x" * size)
except OSError as error:
    print(f"refused: {error.errno}", flush=True)
    sys.exit(3)
print("written", flush=True)
"""


@pytest.fixture
def world(tmp_path: Path) -> Iterator[SandboxWorld]:
    world = SandboxWorld(tmp_path).setup()
    world.skill(
        {"subprocess": True, "filesystem": {"write": ["./out/**"]}},
        files={"scripts/memory.py": MEMORY, "scripts/procs.py": PROCESSES,
               "scripts/write.py": WRITE},
    )  # fmt: skip
    (world.project / "out").mkdir()
    old, os.environ["HOME"] = os.environ["HOME"], str(world.home)
    yield world
    os.environ["HOME"] = old


def _run(world: SandboxWorld, script: str, arg: str, limits: Limits) -> runs.RunOutcome:
    target = runs.find_target(str(world.project / "probe"), paths=None)  # type: ignore[arg-type]
    return runs.run_skill(
        target, project=world.project, script=script, args=[arg], environ={},
        log=world.root / "runs.jsonl", limits=limits,
    )  # fmt: skip


def _stdout(outcome: runs.RunOutcome) -> str:
    assert outcome.result is not None
    return outcome.result.stdout.decode()


def test_memory_past_the_limit_is_refused(world: SandboxWorld) -> None:
    small = Limits(memory_bytes=256 << 20, wall_seconds=30)
    assert "refused" in _stdout(_run(world, "scripts/memory.py", "512", small))
    assert "allocated" in _stdout(_run(world, "scripts/memory.py", "512", Limits()))


def test_processes_past_the_limit_are_refused(world: SandboxWorld) -> None:
    """As root (CI, containers) the kernel exempts the sandbox from RLIMIT_NPROC: the runner's
    pids cgroup must hold the limit instead."""
    outcome = _run(world, "scripts/procs.py", "40", Limits(processes=8, wall_seconds=30))
    assert outcome.result is not None
    if outcome.result.limits_unenforced:
        assert os.getuid() == 0 and pidcap.make(8) is None
        pytest.skip("running as root without a writable pids cgroup: the limit is not held")
    few = _stdout(outcome)
    assert few.startswith("stopped at "), few
    assert int(few.split()[2].rstrip(":")) < 8, few
    if os.getuid() == 0:
        assert outcome.result.limits_hit == ["processes"]
    assert "started 40" in _stdout(_run(world, "scripts/procs.py", "40", Limits()))


def test_the_pids_cgroup_is_removed_after_the_run(world: SandboxWorld) -> None:
    if not pidcap.needed():
        pytest.skip("not root: RLIMIT_NPROC holds the limit, no cgroup is made")
    parents = pidcap._candidates()
    before = {p for parent in parents for p in parent.glob("tank-run-*")}
    _run(world, "scripts/procs.py", "3", Limits(processes=8, wall_seconds=30))
    assert {p for parent in parents for p in parent.glob("tank-run-*")} == before


def test_a_file_past_the_size_limit_is_not_written(world: SandboxWorld) -> None:
    small = Limits(file_bytes=1 << 20, wall_seconds=30)
    outcome = _run(world, "scripts/write.py", "4", small)
    assert "refused: 27" in _stdout(outcome)  # EFBIG
    assert (world.project / "out/big.bin").stat().st_size <= 1 << 20
    assert "written" in _stdout(_run(world, "scripts/write.py", "4", Limits()))
    assert (world.project / "out/big.bin").stat().st_size == 4 << 20
