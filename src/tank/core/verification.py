"""Verification of installed skills, as values: what was expected, what was found, what differs.

Verification is a stack of layers, each answering one question about one installed skill and
returning a :class:`LayerResult`:

- ``integrity``: does the tarball the files come from still hash to the lockfile's integrity?
- ``files``: do the installed files hold exactly the tarball's files (content and exec bit)?
- ``mirrors``: do the agent folders (``.claude/skills/<name>``...) still show that folder?

More layers (publisher signature, registry attestation, transparency-log inclusion) plug in
beside these: each is a function producing a :class:`LayerResult` under its own name, and a
:class:`SkillReport` is whatever layers ran. This module holds no I/O: the client reads the
disk and the cache and hands the digests to :func:`compare_files`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from tank.core.integrity import sha256_hex

__all__ = [
    "Drift",
    "DriftKind",
    "Expected",
    "Finding",
    "Found",
    "LayerResult",
    "LayerStatus",
    "SkillReport",
    "compare_files",
    "expected_of",
    "summarize",
]


@dataclass(frozen=True, slots=True)
class Expected:
    """One file a version holds: the SHA-256 of its content and its owner-exec bit."""

    sha256: str
    executable: bool


@dataclass(frozen=True, slots=True)
class Found:
    """One entry found on disk under an installed folder.

    ``kind`` is ``file`` (a regular file: ``sha256`` and ``executable`` are set),
    ``symlink`` or ``other`` (a FIFO, a socket, a device: never read).
    """

    kind: str
    sha256: str | None = None
    executable: bool = False

    @classmethod
    def file(cls, data: bytes, *, executable: bool) -> Found:
        """A regular file holding ``data``."""
        return cls("file", sha256_hex(data), executable)


class DriftKind(StrEnum):
    """How an installed file differs from the version's file."""

    MODIFIED = "modified"  # content differs
    MODE = "mode"  # same content, the exec bit differs
    REMOVED = "removed"  # in the version, missing on disk
    ADDED = "added"  # on disk, not in the version
    NOT_A_FILE = "not_a_file"  # in the version, but a symlink or special file on disk


_MESSAGES = {
    DriftKind.MODIFIED: "content differs from the locked version",
    DriftKind.MODE: "executable bit differs from the locked version",
    DriftKind.REMOVED: "deleted (the locked version has it)",
    DriftKind.ADDED: "added (not in the locked version)",
    DriftKind.NOT_A_FILE: "replaced by a link or special file",
}


@dataclass(frozen=True, slots=True)
class Drift:
    """One file that differs: its path (relative to the skill folder) and how."""

    path: str
    kind: DriftKind

    @property
    def message(self) -> str:
        """``scripts/run.sh: content differs from the locked version``."""
        return f"{self.path}: {_MESSAGES[self.kind]}"

    def to_json(self) -> dict[str, str]:
        """``{"path", "kind"}``."""
        return {"path": self.path, "kind": str(self.kind)}


def expected_of(files: Iterable[tuple[str, bytes, bool]]) -> dict[str, Expected]:
    """The expected digests of a version's files, given as ``(path, content, executable)``."""
    return {path: Expected(sha256_hex(data), executable) for path, data, executable in files}


def compare_files(
    expected: Mapping[str, Expected], found: Mapping[str, Found]
) -> tuple[Drift, ...]:
    """Every difference between a version's files and what is on disk, sorted by path.

    A path in both is compared by kind, content digest and exec bit; a path only expected is
    removed; one only found is added (a symlink or special file included: nothing but the
    version's regular files belongs in an installed skill).
    """
    drifts: list[Drift] = []
    for path in sorted(expected.keys() | found.keys()):
        want, have = expected.get(path), found.get(path)
        if want is None:
            drifts.append(Drift(path, DriftKind.ADDED))
        elif have is None:
            drifts.append(Drift(path, DriftKind.REMOVED))
        elif have.kind != "file":
            drifts.append(Drift(path, DriftKind.NOT_A_FILE))
        elif have.sha256 != want.sha256:
            drifts.append(Drift(path, DriftKind.MODIFIED))
        elif have.executable != want.executable:
            drifts.append(Drift(path, DriftKind.MODE))
    return tuple(drifts)


class LayerStatus(StrEnum):
    """A layer's outcome: passed, found problems, or could not run (with a note saying why)."""

    OK = "ok"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem a layer found: a stable code, a message, and the file or folder concerned."""

    code: str
    message: str
    path: str | None = None

    def to_json(self) -> dict[str, str | None]:
        """``{"code", "message", "path"}`` (``path`` may be null)."""
        return {"code": self.code, "message": self.message, "path": self.path}


@dataclass(frozen=True, slots=True)
class LayerResult:
    """What one layer concluded about one skill."""

    layer: str
    status: LayerStatus
    findings: tuple[Finding, ...] = ()
    drift: tuple[Drift, ...] = ()
    note: str | None = None

    @classmethod
    def of(
        cls,
        layer: str,
        findings: Sequence[Finding] = (),
        drift: Sequence[Drift] = (),
        note: str | None = None,
    ) -> LayerResult:
        """``ok`` when nothing was found, else ``failed``."""
        status = LayerStatus.FAILED if findings or drift else LayerStatus.OK
        return cls(layer, status, tuple(findings), tuple(drift), note)

    @property
    def failed(self) -> bool:
        """True when this layer found a problem."""
        return self.status is LayerStatus.FAILED

    def messages(self) -> list[str]:
        """One line per finding and per drifted file."""
        return [f.message for f in self.findings] + [d.message for d in self.drift]

    def to_json(self) -> dict[str, object]:
        """``{"status", "findings", "files", "note"}``: stable keys, lists sorted as found."""
        return {
            "status": str(self.status),
            "findings": [f.to_json() for f in self.findings],
            "files": [d.to_json() for d in self.drift],
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class SkillReport:
    """Every layer's result for one installed skill (``name@version`` in ``folder``)."""

    name: str
    version: str
    folder: str
    layers: tuple[LayerResult, ...]

    @property
    def key(self) -> str:
        """``@scope/name@version``."""
        return f"{self.name}@{self.version}"

    @property
    def ok(self) -> bool:
        """True when no layer failed (a skipped layer is not a failure by itself: the layer
        that cannot run reports a finding when that matters, as ``integrity`` does)."""
        return not any(layer.failed for layer in self.layers)

    def layer(self, name: str) -> LayerResult | None:
        """The result of the layer called ``name``, if it ran."""
        return next((r for r in self.layers if r.layer == name), None)

    def to_json(self) -> dict[str, object]:
        """``{"name", "version", "folder", "ok", "checks": {layer: result}}``."""
        return {
            "name": self.name,
            "version": self.version,
            "folder": self.folder,
            "ok": self.ok,
            "checks": {r.layer: r.to_json() for r in self.layers},
        }


def summarize(reports: Sequence[SkillReport]) -> dict[str, int]:
    """``{"skills", "ok", "failed", "problems"}`` over ``reports``."""
    failed = [r for r in reports if not r.ok]
    problems = sum(len(x.findings) + len(x.drift) for r in reports for x in r.layers)
    return {
        "skills": len(reports),
        "ok": len(reports) - len(failed),
        "failed": len(failed),
        "problems": problems,
    }
