"""``tank run``: find the skill, check its inputs, run it in the sandbox, check its output, log.

A skill is either installed in the project (its permissions are the locked ones, which the
install checked against the budget and the tarball's own manifest) or a folder on disk for its
author (``tank run ./dir``: its own skills.json's permissions). It always runs with the
project as working directory.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tank.client import telemetry, validated
from tank.client.paths import ProjectPaths
from tank.core.errors import Problem, UsageError, ValidationError
from tank.core.manifest import Manifest, ManifestKind, parse_manifest
from tank.core.manifest_rules import check_run_path
from tank.core.permissions import Permissions
from tank.core.skillmd import Mode
from tank.runtime import structured
from tank.sandbox import auditlog, runner
from tank.sandbox.entry import choose_entry
from tank.sandbox.features import SandboxUnavailableError
from tank.sandbox.policy import Limits, build_policy

if TYPE_CHECKING:
    from tank.client.listing import Installed
    from tank.core.lockfile import Lockfile

NO_INPUTS = object()


@dataclass(frozen=True, slots=True)
class Target:
    """The skill to run: where it is, its manifest, and the permissions it runs with."""

    name: str
    version: str | None
    integrity: str | None
    folder: Path
    manifest: Manifest
    permissions: Permissions
    installed: bool


def is_folder_spec(spec: str) -> bool:
    """Whether ``spec`` names a folder on disk rather than an installed skill."""
    return spec in {".", ".."} or spec.startswith(("./", "../", "/", "~"))


def _read_manifest(folder: Path, mode: Mode) -> Manifest:
    path = folder / "skills.json"
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(
            f"{folder} has no skills.json",
            code="run.no_manifest",
            hint="`tank init` in the skill folder writes one (with its permissions)",
        ) from None
    checked = validated.seen("manifest", data)
    manifest, report = parse_manifest(
        data, file=str(path), kind=ManifestKind.PACKAGE, mode=mode, schema_checked=checked
    )
    if manifest is None:
        raise ValidationError(
            f"{path} is not a valid skills.json",
            problems=report.problems,
            hint="`tank validate` shows every problem",
        )
    if not checked:
        validated.remember("manifest", data)
    return manifest


def find_target(spec: str, paths: ProjectPaths) -> Target:
    """The skill ``spec`` names: a folder (``./dir``) or a skill installed in ``paths``."""
    if is_folder_spec(spec):
        folder = Path(spec).expanduser().resolve()
        if not (folder / "SKILL.md").is_file():
            raise UsageError(
                f"{folder} is not a skill folder (no SKILL.md)",
                code="run.not_a_skill",
                hint="pass the folder holding SKILL.md and skills.json",
            )
        manifest = _read_manifest(folder, Mode.STRICT)
        return Target(
            manifest.name or folder.name,
            str(manifest.version) if manifest.version else None,
            None,
            folder,
            manifest,
            manifest.permissions,
            installed=False,
        )
    from tank.client.listing import where
    from tank.client.projectfiles import read_lock

    found = where(paths, spec)
    _, lock = read_lock(paths)
    return installed_target(found, lock)


def installed_target(found: Installed, lock: Lockfile | None) -> Target:
    """The installed skill ``found`` as a :class:`Target`, checked before it may run: locked,
    its folder packing to the locked integrity, its skills.json declaring the locked
    permissions. Raises the error that stops the run (see :mod:`tank.runtime.intact`)."""
    folder = found.folder.resolve()
    entry = lock.get(found.name) if lock is not None else None
    if entry is None:
        raise UsageError(
            f"{found.name} is installed but not in skills.lock",
            code="run.not_locked",
            hint="run `tank install` to lock it (its permissions come from the lock)",
        )
    from tank.runtime.intact import check_intact

    # The permissions enforced are the locked ones: only worth it if the code is the locked code.
    check_intact(folder, entry.meta.integrity, name=found.name)
    manifest = _read_manifest(folder, Mode.LENIENT)
    if manifest.permissions != entry.meta.permissions:
        raise ValidationError(
            f"{found.name}'s installed skills.json declares other permissions than skills.lock",
            code="run.permissions_drift",
            hint="`tank verify` shows what changed; `tank install` puts the locked files back",
        )
    return Target(
        found.name, found.version, entry.meta.integrity, folder, manifest, entry.meta.permissions,
        installed=True,
    )  # fmt: skip


def pick_script(target: Target, script: str | None) -> str:
    """The absolute path of the script to run: ``script`` or the manifest's ``run``."""
    rel = script if script is not None else target.manifest.run
    if rel is None:
        raise UsageError(
            f"{target.name} declares no `run` entry",
            code="run.no_entry",
            hint="pass --script scripts/<file> to run one of its scripts",
        )
    reasons = check_run_path(rel)
    if reasons:
        raise UsageError(reasons[0], code="run.bad_script", hint="name a file inside the skill")
    path = (target.folder / rel).resolve()
    if not path.is_relative_to(target.folder) or not path.is_file():
        raise UsageError(
            f"{rel} is not a file inside {target.folder}",
            code="run.bad_script",
            hint="`ls` the skill folder; the path is relative to it",
        )
    return str(path)


@dataclass(slots=True)
class SkillRun:
    """One finished (or refused) run and everything the log and ``--json`` report."""

    run_id: str
    target: Target
    script: str
    started: str
    ended: str = ""
    result: runner.RunResult | None = None
    output: Any = None
    problems: list[Problem] = field(default_factory=list)
    refused: str | None = None
    #: Declared secrets not set here (so not set inside) and globs bound as a wider folder.
    missing_secrets: tuple[str, ...] = ()
    approximated: tuple[str, ...] = ()

    @property
    def exit_code(self) -> int:
        """The skill's exit status (None-safe: 125 when it never ran)."""
        return self.result.exit_code if self.result is not None else 125

    def record(self) -> dict[str, Any]:
        """The audit log line: no arguments, inputs, outputs or environment values."""
        result = self.result
        return {
            "run_id": self.run_id,
            "skill": self.target.name,
            "folder": self.target.folder.name,
            "version": self.target.version,
            "integrity": self.target.integrity,
            "installed": self.target.installed,
            "script": os.path.relpath(self.script, self.target.folder),
            "start": self.started,
            "end": self.ended,
            "exit": result.exit_code if result else None,
            "duration": round(result.duration, 4) if result else None,
            "sandboxed": result.sandboxed if result else False,
            "unsafe_no_sandbox": bool(result and not result.sandboxed),
            "landlock_abi": result.landlock_abi if result else None,
            "denials": result.denials if result else [],
            "limits_hit": result.limits_hit if result else [],
            "limits_unenforced": result.limits_unenforced if result else [],
            "connections": result.connections if result else [],
            "output_problems": [p.message for p in self.problems],
            "refused": self.refused,
            "missing_secrets": list(self.missing_secrets),
            "approximated": list(self.approximated),
        }

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` result record: the log line plus the output."""
        out = self.record()
        out["output"] = self.output
        if self.result is not None and self.output is None and not self.problems:
            out["output"] = self.result.stdout.decode("utf-8", "replace")
        return out


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def run_skill(
    target: Target,
    *,
    project: Path,
    script: str | None = None,
    args: tuple[str, ...] = (),
    inputs: Any = NO_INPUTS,
    environ: Mapping[str, str],
    log: Path,
    on_stdout: runner.Sink | None = None,
    on_stderr: runner.Sink | None = None,
    unsafe: bool = False,
    limits: Limits | None = None,
    proxy: runner.ProxySeam | None = None,
) -> SkillRun:
    """Run ``target`` and log it. Bad inputs raise :class:`ValidationError` before anything
    runs; an unavailable sandbox raises :class:`SandboxUnavailableError` (logged as refused).
    ``proxy`` replaces the network proxy's resolver and address check (tests only: see
    :class:`tank.sandbox.runner.ProxySeam`)."""
    with telemetry.span(
        "tank.run",
        {
            "tank.skill.name": target.name,
            "tank.skill.version": target.version,
            "tank.skill.installed": target.installed,
            "tank.run.entry": script is None,
        },
    ) as span:
        run = _run(
            target, project=project, script=script, args=args, inputs=inputs, environ=environ,
            log=log, on_stdout=on_stdout, on_stderr=on_stderr, unsafe=unsafe, limits=limits,
            proxy=proxy, span=span,
        )  # fmt: skip
        _record(span, run)
    return run


def run_in(paths: ProjectPaths, target: Target, **options: Any) -> SkillRun:
    """:func:`run_skill` as ``tank run`` calls it: the project folder (the home folder for a
    global install) as working directory, the user's run log, this process's environment
    (only declared secrets reach the skill). ``options`` are :func:`run_skill`'s others."""
    from tank.client.paths import state_dir

    options.setdefault("environ", os.environ)
    return run_skill(
        target,
        project=paths.link_root if paths.is_global else paths.meta_root,
        log=auditlog.log_path(state_dir()),
        **options,
    )


def _record(span: telemetry.Span, run: SkillRun) -> None:
    """The run's outcome on its span and in the run metrics: counts and names, no content."""
    result = run.result
    assert result is not None
    limits_hit = ",".join(sorted(result.limits_hit))
    span.set("tank.run.exit_code", result.exit_code)
    span.set("tank.run.duration_s", round(result.duration, 4))
    span.set("tank.run.sandboxed", result.sandboxed)
    span.set("tank.run.denials", len(result.denials))
    span.set("tank.run.refused_connections", sum(not c.get("allowed") for c in result.connections))
    span.set("tank.run.limits_hit", limits_hit)
    span.set("tank.run.output_problems", len(run.problems))
    labels = {"tank.skill.name": run.target.name, "tank.run.exit_code": result.exit_code}
    telemetry.count("tank.runs", 1, labels)
    telemetry.measure("tank.run.duration", result.duration, labels, unit="s")
    if result.denials:
        telemetry.count("tank.run.denials", len(result.denials), labels)
    for limit in result.limits_hit:
        telemetry.count("tank.run.limits_hit", 1, {**labels, "tank.run.limit": limit})


def _run(
    target: Target,
    *,
    project: Path,
    script: str | None,
    args: tuple[str, ...],
    inputs: Any,
    environ: Mapping[str, str],
    log: Path,
    on_stdout: runner.Sink | None,
    on_stderr: runner.Sink | None,
    unsafe: bool,
    limits: Limits | None,
    proxy: runner.ProxySeam | None,
    span: telemetry.Span,
) -> SkillRun:
    path = pick_script(target, script)
    interface = target.manifest.interface
    stdin: bytes | None = None
    if inputs is not NO_INPUTS:
        structured.check_inputs(interface.inputs if interface else None, inputs, target.name)
        stdin = json.dumps(inputs).encode()
    with Path(path).open("rb") as handle:
        first_line = handle.readline(256)
    entry = choose_entry(os.path.relpath(path, target.folder), first_line)
    policy = build_policy(
        target.permissions,
        project=os.path.realpath(project),
        skill_dir=str(target.folder),
        home=os.path.realpath(Path.home()),
        environ=environ,
        runtime_paths=runner.runtime_paths(),
        limits=limits,
    )
    run = SkillRun(uuid.uuid4().hex, target, path, _now())
    run.missing_secrets, run.approximated = policy.missing_secrets, policy.approximated
    request = runner.RunRequest(
        policy, entry, path, args, stdin, on_stdout, on_stderr, unsafe=unsafe
    )
    try:
        run.result = runner.run(request, proxy=proxy)
    except SandboxUnavailableError as refused:
        run.ended, run.refused = _now(), f"{refused.message}: {refused.detail}"
        auditlog.append(log, run.record())
        span.set("tank.run.refused", True)
        raise
    run.ended = _now()
    if interface is not None and interface.outputs is not None and run.result.exit_code == 0:
        run.output, run.problems = structured.check_outputs(interface.outputs, run.result.stdout)
    auditlog.append(log, run.record())
    return run
