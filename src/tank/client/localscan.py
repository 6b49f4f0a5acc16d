"""The scan the client runs itself, with the registry's own policy: before ``tank publish``
uploads (so a skill the registry would refuse is stopped with the same findings), and at
``tank install`` of a skill that does not come from a Tank registry (a folder, a ``.tgz``, a
``file:`` dependency), which no registry has scanned.

Fails closed: a scanner that raises is a ``fail``, with a ``scanner.analyzer_error`` finding.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from tank.client.errors import AuditPolicyError
from tank.core.errors import Problem
from tank.core.lockfile import Lockfile, UnsafeOverride, with_overrides
from tank.core.permissions import Permissions
from tank.scanner.model import Confidence, Finding, Severity, Verdict
from tank.scanner.policy import Refusal, blocking, refusal

if TYPE_CHECKING:
    from tank.client.localsrc import LocalPackage
    from tank.client.memo import Memo

__all__ = ["LocalScan", "Overridden", "scan_archive", "settle"]

#: The registry's default scan timeout: a skill that takes longer fails there too.
TIMEOUT_S = 10.0


@dataclass(frozen=True, slots=True)
class LocalScan:
    """The policy's verdict on a skill's canonical tarball, and every finding."""

    verdict: Verdict
    findings: tuple[Finding, ...]

    @property
    def failed(self) -> bool:
        """True when the registry would refuse it (and an install refuses it)."""
        return self.verdict is Verdict.FAIL

    @property
    def blocking_rules(self) -> tuple[str, ...]:
        """The ids of the rules that alone fail it, sorted and unique."""
        return tuple(sorted({f.rule for f in blocking(self.findings)}))

    def refusal(self, subject: str) -> Refusal:
        """The refusal of ``subject`` in the registry's words (:func:`policy.refusal`)."""
        from tank.scanner import load_rules

        return refusal(subject, [f.as_dict() for f in self.findings], load_rules())


def scan_archive(
    data: bytes, permissions: Permissions | None, *, timeout_s: float = TIMEOUT_S
) -> LocalScan:
    """Scan the canonical tarball ``data`` against ``permissions`` (None: no skills.json)."""
    try:
        from tank.core.unpack import read_archive
        from tank.scanner import scan_files
        from tank.scanner.policy import apply

        files = {m.path: m.data for m in read_archive(data) if not m.is_dir}
        result = apply(
            scan_files(files, manifest_permissions=permissions, timeout_s=timeout_s), permissions
        )
    except Exception as error:  # fail closed: a broken scan never lets a skill through
        return LocalScan(Verdict.FAIL, (_crashed(error),))
    return LocalScan(result.verdict, result.findings)


def _crashed(error: Exception) -> Finding:
    return Finding(
        rule="scanner.analyzer_error",
        category="scanner",
        severity=Severity.CRITICAL,
        confidence=Confidence.HIGH,
        file="",
        line=1,
        snippet="",
        message=f"the scanner crashed: {type(error).__name__}: {error}",
        remediation="report this to the Tank maintainers; the skill is refused until it scans",
    )


@dataclass(frozen=True, slots=True)
class Overridden:
    """A skill from disk installed although its scan failed (the CLI warns loudly)."""

    key: str  # name@version
    spec: str  # the path it comes from
    rules: tuple[str, ...]
    recorded: bool  # True: skills.lock already recorded this override for these bytes


def settle(
    local: Mapping[str, LocalPackage],
    lock: Lockfile,
    *,
    allow: bool,
    frozen: bool,
    scan: Callable[[bytes, Permissions | None], LocalScan] = scan_archive,
    memo: Memo | None = None,
) -> tuple[Lockfile, tuple[Overridden, ...]]:
    """Scan every skill installed from disk; refuse the install when one fails, unless
    ``allow`` (``--unsafe-allow-failing``) or skills.lock already records the override for
    the same bytes. Returns the lockfile with the overrides recorded, and the overrides.

    ``frozen`` never changes the lockfile: an override it does not record yet is refused.
    ``memo`` (:class:`tank.client.memo.Memo`) remembers the tarballs that passed, keyed by
    their integrity, the permissions scanned against and this scanner's fingerprint
    (:func:`scanner_fingerprint`): the same bytes under the same scanner are not scanned
    again. A failing scan is never remembered.
    """
    overrides: dict[str, UnsafeOverride | None] = {}
    taken: list[Overridden] = []
    refused: list[tuple[LocalPackage, LocalScan]] = []
    for name, package in sorted(local.items()):
        entry = lock.get(name)
        if entry is None:
            continue
        tag = _memo_parts(package) if memo is not None else ()
        if memo is not None and memo.seen(*tag):
            overrides[name] = None
            continue
        scanned = scan(package.data, package.manifest.permissions)
        if memo is not None and not scanned.failed:
            memo.remember(*tag)
        same = entry.meta.integrity == package.integrity
        recorded = entry.meta.unsafe_override if same else None
        if not scanned.failed:
            overrides[name] = None
            continue
        key = f"{package.name}@{package.version}"
        if recorded is not None or (allow and not frozen):
            overrides[name] = UnsafeOverride(str(scanned.verdict), scanned.blocking_rules)
            taken.append(
                Overridden(key, package.spec, scanned.blocking_rules, recorded is not None)
            )
        else:
            refused.append((package, scanned))
    if refused:
        raise _refusal(refused, frozen=frozen, allow=allow)
    return (lock if frozen else with_overrides(lock, overrides)), tuple(taken)


def _memo_parts(package: LocalPackage) -> tuple[str, ...]:
    import json

    perms = json.dumps(package.manifest.permissions.to_json(), sort_keys=True)
    return ("local-scan", package.integrity, perms, scanner_fingerprint())


_FINGERPRINT: list[str] = []


def scanner_fingerprint() -> str:
    """This scanner's identity: Tank's version and the size and time of every file of
    ``tank.scanner`` (its code, rules and knowledge data): any change scans again."""
    if not _FINGERPRINT:
        import hashlib
        from pathlib import Path

        import tank
        import tank.scanner

        digest = hashlib.sha256(tank.__version__.encode())
        root = Path(tank.scanner.__file__).parent
        for path in sorted(root.rglob("*")):
            if path.suffix in (".py", ".yaml", ".yml", ".txt", ".json") and path.is_file():
                stat = path.stat()
                digest.update(
                    f"{path.relative_to(root)}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode()
                )
        _FINGERPRINT.append(digest.hexdigest())
    return _FINGERPRINT[0]


def _refusal(
    refused: list[tuple[LocalPackage, LocalScan]], *, frozen: bool, allow: bool
) -> AuditPolicyError:

    problems: list[Problem] = []
    for package, scanned in refused:
        why = scanned.refusal(f"{package.name}@{package.version}")
        problems.extend(_under(package.spec, p) for p in why.problems)
    first = refused[0][1].refusal(f"{refused[0][0].name}@{refused[0][0].version}")
    more = f" (and {len(refused) - 1} more skill(s))" if len(refused) > 1 else ""
    paths = " ".join(p.spec for p, _ in refused)
    hint = (
        "skills.lock does not record an override for these bytes, and a frozen install "
        "never changes it: fix the findings, or run `tank install --unsafe-allow-failing` "
        "without --frozen and commit skills.lock"
        if frozen and allow
        else f"`tank scan {paths}` shows every finding with why it matters and how to fix it; "
        "to install it anyway (you take the risk), pass --unsafe-allow-failing: the override "
        "is recorded in skills.lock"
    )
    return AuditPolicyError(
        f"{first.message}{more}; it does not come from a Tank registry, was scanned here, "
        "and nothing was installed",
        code="local_scan_failed",
        hint=hint,
        problems=problems,
    )


def _under(spec: str, problem: Problem) -> Problem:
    """``problem`` with its file named under the skill's path (``../bad/scripts/x.py:2``)."""
    where = problem.location
    if where is None or not where.file:
        return replace(problem, message=f"{spec}: {problem.message}")
    return replace(problem, location=replace(where, file=f"{spec.rstrip('/')}/{where.file}"))
