"""The seccomp filter of a sandboxed run, through libseccomp (``pyseccomp``, ctypes).

Runs inside the sandbox. Denied calls fail with ``EPERM`` (``ENOSYS`` for ``clone3``, so
the C library falls back to ``clone``, whose flags a filter can read) instead of killing the
process: a skill sees an ordinary error, and the run goes on to report it. Calls of another
architecture's ABI (32-bit ``int 0x80`` on x86-64) are killed, libseccomp's default.
"""

from __future__ import annotations

import contextlib
import errno
from typing import Any

#: Calls no skill needs: debugging other processes, the kernel's key store, BPF, mounting,
#: new namespaces, kernel modules, io_uring (whose operations seccomp cannot see).
ALWAYS_DENIED = (
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "mount",
    "umount2",
    "pivot_root",
    "chroot",
    "fsopen",
    "fsmount",
    "fsconfig",
    "fspick",
    "move_mount",
    "open_tree",
    "mount_setattr",
    "keyctl",
    "add_key",
    "request_key",
    "bpf",
    "perf_event_open",
    "userfaultfd",
    "unshare",
    "setns",
    "init_module",
    "finit_module",
    "delete_module",
    "kexec_load",
    "kexec_file_load",
    "reboot",
    "swapon",
    "swapoff",
    "acct",
    "quotactl",
    "open_by_handle_at",
    "name_to_handle_at",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
)
#: Starting another program or process (allowed only with the ``subprocess`` permission).
PROCESS_CALLS = ("execveat", "fork", "vfork")
_CLONE_THREAD = 0x00010000
_AF_INET, _AF_INET6 = 2, 10  # the same on every Linux architecture (no socket import)
_SOCK_DGRAM, _SOCK_RAW, _SOCK_PACKET = 2, 3, 10
_SOCK_TYPE_MASK = 0xF
_TIOCSTI = 0x5412
_TIOCLINUX = 0x541C


class SeccompUnavailable(OSError):
    """libseccomp (or its Python binding) is missing: the sandbox cannot be trusted, stop."""


#: Library names the dynamic loader finds by itself: ``pyseccomp`` asks ``ctypes.util``,
#: which would run ``ldconfig`` (a subprocess, slow, and absent from the sandbox) and costs
#: ~40 ms to import (it imports subprocess): a stand-in answers while pyseccomp loads.
_SONAMES = {"c": "libc.so.6", "seccomp": "libseccomp.so.2"}


def _module() -> Any:
    import ctypes
    import sys
    import types

    if "pyseccomp" in sys.modules:
        return sys.modules["pyseccomp"]
    real = sys.modules.get("ctypes.util")
    stand_in = types.ModuleType("ctypes.util")
    stand_in.find_library = _SONAMES.get  # type: ignore[attr-defined]
    sys.modules["ctypes.util"] = stand_in
    ctypes.util = stand_in  # type: ignore[attr-defined]
    try:
        import pyseccomp
    except (ImportError, OSError, RuntimeError) as missing:
        raise SeccompUnavailable(
            errno.ENOSYS, f"the seccomp library cannot be loaded: {missing}"
        ) from missing
    finally:
        if real is not None:
            sys.modules["ctypes.util"] = real
            setattr(ctypes, "util", real)  # noqa: B010 - mypy does not know ctypes.util
        else:
            del sys.modules["ctypes.util"]
            if getattr(ctypes, "util", None) is stand_in:
                delattr(ctypes, "util")
    return pyseccomp


def load_library() -> None:
    """Load libseccomp now (raises :class:`SeccompUnavailable`)."""
    _module()


def available() -> bool:
    """Whether the seccomp binding is installed and libseccomp loads here (cheap: the binding
    itself is loaded only inside the sandbox, by the launcher)."""
    import ctypes
    import importlib.util

    if importlib.util.find_spec("pyseccomp") is None:
        return False
    try:
        ctypes.CDLL(_SONAMES["seccomp"])
    except OSError:
        return False
    return True


def apply(*, subprocess: bool, allow_one_exec: bool) -> None:
    """Load the filter on this process (all threads) and everything it starts.

    Without ``subprocess`` no new process can be made (``fork``/``vfork``, ``clone`` without
    ``CLONE_THREAD``) and no program run (``execveat``; ``execve`` too unless
    ``allow_one_exec``: the launcher then execs the entry's interpreter, and Landlock allows
    executing that file only, so later exec calls can only restart the same interpreter).
    """
    sc = _module()
    eperm = sc.ERRNO(errno.EPERM)
    rules = sc.SyscallFilter(sc.ALLOW)
    rules.set_attr(sc.Attr.CTL_TSYNC, 1)
    for name in ALWAYS_DENIED:
        _deny(rules, eperm, name)
    # Sockets: only Unix, TCP over IPv4/IPv6. No netlink, packet, raw or UDP (no DNS).
    rules.add_rule(eperm, "socket", sc.Arg(0, sc.GT, _AF_INET6))
    for family in (0, *range(3, _AF_INET6)):
        rules.add_rule(eperm, "socket", sc.Arg(0, sc.EQ, family))
    for family in (_AF_INET, _AF_INET6):
        for kind in (_SOCK_DGRAM, _SOCK_RAW, _SOCK_PACKET):
            rules.add_rule(
                eperm,
                "socket",
                sc.Arg(0, sc.EQ, family),
                sc.Arg(1, sc.MASKED_EQ, _SOCK_TYPE_MASK, kind),
            )
    # Typing into the user's terminal (bubblewrap's --new-session already stops TIOCSTI).
    for request in (_TIOCSTI, _TIOCLINUX):
        rules.add_rule(eperm, "ioctl", sc.Arg(1, sc.EQ, request))
    if not subprocess:
        for name in PROCESS_CALLS:
            _deny(rules, eperm, name)
        if not allow_one_exec:
            _deny(rules, eperm, "execve")
        rules.add_rule(eperm, "clone", sc.Arg(0, sc.MASKED_EQ, _CLONE_THREAD, 0))
        _deny(rules, sc.ERRNO(errno.ENOSYS), "clone3")
    rules.load()


def _deny(rules: Any, action: int, name: str) -> None:
    # A call this architecture does not have (e.g. fork on arm64) cannot be made anyway.
    with contextlib.suppress(OSError, ValueError):
        rules.add_rule(action, name)
