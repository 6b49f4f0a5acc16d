"""``skills.lock``: build it from a resolution, write it byte-deterministically, read it back.

The lockfile is the contract of a reproducible install. Its bytes depend only on what was
resolved: keys are sorted, indentation is two spaces, the file ends with one newline, and it
holds no timestamps, hosts or expiring URLs (``resolved`` is a registry-relative path). The
same resolution gives the same bytes on any machine.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from dataclasses import replace as _replace
from enum import StrEnum

from tank.core import boundedjson
from tank.core.errors import IntegrityError, Location, Problem, ValidationError, VersionError
from tank.core.integrity import parse_sri
from tank.core.permissions import Permissions, check_budget, parse_permissions, union
from tank.core.resolver import Resolution
from tank.core.schemas import lock_validator
from tank.core.semver import Range, Version, parse_version

LOCKFILE_VERSION = 1
LOCKFILE_NAME = "skills.lock"

VERDICTS = frozenset({"pass", "pass_with_notes", "flagged", "fail"})


class BudgetCheck(StrEnum):
    """The outcome of the permission budget check recorded in the lockfile."""

    PASS = "pass"  # noqa: S105 - a verdict, not a password
    FAIL = "fail"
    NO_BUDGET = "no_budget"


@dataclass(frozen=True, slots=True)
class UnsafeOverride:
    """A skill installed although its scan failed, because someone passed
    ``--unsafe-allow-failing``: the verdict and the ids of the rules that failed it.

    Recorded so the decision is visible in review and honoured (and reported again) by later
    installs of the same bytes, ``--frozen`` ones included; changed bytes are scanned anew.
    """

    verdict: str
    rules: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        """The JSON object stored under ``unsafe_override``."""
        return {"verdict": self.verdict, "rules": list(self.rules)}


@dataclass(frozen=True, slots=True)
class PackageMeta:
    """What the registry (or a local source) says about one resolved ``name@version``."""

    integrity: str
    resolved: str
    permissions: Permissions = field(default_factory=Permissions.none)
    #: ``sha256-<base64>`` of the publisher's DSSE envelope, as verified when locked.
    signature: str | None = None
    audit_score: float | None = None
    verdict: str | None = None
    #: Set when the skill (from disk) was installed despite a failing scan.
    unsafe_override: UnsafeOverride | None = None
    #: The fingerprint of the publisher's key that signed this version (verified when locked).
    signer: str | None = None
    #: The version's leaf in its registry's transparency log (proven included at install).
    log_index: int | None = None


@dataclass(frozen=True, slots=True)
class LockedSkill:
    """One entry of ``skills.lock``."""

    name: str
    version: Version
    meta: PackageMeta
    dependencies: tuple[tuple[str, Version], ...] = ()

    @property
    def key(self) -> str:
        """The lockfile key, ``name@version``."""
        return f"{self.name}@{self.version}"

    def to_json(self) -> dict[str, object]:
        """The JSON object stored under :attr:`key` (``unsafe_override`` and ``signer`` only
        when set, so unsigned entries read exactly as before signing existed)."""
        out: dict[str, object] = {
            "resolved": self.meta.resolved,
            "integrity": self.meta.integrity,
            "signature": self.meta.signature,
            "audit_score": self.meta.audit_score,
            "verdict": self.meta.verdict,
            "permissions": self.meta.permissions.to_json(),
            "dependencies": {name: str(v) for name, v in self.dependencies},
        }
        if self.meta.unsafe_override is not None:
            out["unsafe_override"] = self.meta.unsafe_override.to_json()
        if self.meta.signer is not None:
            out["signer"] = self.meta.signer
        if self.meta.log_index is not None:
            out["log_index"] = self.meta.log_index
        return out


@dataclass(frozen=True, slots=True)
class Lockfile:
    """A whole lockfile: entries sorted by key, the permission union and the budget check."""

    skills: tuple[LockedSkill, ...]
    resolved_permissions: Permissions
    permission_budget_check: BudgetCheck

    def get(self, name: str) -> LockedSkill | None:
        """The locked entry for ``name`` (one version per name in an install tree)."""
        for skill in self.skills:
            if skill.name == name:
                return skill
        return None

    @property
    def versions(self) -> dict[str, Version]:
        """``name -> version`` for every locked skill (the shape resolvers take as preferred)."""
        return {s.name: s.version for s in self.skills}

    def to_json(self) -> dict[str, object]:
        """The JSON document (before serialisation)."""
        return {
            "lockfileVersion": LOCKFILE_VERSION,
            "skills": {s.key: s.to_json() for s in self.skills},
            "resolved_permissions": self.resolved_permissions.to_json(),
            "permission_budget_check": self.permission_budget_check.value,
        }


def tarball_path(name: str, version: Version) -> str:
    """The registry-relative path of a tarball (no host, nothing that expires)."""
    return f"/v1/skills/{name}/{version}/tarball"


def build_lockfile(
    resolution: Resolution,
    meta: Mapping[tuple[str, Version], PackageMeta],
    budget: Permissions | None,
) -> Lockfile:
    """Make the lockfile of ``resolution``; ``meta`` must describe every resolved version.

    ``budget`` is the project's declared ``permissions`` (``None`` when it declares none):
    the check is recorded, and enforcing it is the caller's job (it blocks the install).
    """
    entries: list[LockedSkill] = []
    for name, version in resolution.versions.items():
        info = meta.get((name, version))
        if info is None:
            raise ValueError(f"no metadata for {name}@{version}")  # a caller bug, not user input
        deps = tuple(sorted(resolution.dependencies.get(name, {}).items()))
        entries.append(LockedSkill(name, version, info, deps))
    entries.sort(key=lambda s: s.key)
    perms = union(s.meta.permissions for s in entries)
    return Lockfile(tuple(entries), perms, _budget_outcome(entries, budget))


def rebudget(lock: Lockfile, budget: Permissions | None) -> Lockfile:
    """``lock`` with its budget check recomputed against ``budget`` (the manifest may change)."""
    return Lockfile(lock.skills, lock.resolved_permissions, _budget_outcome(lock.skills, budget))


def prune(
    lock: Lockfile, requirements: Mapping[str, Range], budget: Permissions | None
) -> Lockfile:
    """``lock`` without the skills nothing in ``requirements`` reaches any more.

    Removing a skill needs no registry: what stays is already locked and consistent.
    """
    reachable = _reachable(lock, requirements)
    kept = tuple(s for s in lock.skills if s.name in reachable)
    return Lockfile(kept, union(s.meta.permissions for s in kept), _budget_outcome(kept, budget))


def _budget_outcome(entries: Iterable[LockedSkill], budget: Permissions | None) -> BudgetCheck:
    if budget is None:
        return BudgetCheck.NO_BUDGET
    violations = check_budget(budget, {s.key: s.meta.permissions for s in entries})
    return BudgetCheck.FAIL if violations else BudgetCheck.PASS


def dump_lockfile(lock: Lockfile) -> str:
    """Serialise byte-deterministically: sorted keys, 2-space indent, one trailing newline."""
    return json.dumps(lock.to_json(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def parse_lockfile(
    text: str | bytes, *, file: str = LOCKFILE_NAME, schema_checked: bool = False
) -> Lockfile:
    """Read and validate a lockfile; raise :class:`ValidationError` listing every problem.

    The JSON is read within :mod:`tank.core.boundedjson`'s limits (size, depth, numbers).

    ``schema_checked=True`` skips the JSON Schema pass for text known to have passed it.
    """
    data = boundedjson.load_file(
        text,
        file=file,
        code="lock.json",
        max_bytes=boundedjson.LOCKFILE_MAX_BYTES,
        hint="regenerate it with `tank install` (do not edit the lockfile by hand)",
    )
    problems = (
        []
        if schema_checked
        else [
            Problem(
                "lock.schema",
                f"{'/'.join(str(p) for p in err.absolute_path) or '<root>'}: {err.message}",
                location=Location(file),
                hint="regenerate it with `tank install`",
            )
            for err in sorted(lock_validator().iter_errors(data), key=lambda e: list(e.path))
        ]
    )
    if problems:
        raise ValidationError(f"{file} does not match the lockfile format", problems=problems)
    return _from_json(data, file)


def _from_json(data: dict[str, object], file: str) -> Lockfile:
    problems: list[Problem] = []
    entries: list[LockedSkill] = []
    skills = data["skills"]
    assert isinstance(skills, dict)  # guaranteed by the schema
    for key, raw in sorted(skills.items()):
        where = Location(file)
        name, _, version_text = key.rpartition("@")
        try:
            version = parse_version(version_text)
        except VersionError:
            problems.append(Problem("lock.key", f"{key!r} is not name@version", location=where))
            continue
        perms, perm_problems = parse_permissions(raw.get("permissions", {}), file=file)
        problems.extend(perm_problems)
        try:
            parse_sri(raw["integrity"])
        except IntegrityError as bad:
            problems.append(Problem("lock.integrity", f"{key}: {bad}", location=where))
        deps: list[tuple[str, Version]] = []
        for dep_name, dep_version in sorted(raw.get("dependencies", {}).items()):
            try:
                deps.append((dep_name, parse_version(dep_version)))
            except VersionError:
                problems.append(
                    Problem(
                        "lock.dependency", f"{key}: bad version {dep_version!r}", location=where
                    )
                )
        meta = PackageMeta(
            integrity=raw["integrity"],
            resolved=raw["resolved"],
            permissions=perms,
            signature=raw.get("signature"),
            audit_score=raw.get("audit_score"),
            verdict=raw.get("verdict"),
            unsafe_override=_override(raw.get("unsafe_override")),
            signer=raw.get("signer"),
            log_index=raw.get("log_index"),
        )
        entries.append(LockedSkill(name, version, meta, tuple(deps)))
    locked = {(s.name, s.version) for s in entries}
    names = [s.name for s in entries]
    for dup in sorted({n for n in names if names.count(n) > 1}):
        problems.append(
            Problem(
                "lock.duplicate",
                f"{dup} is locked at more than one version",
                location=Location(file),
                hint="one version per skill: regenerate the lockfile with `tank install`",
            )
        )
    for skill in entries:
        for dep in skill.dependencies:
            if dep not in locked:
                problems.append(
                    Problem(
                        "lock.dangling",
                        f"{skill.key} depends on {dep[0]}@{dep[1]}, which is not in the lockfile",
                        location=Location(file),
                        hint="regenerate it with `tank install`",
                    )
                )
    if problems:
        raise ValidationError(f"{file} is inconsistent", problems=problems)
    resolved, _ = parse_permissions(data.get("resolved_permissions", {}), file=file)
    check = BudgetCheck(str(data.get("permission_budget_check", BudgetCheck.NO_BUDGET.value)))
    return Lockfile(tuple(entries), resolved, check)


def _override(raw: object) -> UnsafeOverride | None:
    if not isinstance(raw, dict):
        return None  # the schema checked the shape: absent
    return UnsafeOverride(str(raw["verdict"]), tuple(str(r) for r in raw["rules"]))


def with_log_indexes(lock: Lockfile, indexes: Mapping[str, int]) -> Lockfile:
    """``lock`` with the transparency-log index of the entries keyed in ``indexes``."""
    skills = tuple(
        LockedSkill(s.name, s.version, _replace(s.meta, log_index=indexes[s.key]), s.dependencies)
        if s.key in indexes
        else s
        for s in lock.skills
    )
    return Lockfile(skills, lock.resolved_permissions, lock.permission_budget_check)


def with_overrides(lock: Lockfile, overrides: Mapping[str, UnsafeOverride | None]) -> Lockfile:
    """``lock`` with the ``unsafe_override`` of the named skills replaced (None clears it)."""
    skills = tuple(
        LockedSkill(
            s.name,
            s.version,
            _replace(s.meta, unsafe_override=overrides[s.name]),
            s.dependencies,
        )
        if s.name in overrides
        else s
        for s in lock.skills
    )
    return Lockfile(skills, lock.resolved_permissions, lock.permission_budget_check)


def unsatisfied(lock: Lockfile, requirements: Mapping[str, Range]) -> list[str]:
    """Why ``lock`` no longer matches the manifest's ``requirements``; empty when it does.

    A frozen install (``--frozen``, CI) fails on any reason returned here instead of
    re-resolving: a requirement with no locked version, a locked version outside its range,
    or locked skills nothing requires any more.
    """
    reasons: list[str] = []
    by_name = {s.name: s for s in lock.skills}
    for name, wanted in sorted(requirements.items()):
        entry = by_name.get(name)
        if entry is None:
            reasons.append(f"{name} is required by skills.json but not locked")
        elif not wanted.contains(entry.version):
            reasons.append(f"{name} is locked at {entry.version}, outside the range {wanted.raw}")
    reachable = _reachable(lock, requirements)
    reasons.extend(
        f"{name}@{by_name[name].version} is locked but nothing in skills.json needs it"
        for name in sorted(set(by_name) - reachable)
    )
    return reasons


def _reachable(lock: Lockfile, requirements: Mapping[str, Range]) -> set[str]:
    """Names of the locked skills the requirements reach, directly or through dependencies."""
    by_name = {s.name: s for s in lock.skills}
    reachable: set[str] = set()
    todo = [n for n in requirements if n in by_name]
    while todo:
        name = todo.pop()
        if name not in reachable:
            reachable.add(name)
            todo.extend(dep for dep, _ in by_name[name].dependencies if dep in by_name)
    return reachable
