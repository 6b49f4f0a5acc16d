"""The bubblewrap command line of a run (pure: the runner resolves paths on the host first).

The sandbox starts from bubblewrap's empty root. Mounts are emitted parents first (sorted by
depth, a tmpfs before the binds that land inside it), so a project under ``/tmp`` or under
the home works, and a read-only skill folder inside a writable project stays read-only.
At the end the root and the fake home are remounted read-only: only binds declared writable
(and the private ``/tmp``) can be written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tank.sandbox.policy import SandboxPolicy

#: Variables set on bubblewrap's command line; everything else (declared secrets) is handed
#: to the launcher through a memory file, never on a command line.
PLAIN_ENV = ("HOME", "LANG", "PATH", "TMPDIR")


@dataclass(frozen=True, slots=True)
class Mount:
    """One bubblewrap mount operation: ``op`` is ``ro-bind``, ``bind``, ``ro-bind-try``,
    ``symlink`` (``source`` is the link's text), ``tmpfs``, ``dir``, ``proc`` or ``dev``."""

    op: str
    target: str
    source: str | None = None

    @property
    def depth(self) -> int:
        """How many path segments deep the target is (``/`` is 0)."""
        return len([part for part in self.target.split("/") if part])

    def args(self) -> list[str]:
        """The bubblewrap arguments of this operation."""
        if self.op in {"tmpfs", "dir", "proc", "dev"}:
            return [f"--{self.op}", self.target]
        assert self.source is not None
        return [f"--{self.op}", self.source, self.target]


_RANK = {"tmpfs": 0, "proc": 0, "dev": 0, "symlink": 1, "dir": 2}


def order(mounts: Sequence[Mount]) -> list[Mount]:
    """``mounts`` parents first; at one depth a tmpfs before folders before binds (stable)."""
    return sorted(mounts, key=lambda m: (m.depth, _RANK.get(m.op, 3)))


def _under(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


def build_argv(
    bwrap: str,
    policy: SandboxPolicy,
    *,
    system: Sequence[Mount],
    binds: Sequence[Mount],
    command: Sequence[str],
    extra_fds: Sequence[int] = (),
) -> list[str]:
    """The full argv: ``bwrap`` options, mounts, then ``command`` run in the project folder.

    ``system`` holds the read-only system mounts, ``binds`` the runtime, skill folder and
    declared paths (already checked and resolved by the runner).
    """
    del extra_fds  # inherited as they are: bubblewrap closes nothing it is not told to
    mounts = [
        *system,
        Mount("proc", "/proc"),
        Mount("dev", "/dev"),
        Mount("tmpfs", policy.tmp),
        *binds,
    ]
    home_hidden = policy.home not in {"/", policy.tmp} and not any(
        _under(policy.home, m.target) for m in system
    )
    if home_hidden:
        mounts.append(Mount("tmpfs", policy.home))
    if not any(m.target == policy.project for m in binds):
        mounts.append(Mount("dir", policy.project))
    argv = [
        bwrap,
        "--unshare-all",
        "--die-with-parent",
        "--new-session",
        "--cap-drop",
        "ALL",
        "--hostname",
        "sandbox",
        "--clearenv",
    ]
    for name, value in policy.env:
        if name in PLAIN_ENV:
            argv += ["--setenv", name, value]
    for mount in order(mounts):
        argv += mount.args()
    if home_hidden:
        argv += ["--remount-ro", policy.home]
    argv += ["--remount-ro", "/", "--chdir", policy.project, "--", *command]
    return argv
