"""From a policy to concrete mounts and Landlock rules, checking the host's paths (I/O).

Every declared path is resolved on the host before it is bound: a grant whose real location
leaves its root (a ``./docs`` that is a symlink to ``~/.ssh``) is not bound and is reported
as a denial, so a symlink can never widen what the skill declared. Declared writable folders
inside the project are created when missing (only after checking their parent stays inside).
"""

from __future__ import annotations

import os
import shutil
import struct
from dataclasses import dataclass

from tank.sandbox import landlock
from tank.sandbox.bwrap import Mount
from tank.sandbox.entry import Entry
from tank.sandbox.policy import (
    SANDBOX_PATH,
    SYSTEM_DIRS,
    SYSTEM_ETC,
    PathGrant,
    SandboxPolicy,
)


@dataclass(frozen=True, slots=True)
class Layout:
    """What the runner hands bubblewrap and the launcher."""

    system: tuple[Mount, ...]
    binds: tuple[Mount, ...]
    rules: tuple[landlock.Rule, ...]
    refused: tuple[str, ...]  # grants not bound, each with why
    interpreter: str | None  # the absolute program exec'd for a non-Python entry


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


def system_mounts() -> list[Mount]:
    """Read-only system folders as they are on the host (merged-/usr links kept as links)."""
    out: list[Mount] = []
    for path in SYSTEM_DIRS:
        if os.path.islink(path):
            out.append(Mount("symlink", path, os.readlink(path)))
        elif os.path.isdir(path):
            out.append(Mount("ro-bind", path, path))
    out.extend(Mount("ro-bind-try", path, path) for path in SYSTEM_ETC)
    return out


def _resolve_grant(grant: PathGrant, policy: SandboxPolicy) -> tuple[str | None, str]:
    """The real host path to bind for a declared grant, or None and why not."""
    root = policy.project if _inside(grant.path, policy.project) else policy.home
    real_root = os.path.realpath(root)
    if not os.path.lexists(grant.path):
        if not grant.create:
            return None, f"{grant.glob}: {grant.path} does not exist"
        parent = os.path.realpath(os.path.dirname(grant.path))
        if not _inside(parent, real_root):
            return None, f"{grant.glob}: {grant.path} would be made outside {root}"
        os.makedirs(grant.path, exist_ok=True)
    real = os.path.realpath(grant.path)
    if not _inside(real, real_root):
        return None, f"{grant.glob}: {grant.path} leads outside {root} (to {real})"
    return real, ""


def elf_interpreter(path: str) -> str | None:
    """The dynamic loader an ELF executable names (``PT_INTERP``), None for anything else."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(64)
            if head[:4] != b"\x7fELF" or head[4] != 2:  # 64-bit only
                return None
            end = "<" if head[5] == 1 else ">"
            phoff, phentsize, phnum = (
                struct.unpack_from(end + "Q", head, 32)[0],
                struct.unpack_from(end + "H", head, 54)[0],
                struct.unpack_from(end + "H", head, 56)[0],
            )
            for index in range(min(phnum, 64)):
                handle.seek(phoff + index * phentsize)
                kind, _, offset, _, _, size = struct.unpack(end + "IIQQQQ", handle.read(40))
                if kind == 3:  # PT_INTERP
                    handle.seek(offset)
                    return handle.read(min(size, 4096)).rstrip(b"\0").decode()
    except (OSError, struct.error, UnicodeDecodeError):
        return None
    return None


def find_interpreter(entry: Entry) -> str:
    """The absolute path of a non-Python entry's interpreter inside the system folders."""
    program = entry.interpreter
    found = program if program.startswith("/") else shutil.which(program, path=SANDBOX_PATH)
    if found is None or not os.access(found, os.X_OK):
        raise FileNotFoundError(f"{program} is not installed in {SANDBOX_PATH}")
    real = os.path.realpath(found)
    if not any(_inside(real, d) for d in (*SYSTEM_DIRS, "/etc/alternatives")):
        raise FileNotFoundError(f"{program} ({real}) is not in the system folders")
    return found


def layout(policy: SandboxPolicy, entry: Entry, *, extra: tuple[Mount, ...] = ()) -> Layout:
    """Mounts and Landlock rules for ``policy`` running ``entry``."""
    system = system_mounts()
    read, write = landlock.READ, landlock.WRITE
    run = landlock.EXECUTE if policy.subprocess else 0
    rules = [landlock.Rule(m.target, read | run) for m in system if m.op != "symlink"]
    rules += [
        landlock.Rule(policy.tmp, read | write),
        landlock.Rule("/dev", read | landlock.WRITE_FILE | landlock.IOCTL_DEV),
        landlock.Rule("/proc", read),
    ]
    binds: list[Mount] = []
    refused: list[str] = []
    for grant in policy.grants:
        if grant.glob is None:  # runtime and skill folder: fixed, read-only
            real = os.path.realpath(grant.path)
            binds.append(Mount("ro-bind", grant.path, real))
            rules.append(landlock.Rule(grant.path, read | run))
            continue
        real_or_none, why = _resolve_grant(grant, policy)
        if real_or_none is None:
            refused.append(why)
            continue
        binds.append(Mount("bind" if grant.write else "ro-bind", grant.path, real_or_none))
        rights = (read if grant.read else 0) | (write if grant.write else 0)
        rules.append(landlock.Rule(grant.path, rights))
    # The skill folder and runtime stay read-only even inside a writable grant: bound after.
    binds.sort(key=lambda m: 1 if m.op == "ro-bind" else 0)
    interpreter: str | None = None
    if not entry.in_process:
        interpreter = find_interpreter(entry)
        if not policy.subprocess:  # exactly this program (and its loader) may be executed
            for path in (interpreter, elf_interpreter(os.path.realpath(interpreter))):
                if path:
                    rules.append(landlock.Rule(os.path.realpath(path), landlock.EXECUTE))
    for mount in extra:
        binds.append(mount)
        rules.append(landlock.Rule(mount.target, read | write))
    return Layout(tuple(system), tuple(binds), tuple(rules), tuple(refused), interpreter)
