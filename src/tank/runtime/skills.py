"""The runtime SDK: what an agent runtime calls to list, load and run installed skills.

Three calls, each on a project (found from ``project``, or the current folder, as the CLI
finds it) or on the user's global install (``global_=True``):

- :func:`list_skills`: every installed skill with its locked metadata (version, permissions,
  integrity) and what install verified (:class:`Verification`). Cheap: reads the lockfile,
  the install state and each SKILL.md's frontmatter; hashes nothing.
- :func:`load` / :func:`load_all`: check each skill as ``tank run`` would before running it
  (locked, folder intact against the lockfile's integrity, skills.json agreeing with the
  lock) and read its SKILL.md. Never blocking: a broken skill comes back as a
  :class:`Loaded` with ``error`` set, and the others load.
- :func:`run`: run a skill through the sandbox exactly as ``tank run NAME`` does (the same
  :mod:`tank.runtime.runs` code: integrity check, input and output schemas, the run log) and
  return a :class:`RunResult`. Nothing is printed; errors that stop a run before it starts
  (bad inputs, a tampered folder, no sandbox) raise :class:`~tank.core.errors.TankError`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tank.core.errors import TankError
from tank.core.permissions import Permissions

if TYPE_CHECKING:
    from tank.client.listing import Installed
    from tank.client.paths import ProjectPaths
    from tank.core.lockfile import LockedSkill, Lockfile
    from tank.runtime.runs import SkillRun, Target

#: SKILL.md is read for its frontmatter when listing: at most this much of it.
MAX_SKILL_MD = 1 << 20


@dataclass(frozen=True, slots=True)
class Verification:
    """What ``tank install`` established about a skill, as skills.lock records it.

    ``tank verify`` re-checks signatures and proofs; this is the record, read without the
    network or any hashing.
    """

    #: ``registry``, or ``local`` for a skill installed from disk (``file:``, a folder).
    source: str
    verdict: str | None
    audit_score: float | None
    #: Fingerprint of the publisher key whose signature install verified, if any.
    signer: str | None
    #: Leaf index in the registry's transparency log (inclusion proven at install).
    log_index: int | None
    #: Installed although its scan failed (``--unsafe-allow-failing``).
    unsafe_override: bool

    @property
    def status(self) -> str:
        """One word: ``override``, ``verified`` (signed and logged), ``logged``, ``signed``,
        ``local`` or ``unverified``."""
        if self.unsafe_override:
            return "override"
        if self.signer and self.log_index is not None:
            return "verified"
        if self.log_index is not None:
            return "logged"
        if self.signer:
            return "signed"
        return "local" if self.source == "local" else "unverified"

    @classmethod
    def of(cls, skill: LockedSkill) -> Verification:
        """The record of a lockfile entry."""
        from tank.core.manifest import LOCAL_PREFIX

        meta = skill.meta
        return cls(
            source="local" if meta.resolved.startswith(LOCAL_PREFIX) else "registry",
            verdict=meta.verdict,
            audit_score=meta.audit_score,
            signer=meta.signer,
            log_index=meta.log_index,
            unsafe_override=meta.unsafe_override is not None,
        )


@dataclass(frozen=True, slots=True)
class SkillInfo:
    """One installed skill as the lockfile and the install state describe it."""

    name: str  #: ``@scope/name``
    version: str
    description: str | None  #: SKILL.md's (what the agent reads), None when unreadable
    permissions: Permissions  #: the locked permissions (what ``run`` enforces)
    integrity: str | None  #: the locked ``sha512-...`` (None: installed but not locked)
    verification: Verification | None  #: None when not in skills.lock
    path: Path  #: ``.agents/skills/<name>``
    present: bool  #: its folder exists

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready view."""
        v = self.verification
        return {
            "name": self.name,
            "version": self.version,
            "description": self.description,
            "permissions": self.permissions.to_json(),
            "integrity": self.integrity,
            "verification": None if v is None else {"status": v.status, **_fields(v)},
            "path": str(self.path),
            "present": self.present,
        }


def _fields(v: Verification) -> dict[str, Any]:
    return {k: getattr(v, k) for k in Verification.__dataclass_fields__}


@dataclass(frozen=True, slots=True)
class LoadError:
    """Why a skill could not be loaded: the TankError's code, message and hint."""

    code: str
    message: str
    hint: str | None = None

    @classmethod
    def of(cls, error: TankError) -> LoadError:
        """From the error that stopped the load."""
        text = f"{error.message} ({error.detail})" if error.detail else error.message
        return cls(error.code, text, error.hint)


@dataclass(frozen=True, slots=True)
class Loaded:
    """One skill after loading: ``error`` is None and ``instructions`` its SKILL.md body when it
    loaded; otherwise ``error`` says why not."""

    info: SkillInfo
    instructions: str | None = None
    error: LoadError | None = None
    target: Target | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        """Whether the skill loaded (and so may be run)."""
        return self.error is None


@dataclass(frozen=True, slots=True)
class RunResult:
    """A finished run: what ``tank run --json`` reports, typed."""

    run_id: str
    skill: str
    version: str | None
    exit_code: int
    duration: float
    sandboxed: bool
    stdout: bytes
    stderr: bytes
    #: The JSON the skill printed, parsed (structured skills, on exit 0), else None.
    output: Any
    #: What is wrong with that output (``interface.outputs``); empty when it matches.
    output_problems: tuple[str, ...]
    denials: tuple[Mapping[str, Any], ...]
    limits_hit: tuple[str, ...]
    connections: tuple[Mapping[str, Any], ...]

    @property
    def ok(self) -> bool:
        """Exit status 0 and output matching the skill's interface."""
        return self.exit_code == 0 and not self.output_problems

    @property
    def text(self) -> str:
        """Standard output as text."""
        return self.stdout.decode("utf-8", "replace")

    @classmethod
    def of(cls, run: SkillRun) -> RunResult:
        """From the runtime's record of a run."""
        result = run.result
        assert result is not None  # a run that never started raised instead
        return cls(
            run_id=run.run_id,
            skill=run.target.name,
            version=run.target.version,
            exit_code=result.exit_code,
            duration=result.duration,
            sandboxed=result.sandboxed,
            stdout=result.stdout,
            stderr=result.stderr,
            output=run.output,
            output_problems=tuple(p.message for p in run.problems),
            denials=tuple(result.denials),
            limits_hit=tuple(result.limits_hit),
            connections=tuple(result.connections),
        )


def _paths(project: Path | str | None, global_: bool) -> ProjectPaths:
    from tank.client.paths import find_project, project_paths

    if global_:
        return project_paths(is_global=True)
    return project_paths(find_project(Path(project) if project is not None else Path.cwd()))


def _description(folder: Path) -> str | None:
    from tank.core.skillmd import Mode, parse_skill_md

    try:
        with (folder / "SKILL.md").open("rb") as handle:
            text = handle.read(MAX_SKILL_MD).decode("utf-8", "replace")
    except OSError:
        return None
    doc, _ = parse_skill_md(text, folder_name=folder.name, mode=Mode.LENIENT)
    return doc.description if doc is not None else None


def _info(found: Installed, lock: Lockfile | None) -> SkillInfo:
    entry = lock.get(found.name) if lock is not None else None
    return SkillInfo(
        name=found.name,
        version=found.version,
        description=_description(found.folder) if found.present else None,
        permissions=entry.meta.permissions if entry else Permissions.none(),
        integrity=entry.meta.integrity if entry else None,
        verification=Verification.of(entry) if entry else None,
        path=found.folder,
        present=found.present,
    )


def _installed(paths: ProjectPaths) -> tuple[list[Installed], Lockfile | None]:
    from tank.client.listing import installed
    from tank.client.projectfiles import read_lock

    _, lock = read_lock(paths)
    return installed(paths), lock


def list_skills(*, project: Path | str | None = None, global_: bool = False) -> list[SkillInfo]:
    """Every skill installed in the project (or globally), sorted by name."""
    found, lock = _installed(_paths(project, global_))
    return [_info(skill, lock) for skill in found]


def _load(found: Installed, lock: Lockfile | None) -> Loaded:
    from tank.core.skillmd import Mode, parse_skill_md
    from tank.runtime.runs import installed_target

    info = _info(found, lock)
    if not found.present:
        error = LoadError(
            "run.folder_missing",
            f"{found.folder} is missing",
            "`tank install` puts it back",
        )
        return Loaded(info, error=error)
    try:
        target = installed_target(found, lock)  # locked, intact, permissions as locked
    except TankError as bad:
        return Loaded(info, error=LoadError.of(bad))
    # Intact, so SKILL.md is the file the registry (or install) validated: within its limits.
    text = (target.folder / "SKILL.md").read_text(encoding="utf-8", errors="replace")
    doc, report = parse_skill_md(text, folder_name=target.folder.name, mode=Mode.LENIENT)
    if doc is None:
        first = next(iter(report.errors), None)
        why = first.message if first is not None else "no name could be read"
        return Loaded(info, error=LoadError("run.bad_skill_md", f"SKILL.md: {why}"))
    return Loaded(info, instructions=doc.body, target=target)


def load_all(*, project: Path | str | None = None, global_: bool = False) -> list[Loaded]:
    """Every installed skill, loaded; broken ones carry their :class:`LoadError`."""
    found, lock = _installed(_paths(project, global_))
    return [_load(skill, lock) for skill in found]


def _find(found: Sequence[Installed], name: str, paths: ProjectPaths) -> Installed:
    for skill in found:
        if name in (skill.name, skill.folder.name):
            return skill
    from tank.client.suggest import unknown_in_project

    raise unknown_in_project(
        [name],
        [s.name for s in found],
        f"installed in {paths.meta_root}",
        "`tank list` shows installed skills; `tank install NAME` adds one",
    )


def load(name: str, *, project: Path | str | None = None, global_: bool = False) -> Loaded:
    """The installed skill ``name`` (``@scope/name`` or its folder name), loaded. A name
    that is not installed raises; a broken skill is a :class:`Loaded` with ``error``."""
    paths = _paths(project, global_)
    found, lock = _installed(paths)
    return _load(_find(found, name, paths), lock)


def run(
    name: str,
    *,
    inputs: Any = None,
    args: Sequence[str] = (),
    script: str | None = None,
    project: Path | str | None = None,
    global_: bool = False,
    timeout: float = 300.0,
) -> RunResult:
    """Run the installed skill ``name`` in the sandbox, as ``tank run NAME`` does.

    ``inputs`` (any JSON value; None: none) go to a structured skill on standard input,
    checked against its ``interface.inputs`` first; ``args`` are its command-line
    arguments; ``script`` runs another script of the skill than its ``run`` entry.
    """
    from tank.runtime import runs
    from tank.sandbox.policy import Limits

    paths = _paths(project, global_)
    target = runs.find_target(name, paths)
    done = runs.run_in(
        paths,
        target,
        script=script,
        args=tuple(args),
        inputs=runs.NO_INPUTS if inputs is None else inputs,
        limits=Limits(wall_seconds=timeout),
    )
    return RunResult.of(done)
