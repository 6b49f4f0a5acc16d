"""Can this machine sandbox a run? Each missing piece is an error saying what, why, and how
to fix it: ``tank run`` refuses rather than run a skill unconfined (fail closed)."""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from tank.core.errors import TankError

_DOCS = "docs/sandbox.md explains each layer"


class SandboxUnavailableError(TankError):
    """The sandbox cannot be set up here; nothing was run."""

    default_code = "sandbox_unavailable"


@dataclass(frozen=True, slots=True)
class Features:
    """What the sandbox found: the bubblewrap program and the Landlock ABI."""

    bwrap: str
    landlock_abi: int


def unavailable(what: str, why: str, fix: str) -> SandboxUnavailableError:
    """The error for a missing piece of the sandbox."""
    return SandboxUnavailableError(
        f"cannot sandbox the run: {what}",
        detail=why,
        hint=f"{fix}; or run it unconfined with --unsafe-no-sandbox (not recommended). {_DOCS}",
    )


def _userns_disabled() -> str | None:
    for path, off in (
        ("/proc/sys/kernel/unprivileged_userns_clone", "0"),
        ("/proc/sys/user/max_user_namespaces", "0"),
    ):
        try:
            if Path(path).read_text().strip() == off:
                return path
        except OSError:
            continue
    return None


def check() -> Features:
    """The sandbox's pieces, or :class:`SandboxUnavailableError` for the first one missing."""
    if not sys.platform.startswith("linux"):
        raise unavailable(
            f"the sandbox needs Linux (this is {sys.platform})",
            "it is built on Linux namespaces (bubblewrap), Landlock and seccomp",
            "run skills on Linux (a VM or container works)",
        )
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise unavailable(
            "bubblewrap (bwrap) is not installed",
            "bubblewrap makes the namespaces and mounts that hide your files",
            "install it: `apt-get install bubblewrap` (Debian/Ubuntu), `dnf install bubblewrap`",
        )
    disabled = _userns_disabled()
    if disabled is not None:
        raise unavailable(
            "user namespaces are disabled",
            f"{disabled} is 0, so bubblewrap cannot make its namespaces",
            f"enable them: `sysctl -w {disabled[len('/proc/sys/') :].replace('/', '.')}=1`",
        )
    from tank.sandbox import landlock, seccomp

    abi = landlock.abi_version()
    if abi < 1:
        raise unavailable(
            "Landlock is not available in this kernel",
            "Landlock restricts the files a skill can open even inside the namespaces",
            "use Linux 5.13 or newer with Landlock enabled (`lsm=landlock,...` on the kernel "
            "command line)",
        )
    if not seccomp.available():
        raise unavailable(
            "libseccomp cannot be loaded",
            "seccomp forbids system calls such as ptrace, raw sockets and starting programs",
            "install `libseccomp2` (Debian/Ubuntu) and the `pyseccomp` Python package",
        )
    return Features(bwrap, abi)


def explain_bwrap_failure(stderr: str) -> SandboxUnavailableError:
    """The error for bubblewrap failing before the launcher started (its own message)."""
    text = stderr.strip().splitlines()[-1] if stderr.strip() else "no message"
    fix = "check that unprivileged user namespaces are allowed"
    if "uid map" in text or "Permission denied" in text or "Operation not permitted" in text:
        fix += (
            " (Ubuntu 24.04+: `sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`, or an "
            "AppArmor profile for bwrap; in a container: run it with user namespaces allowed)"
        )
    return unavailable("bubblewrap could not set the sandbox up", text, fix)
