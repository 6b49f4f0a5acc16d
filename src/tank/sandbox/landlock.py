"""Landlock through ctypes: restrict the calling process's filesystem and TCP access.

Runs inside the sandbox (imported by the launcher), so it uses the standard library only.
The ABI is checked first; each newer right (``REFER`` ABI 2, ``TRUNCATE`` 3, TCP 4,
``IOCTL_DEV`` 5, scopes 6) is handled when the kernel knows it and reported otherwise.
``restrict_self`` is irreversible and inherited across fork and exec.
"""

from __future__ import annotations

import ctypes
import errno
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass

_SYS_CREATE_RULESET = 444  # the same numbers on every architecture (added in 5.13)
_SYS_ADD_RULE = 445
_SYS_RESTRICT_SELF = 446
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1
_RULE_NET_PORT = 2
_PR_SET_NO_NEW_PRIVS = 38

EXECUTE = 1 << 0
WRITE_FILE = 1 << 1
READ_FILE = 1 << 2
READ_DIR = 1 << 3
REMOVE_DIR = 1 << 4
REMOVE_FILE = 1 << 5
MAKE_CHAR = 1 << 6
MAKE_DIR = 1 << 7
MAKE_REG = 1 << 8
MAKE_SOCK = 1 << 9
MAKE_FIFO = 1 << 10
MAKE_BLOCK = 1 << 11
MAKE_SYM = 1 << 12
REFER = 1 << 13  # ABI 2
TRUNCATE = 1 << 14  # ABI 3
IOCTL_DEV = 1 << 15  # ABI 5
NET_BIND_TCP = 1 << 0  # ABI 4
NET_CONNECT_TCP = 1 << 1  # ABI 4
SCOPE_ABSTRACT_UNIX_SOCKET = 1 << 0  # ABI 6
SCOPE_SIGNAL = 1 << 1  # ABI 6

#: What reading a tree means; writing adds making, removing and changing files (not devices).
READ = READ_FILE | READ_DIR
WRITE = WRITE_FILE | REMOVE_DIR | REMOVE_FILE | MAKE_DIR | MAKE_REG | MAKE_SYM | MAKE_SOCK
WRITE |= MAKE_FIFO | REFER | TRUNCATE
#: Rights that make sense on a file (the kernel refuses directory rights on one).
FILE_RIGHTS = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV
_ABI1_FS = (1 << 13) - 1


class LandlockError(OSError):
    """Landlock is missing or refused a call: the sandbox cannot be trusted, stop."""


class _RulesetAttr(ctypes.Structure):
    _fields_ = (
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    )


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = (("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32))


class _NetPort(ctypes.Structure):
    _fields_ = (("allowed_access", ctypes.c_uint64), ("port", ctypes.c_uint64))


@dataclass(frozen=True, slots=True)
class Rule:
    """Rights under ``path`` (a folder and everything below, or one file)."""

    path: str
    access: int


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def abi_version() -> int:
    """The kernel's Landlock ABI version; 0 when Landlock is not available."""
    result = _libc().syscall(_SYS_CREATE_RULESET, None, ctypes.c_size_t(0), _CREATE_RULESET_VERSION)
    return max(int(result), 0)


def fs_rights(abi: int) -> int:
    """Every filesystem right the kernel's ABI knows."""
    rights = _ABI1_FS
    if abi >= 2:
        rights |= REFER
    if abi >= 3:
        rights |= TRUNCATE
    if abi >= 5:
        rights |= IOCTL_DEV
    return rights


def restrict(
    rules: Iterable[Rule],
    *,
    connect_ports: Iterable[int] | None = None,
    scope: bool = True,
) -> int:
    """Allow only ``rules`` on the filesystem (and, when ``connect_ports`` is not None and the
    ABI has TCP rules, TCP connections only to those ports, no TCP bind) for this process and
    all it starts. Returns the ABI used. Raises :class:`LandlockError` when Landlock is
    missing or any step fails; paths that do not exist are skipped."""
    libc = _libc()
    abi = abi_version()
    if abi < 1:
        raise LandlockError(errno.ENOSYS, "Landlock is not available in this kernel")
    handled = fs_rights(abi)
    attr = _RulesetAttr(handled, 0, 0)
    # The struct grew with ABI 4 and 6; older kernels accept the full size while the fields
    # they do not know are zero.
    size = ctypes.sizeof(_RulesetAttr)
    if connect_ports is not None and abi >= 4:
        attr.handled_access_net = NET_BIND_TCP | NET_CONNECT_TCP
    if scope and abi >= 6:
        attr.scoped = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL
    ruleset = libc.syscall(_SYS_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), 0)
    if ruleset < 0:
        raise LandlockError(ctypes.get_errno(), "landlock_create_ruleset failed")
    try:
        for rule in rules:
            _add_path(libc, ruleset, rule, handled)
        if connect_ports is not None and abi >= 4:
            for port in connect_ports:
                net = _NetPort(NET_CONNECT_TCP, port)
                if libc.syscall(_SYS_ADD_RULE, ruleset, _RULE_NET_PORT, ctypes.byref(net), 0):
                    raise LandlockError(ctypes.get_errno(), f"landlock net rule {port} failed")
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0):
            raise LandlockError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
        if libc.syscall(_SYS_RESTRICT_SELF, ruleset, 0):
            raise LandlockError(ctypes.get_errno(), "landlock_restrict_self failed")
    finally:
        os.close(ruleset)
    return abi


def _add_path(libc: ctypes.CDLL, ruleset: int, rule: Rule, handled: int) -> None:
    try:
        fd = os.open(rule.path, os.O_PATH | os.O_CLOEXEC)
    except FileNotFoundError:
        return
    try:
        access = rule.access & handled
        if not stat.S_ISDIR(os.fstat(fd).st_mode):
            access &= FILE_RIGHTS
        if not access:
            return
        beneath = _PathBeneath(access, fd)
        if libc.syscall(_SYS_ADD_RULE, ruleset, _RULE_PATH_BENEATH, ctypes.byref(beneath), 0):
            raise LandlockError(ctypes.get_errno(), f"landlock rule for {rule.path} failed")
    finally:
        os.close(fd)
