"""What a sandboxed run may see and do, computed from a skill's declared permissions (pure).

The policy is the one place where permissions become concrete paths, variables and limits;
:mod:`tank.sandbox.runner` turns it into bubblewrap mounts and :mod:`tank.sandbox.launcher`
into Landlock rules and a seccomp filter, so the layers enforce the same thing.

Path globs are bound by their *literal folder*: the segments before the first wildcard
(``./docs/**`` binds ``<project>/docs``; ``./out/*.json`` binds ``<project>/out``, a folder
wider than the glob, which :attr:`SandboxPolicy.approximated` names so it can be shown).
Everything fails closed: a path glob that is not valid binds nothing, a declared secret absent
from the environment is left unset, no network without declared hosts.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field

from tank.core.permissions import Permissions, canonical_path_glob
from tank.core.permissions.names import InvalidEntry

#: Inside the sandbox: where programs are looked up (system folders only).
SANDBOX_PATH = "/usr/local/bin:/usr/bin:/bin"
#: The private, empty temporary folder of every run.
SANDBOX_TMP = "/tmp"  # noqa: S108 - a fresh tmpfs inside the sandbox, not the host's /tmp
#: The private temporary folder when the project or home lies under /tmp: a writable /tmp
#: there would make the project's mount point writable and (Landlock rules cover whole trees)
#: its write-only folders readable.
SANDBOX_TMP_ELSEWHERE = "/run/tmp"
#: Read-only system folders (those that exist are bound; merged-/usr symlinks are kept).
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
#: The few parts of /etc programs need: TLS roots, the dynamic linker's cache, alternatives
#: (``/usr/bin/node`` is often a link through them), time zone. No passwd, hosts or resolver.
SYSTEM_ETC = (
    "/etc/ssl",
    "/etc/ca-certificates",
    "/etc/pki",
    "/etc/alternatives",
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/localtime",
    "/etc/mime.types",
)


@dataclass(frozen=True, slots=True)
class Limits:
    """Resource limits of one run. Each is enforced by the runner or the launcher."""

    wall_seconds: float = 300.0
    cpu_seconds: int = 120
    memory_bytes: int = 4 << 30  # address space: runtimes reserve far more than they touch
    processes: int = 64
    output_bytes: int = 16 << 20  # stdout and stderr, each
    file_bytes: int = 256 << 20  # the largest file the skill may write

    def to_json(self) -> dict[str, float | int]:
        """The limits as a JSON object (for the audit log and ``--json``)."""
        return {
            "wall_seconds": self.wall_seconds,
            "cpu_seconds": self.cpu_seconds,
            "memory_bytes": self.memory_bytes,
            "processes": self.processes,
            "output_bytes": self.output_bytes,
            "file_bytes": self.file_bytes,
        }


@dataclass(frozen=True, slots=True)
class PathGrant:
    """A host path made visible inside the sandbox at the same place.

    ``read``/``write`` say what the skill may do there (write without read is possible:
    Landlock enforces it; bubblewrap binds such a folder read-write). ``create`` asks the
    runner to make the folder when missing (declared writable folders inside the project);
    ``glob`` is the permission it comes from, None for the skill folder and the runtime.
    """

    path: str
    read: bool
    write: bool
    create: bool = False
    glob: str | None = None


@dataclass(frozen=True, slots=True)
class SandboxPolicy:
    """Everything the sandbox enforces for one run."""

    project: str
    skill_dir: str
    home: str
    grants: tuple[PathGrant, ...]
    env: tuple[tuple[str, str], ...]
    network_hosts: tuple[str, ...]
    max_requests_per_minute: int | None
    subprocess: bool
    limits: Limits = field(default_factory=Limits)
    #: The private, writable temporary folder (``TMPDIR``).
    tmp: str = SANDBOX_TMP
    #: Declared secrets not set in the caller's environment (so not set inside either).
    missing_secrets: tuple[str, ...] = ()
    #: Globs bound as a wider folder than they name (``./out/*.json`` → ``./out``).
    approximated: tuple[str, ...] = ()

    @property
    def network(self) -> bool:
        """Whether any host may be reached (through the proxy)."""
        return bool(self.network_hosts)

    def to_json(self) -> dict[str, object]:
        """A JSON view without the environment's values (they may be secrets)."""
        return {
            "project": self.project,
            "skill_dir": self.skill_dir,
            "grants": [
                {"path": g.path, "read": g.read, "write": g.write, "glob": g.glob}
                for g in self.grants
            ],
            "env": [name for name, _ in self.env],
            "network_hosts": list(self.network_hosts),
            "max_requests_per_minute": self.max_requests_per_minute,
            "subprocess": self.subprocess,
            "limits": self.limits.to_json(),
            "tmp": self.tmp,
            "missing_secrets": list(self.missing_secrets),
            "approximated": list(self.approximated),
        }


def glob_folder(glob: str, *, project: str, home: str) -> tuple[str, bool] | None:
    """The host path a path glob is bound as, and whether that path is exactly the glob.

    ``./docs/**`` → (``<project>/docs``, True); ``./a/*.md`` → (``<project>/a``, False);
    ``./notes.txt`` → (``<project>/notes.txt``, True). None for an invalid glob (fail closed).
    """
    try:
        canonical_path_glob(glob)
    except InvalidEntry:
        return None
    root = project if glob.startswith("./") else home
    segments = glob[2:].split("/")
    literal: list[str] = []
    for segment in segments:
        if "*" in segment or "?" in segment:
            break
        literal.append(segment)
    rest = segments[len(literal) :]
    exact = not rest or rest == ["**"]
    return posixpath.join(root, *literal) if literal else root, exact


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


def build_policy(
    permissions: Permissions,
    *,
    project: str,
    skill_dir: str,
    home: str,
    environ: Mapping[str, str],
    runtime_paths: tuple[str, ...] = (),
    limits: Limits | None = None,
) -> SandboxPolicy:
    """The policy of running a skill with ``permissions`` in ``project``.

    ``project``, ``skill_dir`` and ``home`` are absolute, normalised host paths;
    ``environ`` is the caller's environment (only declared secrets are taken from it);
    ``runtime_paths`` are extra read-only folders the launcher needs (the Python install).
    """
    for name, value in (("project", project), ("skill_dir", skill_dir), ("home", home)):
        if not posixpath.isabs(value) or posixpath.normpath(value) != value:
            raise ValueError(f"{name} must be an absolute normalised path, not {value!r}")
    grants: dict[str, PathGrant] = {}
    approximated: list[str] = []

    def add(glob: str, *, write: bool) -> None:
        found = glob_folder(glob, project=project, home=home)
        if found is None:
            return
        path, exact = found
        if not exact:
            approximated.append(glob)
        old = grants.get(path)
        grants[path] = PathGrant(
            path,
            read=(not write) or (old is not None and old.read),
            write=write or (old is not None and old.write),
            create=(write and _inside(path, project)) or (old is not None and old.create),
            glob=glob if old is None else old.glob,
        )

    for glob in permissions.filesystem.read:
        add(glob, write=False)
    for glob in permissions.filesystem.write:
        add(glob, write=True)
    fixed = [PathGrant(p, read=True, write=False) for p in runtime_paths]
    fixed.append(PathGrant(skill_dir, read=True, write=False))
    tmp = SANDBOX_TMP
    if _inside(project, SANDBOX_TMP) or _inside(home, SANDBOX_TMP):
        tmp = SANDBOX_TMP_ELSEWHERE
    env = {"PATH": SANDBOX_PATH, "HOME": home, "LANG": "C.UTF-8", "TMPDIR": tmp}
    missing: list[str] = []
    for secret in permissions.secrets:
        if secret in env:
            continue  # a secret cannot replace the sandbox's own PATH or HOME
        if secret in environ:
            env[secret] = environ[secret]
        else:
            missing.append(secret)
    return SandboxPolicy(
        project=project,
        skill_dir=skill_dir,
        home=home,
        grants=(*fixed, *sorted(grants.values(), key=lambda g: g.path)),
        env=tuple(sorted(env.items())),
        network_hosts=permissions.outbound,
        max_requests_per_minute=permissions.max_requests_per_minute,
        subprocess=permissions.subprocess,
        limits=limits or Limits(),
        tmp=tmp,
        missing_secrets=tuple(missing),
        approximated=tuple(sorted(set(approximated))),
    )
