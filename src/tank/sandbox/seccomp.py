"""The seccomp filter of a sandboxed run, through libseccomp (``pyseccomp``, ctypes).

Runs inside the sandbox. Denied calls fail with ``EPERM`` (``ENOSYS`` for ``clone3``, so
the C library falls back to ``clone``, whose flags a filter can read) instead of killing the
process: a skill sees an ordinary error, and the run goes on to report it. Calls of another
architecture's ABI (32-bit ``int 0x80`` on x86-64) are killed, libseccomp's default.
"""

from __future__ import annotations

import contextlib
import errno
import socket
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
_SOCK_TYPE_MASK = 0xF
_TIOCSTI = 0x5412
_TIOCLINUX = 0x541C


class SeccompUnavailable(OSError):
    """libseccomp (or its Python binding) is missing: the sandbox cannot be trusted, stop."""


#: Library names the dynamic loader finds by itself: ``pyseccomp`` asks ``ctypes.util``,
#: which would run ``ldconfig`` (a subprocess, slow, and absent from the sandbox).
_SONAMES = {"c": "libc.so.6", "seccomp": "libseccomp.so.2"}


def _module() -> Any:
    import ctypes.util

    original = ctypes.util.find_library
    ctypes.util.find_library = lambda name: _SONAMES.get(name) or original(name)
    try:
        import pyseccomp
    except (ImportError, OSError, RuntimeError) as missing:
        raise SeccompUnavailable(
            errno.ENOSYS, f"the seccomp library cannot be loaded: {missing}"
        ) from missing
    finally:
        ctypes.util.find_library = original
    return pyseccomp


def load_library() -> None:
    """Load libseccomp now (raises :class:`SeccompUnavailable`)."""
    _module()


def available() -> bool:
    """Whether the seccomp binding and libseccomp load here."""
    try:
        _module()
    except SeccompUnavailable:
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
    rules.add_rule(eperm, "socket", sc.Arg(0, sc.GT, socket.AF_INET6))
    for family in (0, *range(3, socket.AF_INET6)):
        rules.add_rule(eperm, "socket", sc.Arg(0, sc.EQ, family))
    for family in (socket.AF_INET, socket.AF_INET6):
        for kind in (socket.SOCK_DGRAM, socket.SOCK_RAW, 10):  # 10: SOCK_PACKET
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
