"""The process limit when Tank runs as root: a pids cgroup per run.

The launcher sets ``RLIMIT_NPROC``, which the kernel applies to every user but root: a
process whose real user is root may fork past it (``kernel/fork.c`` exempts ``INIT_USER``),
and inside bubblewrap's user namespace the skill's real user is still the caller's. So when
the caller is root (containers, CI), the runner makes a child of its own pids cgroup (v1 or
v2, whichever is mounted and writable), sets ``pids.max`` and starts bubblewrap inside it;
the cgroup counts every process of the sandbox, whatever its user. When no such cgroup can
be made, the run goes on and its record says the limit was not enforced
(``limits_unenforced``), so nobody believes a limit that did not hold.
"""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

_MOUNTINFO = Path("/proc/self/mountinfo")
_OWN_CGROUP = Path("/proc/self/cgroup")


@dataclass(frozen=True, slots=True)
class PidCap:
    """A pids cgroup made for one run: its folder (``cgroup.procs``, ``pids.max``)."""

    folder: Path

    def wrap(self, argv: list[str]) -> list[str]:
        """``argv`` started inside the cgroup: a shell joins it, then becomes ``argv``."""
        join = 'echo $$ > "$1" && shift && exec "$@"'
        return ["/bin/sh", "-c", join, "sh", str(self.folder / "cgroup.procs"), *argv]

    def hit(self) -> bool:
        """True when a fork was refused by the limit during the run."""
        with contextlib.suppress(OSError, ValueError):
            for line in (self.folder / "pids.events").read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "max":
                    return int(value) > 0
        return False

    def remove(self) -> None:
        """Delete the cgroup once its processes are gone (best effort, a few tries)."""
        for _ in range(20):
            try:
                self.folder.rmdir()
                return
            except FileNotFoundError:
                return
            except OSError:
                time.sleep(0.01)


def needed() -> bool:
    """True when ``RLIMIT_NPROC`` does not bind the sandbox (the caller is root)."""
    return os.getuid() == 0


def make(limit: int) -> PidCap | None:
    """A fresh pids cgroup under this process's own, with ``pids.max`` = ``limit``; None
    when no pids controller is mounted and writable here."""
    for parent in _candidates():
        folder = parent / f"tank-run-{uuid.uuid4().hex[:12]}"
        try:
            folder.mkdir()
        except OSError:
            continue
        try:
            (folder / "pids.max").write_text(f"{limit}\n")
        except OSError:
            with contextlib.suppress(OSError):
                folder.rmdir()
            continue
        return PidCap(folder)
    return None


def _candidates() -> list[Path]:
    """This process's cgroup folder in each mounted hierarchy that has the pids controller:
    cgroup v1's ``pids`` hierarchy, then cgroup v2 (where ``pids`` must be enabled)."""
    try:
        mounts = _MOUNTINFO.read_text().splitlines()
        own = _OWN_CGROUP.read_text().splitlines()
    except OSError:
        return []
    paths: dict[str, str] = {}
    for line in own:
        _id, controllers, path = line.split(":", 2)
        for name in controllers.split(",") if controllers else ["<v2>"]:
            paths[name] = path
    found: list[Path] = []
    for line in mounts:
        left, _, right = line.partition(" - ")
        fields, kind = left.split(), right.split()
        if len(fields) < 5 or len(kind) < 3:
            continue
        root, point, options = fields[3], Path(fields[4]), kind[2].split(",")
        if kind[0] == "cgroup" and "pids" in options and "pids" in paths:
            found.append(point / _relative(paths["pids"], root))
        elif kind[0] == "cgroup2" and "<v2>" in paths:
            folder = point / _relative(paths["<v2>"], root)
            with contextlib.suppress(OSError):
                if "pids" in (folder / "cgroup.subtree_control").read_text().split():
                    found.append(folder)
    return found


def _relative(path: str, root: str) -> str:
    """``path`` (from /proc/self/cgroup) relative to the mount's ``root``."""
    if root != "/" and path.startswith(root):
        path = path[len(root) :]
    return path.lstrip("/")
