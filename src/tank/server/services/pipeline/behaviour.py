"""The publish-time behaviour check: run a skill in the sandbox and watch what it attempts.

With ``TANK_REGISTRY_BEHAVIOUR_CHECK`` on, the pipeline runs the skill's ``run`` entry and
each script under ``scripts/`` (no arguments, empty input) in :mod:`tank.sandbox` with its
declared permissions, plus:

* a fake home holding canary files (:mod:`tank.sandbox.canaries`), made visible read-only so
  that an attempt to read them succeeds and is seen (inotify, from outside), and fake values
  for every declared secret;
* the proxy always on, with a resolver and an address check that refuse everything: every
  host the skill tries is recorded, nothing is forwarded, and the request heads (and what a
  refused client still sends) are scanned for canary tokens;
* tight limits (:class:`BehaviourConfig`): a hang is a ``behaviour.timeout`` finding, never a
  stuck publish.

Then, when the skill ships ``tests/``, it runs them under coverage.py in the same sandbox
(:mod:`tank.sandbox.cover.tank_cover`) and returns the measured coverage for the score.
What the runs did becomes findings (:mod:`.behaviour_findings`).
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

import tank.sandbox.cover
from tank.core.errors import TankError
from tank.core.manifest_model import Manifest
from tank.sandbox import features, runner
from tank.sandbox.canaries import CANARY_DIRS, Canary, OpenWatch, TokenWatch, plant
from tank.sandbox.entry import SUFFIXES, choose_entry
from tank.sandbox.features import SandboxUnavailableError
from tank.sandbox.policy import Limits, PathGrant, SandboxPolicy, build_policy
from tank.sandbox.proxy_address import IPAddress
from tank.server.services.pipeline.behaviour_findings import Observed, findings_of, not_run
from tank.server.services.pipeline.coverage import SCRIPT_SUFFIXES, THRESHOLD, CoverageResult
from tank.server.services.pipeline.coverage import is_test_file as _is_test
from tank.server.services.pipeline.scan import ScanFailed

__all__ = [
    "SCANNER_SUFFIX",
    "BehaviourConfig",
    "BehaviourOutcome",
    "check",
    "run_behaviour",
    "scripts_to_run",
]

#: Added to the scanner's name (audit history, attestations) when the check ran.
SCANNER_SUFFIX = " + behaviour check"

log = logging.getLogger("tank.server.behaviour")

_DRIVER = Path(tank.sandbox.cover.__file__).with_name("tank_cover.py")
_MIN_RUN = 1.0  # seconds: below this a run is not started
#: How shells and Node report the ``fork``/``spawn`` seccomp refused (``EPERM``): for entries
#: that are not Python there is no audit hook, so a spawn attempt is read from stderr.
_SPAWN_REFUSED = re.compile(
    rb"Cannot fork|fork: (?:Operation not permitted|retry)|syscall: 'spawn\w*|spawn\w* [^\n]*EPERM"
)


@dataclass(frozen=True, slots=True)
class BehaviourConfig:
    """The check's limits (from the registry's settings)."""

    run_seconds: float = 10.0
    cpu_seconds: int = 10
    output_bytes: int = 1 << 20
    max_scripts: int = 8
    budget_seconds: float = 25.0


@dataclass(frozen=True, slots=True)
class BehaviourOutcome:
    """The findings of every run, and the coverage measured (None: no tests to run)."""

    findings: list[dict[str, Any]]
    coverage: CoverageResult | None


def scripts_to_run(files: Mapping[str, bytes], manifest: Manifest) -> list[str]:
    """The ``run`` entry first, then every runnable file under ``scripts/`` (not tests)."""
    found = [manifest.run] if manifest.run and manifest.run in files else []
    found += sorted(
        p
        for p in files
        if p.startswith("scripts/")
        and PurePosixPath(p).suffix.lower() in SUFFIXES
        and not _is_test(p)
        and p not in found
    )
    return found


def _no_resolver(host: str, port: int) -> list[str]:
    raise OSError("the behaviour check forwards nothing")


def _no_address(address: IPAddress) -> str | None:
    return "the behaviour check forwards nothing"


@dataclass(slots=True)
class _World:
    """The folders of one check: the skill's files, an empty project, the canary home."""

    root: Path
    manifest: Manifest
    config: BehaviourConfig
    environ: dict[str, str]
    canaries: list[Canary]
    deadline: float

    @property
    def skill(self) -> Path:
        return self.root / "skill"

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def project(self) -> Path:
        return self.root / "project"

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def policy(self, wall: float, cpu: int) -> SandboxPolicy:
        policy = build_policy(
            self.manifest.permissions,
            project=str(self.project),
            skill_dir=str(self.skill),
            home=str(self.home),
            environ=self.environ,
            runtime_paths=runner.runtime_paths(),
            limits=Limits(
                wall_seconds=wall, cpu_seconds=cpu, output_bytes=self.config.output_bytes
            ),
        )
        granted = {g.path for g in policy.grants}
        canaries = tuple(
            PathGrant(str(self.home / d), read=True, write=False)
            for d in CANARY_DIRS
            if str(self.home / d) not in granted
        )
        return replace(policy, grants=(*policy.grants, *canaries))

    def run(
        self, script: str, entry_path: str, *, tests: bool, stdin: bytes, args: tuple[str, ...]
    ) -> tuple[Observed, runner.RunResult]:
        wall = max(_MIN_RUN, min(self.config.run_seconds if not tests else 1e9, self.remaining()))
        cpu = max(1, min(self.config.cpu_seconds if not tests else 10**6, int(wall) + 1))
        policy = self.policy(wall, cpu)
        with Path(entry_path).open("rb") as handle:
            first_line = handle.readline(256)
        entry = choose_entry(Path(entry_path).name, first_line)
        tokens = TokenWatch(self.canaries)

        def observe(host: str, data: bytes) -> None:
            tokens.feed(data, f"network {host or '?'}")

        seam = runner.ProxySeam(
            resolver=_no_resolver, check_address=_no_address, always=True, observe=observe
        )
        request = runner.RunRequest(policy, entry, entry_path, args, stdin)
        with OpenWatch(self.home, self.canaries) as opens:
            result = runner.run(request, proxy=seam)
            opened = opens.opened()
        denials = list(result.denials)
        if not tests:
            tokens.feed(result.stdout, "stdout")
            tokens.feed(result.stderr, "stderr")
            spawned = _SPAWN_REFUSED.search(result.stderr)
            if spawned and not entry.in_process and not policy.subprocess:
                said = spawned.group().decode("utf-8", "replace")
                denials.append({"kind": "subprocess", "detail": f"its error output says {said!r}"})
        home = str(self.home)
        declared = tuple(
            "~" + g.path[len(home) :]
            for g in policy.grants
            if g.glob is not None and (g.path == home or g.path.startswith(home + "/"))
        )
        seen = Observed(
            script=script,
            limits_hit=tuple(result.limits_hit),
            denials=tuple(denials),
            connections=tuple(result.connections),
            opened=tuple(opened),
            sent=tuple(tokens.seen()),
            tests=tests,
            declared_paths=declared,
            declared_secrets=tuple(self.manifest.permissions.secrets),
            declared_hosts=tuple(self.manifest.permissions.outbound),
        )
        return seen, result


def _unpack(files: Mapping[str, bytes], skill: Path) -> None:
    """Write the files (paths already checked by the safe unpack; checked again here)."""
    for rel, data in files.items():
        target = (skill / rel).resolve()
        if not target.is_relative_to(skill):
            raise ValueError(f"{rel!r} leaves the skill folder")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def check(
    files: Mapping[str, bytes], manifest: Manifest, config: BehaviourConfig
) -> BehaviourOutcome:
    """Run the skill's scripts and tests in the sandbox; return what they were seen doing.

    Raises :class:`tank.sandbox.features.SandboxUnavailableError` when the sandbox cannot run
    here (the caller fails closed).
    """
    features.check()  # before anything is written: a missing sandbox is said as such
    findings: list[dict[str, Any]] = []
    coverage: CoverageResult | None = None
    with tempfile.TemporaryDirectory(prefix="tank-behaviour-") as tmp:
        root = Path(tmp).resolve()
        world = _World(root, manifest, config, {}, [], time.monotonic() + config.budget_seconds)
        _unpack(files, world.skill)
        world.project.mkdir()
        world.canaries, world.environ = plant(world.home, tuple(manifest.permissions.secrets))
        for index, script in enumerate(scripts_to_run(files, manifest)):
            if index >= config.max_scripts:
                findings.append(not_run(script, f"only {config.max_scripts} scripts are run"))
                continue
            if world.remaining() < _MIN_RUN:
                findings.append(not_run(script, "the check's time budget was spent"))
                continue
            try:
                seen, _ = world.run(
                    script, str(world.skill / script), tests=False, stdin=b"", args=()
                )
            except SandboxUnavailableError:
                raise  # the caller fails closed
            except (TankError, FileNotFoundError) as error:
                findings.append(not_run(script, str(error)))
                continue
            findings += findings_of(seen)
        if any(p.startswith("tests/") for p in files):
            coverage, found = _cover(world, files)
            findings += found
    return BehaviourOutcome(findings, coverage)


def run_behaviour(
    name: str, version: str, files: Mapping[str, bytes], manifest: Manifest, config: BehaviourConfig
) -> BehaviourOutcome:
    """:func:`check`, failing closed: a sandbox that cannot run, or a check that crashes,
    refuses the publish (:class:`ScanFailed`) rather than letting an unchecked version in."""
    try:
        return check(files, manifest, config)
    except SandboxUnavailableError as error:
        raise ScanFailed(
            f"{name}@{version} could not be checked: the registry's sandbox is unavailable: "
            f"{error.message}",
            hint="the registry's administrator installs bubblewrap and enables Landlock and "
            "user namespaces, or turns TANK_REGISTRY_BEHAVIOUR_CHECK off",
        ) from error
    except Exception as error:
        log.exception("the behaviour check crashed")
        raise ScanFailed(
            f"{name}@{version} could not be checked: the behaviour check crashed: "
            f"{type(error).__name__}: {error}",
            hint="retry the publish; if it persists, report it to the registry administrator",
        ) from error


def _cover(
    world: _World, files: Mapping[str, bytes]
) -> tuple[CoverageResult, list[dict[str, Any]]]:
    """Run the tests under coverage; the measured result and the canary findings."""
    python = sorted(
        p
        for p in files
        if p.endswith(SCRIPT_SUFFIXES) and not _is_test(p) and not p.startswith("coverage/")
    )
    if world.remaining() < _MIN_RUN:
        return CoverageResult(False, "not measured: the check's time budget was spent"), []
    nonce = secrets.token_hex(16)
    measured = [p for p in python if p.endswith(".py")]
    seen, result = world.run(
        "tests/",
        str(_DRIVER),
        tests=True,
        stdin=(nonce + "\n").encode(),
        args=(str(world.skill), *measured),
    )
    found = findings_of(seen)
    report = _report(result.stdout, nonce)
    if report is None:
        why = "the tests did not finish" if result.limits_hit else "the tests printed no result"
        return CoverageResult(False, f"not measured: {why}"), found
    return _measured(report, python, measured), found


def _report(stdout: bytes, nonce: str) -> dict[str, Any] | None:
    for line in reversed(stdout.decode("utf-8", "replace").splitlines()):
        if line.startswith(nonce):
            try:
                value = json.loads(line[len(nonce) :])
            except ValueError:
                return None
            return value if isinstance(value, dict) else None
    return None


def _measured(report: Mapping[str, Any], scripts: list[str], measured: list[str]) -> CoverageResult:
    """The score item from the driver's report: the tests must pass, every script must be
    Python (coverage.py measures nothing else) and more than 80 % of statements run."""
    if report.get("error"):
        return CoverageResult(False, f"not measured: {report['error']}")
    code = report.get("exit")
    if code == 5:
        return CoverageResult(False, "measured by the registry: tests/ holds no tests")
    if code != 0:
        return CoverageResult(False, f"measured by the registry: the tests failed (pytest {code})")
    if not measured:
        return CoverageResult(False, "measured by the registry: no Python scripts to cover")
    counts = report.get("files") if isinstance(report.get("files"), dict) else {}
    assert isinstance(counts, dict)
    total = covered = 0
    for script in measured:
        pair = counts.get(script)
        if not (isinstance(pair, list) and len(pair) == 2 and all(type(n) is int for n in pair)):
            why = f"measured by the registry: {script} could not be measured"
            return CoverageResult(False, why)
        total += pair[0]
        covered += pair[0] - pair[1]
    percent = 100.0 * covered / total if total else 100.0
    others = [s for s in scripts if s not in measured]
    if others:
        note = (
            f"measured by the registry: {percent:.1f}% of the Python scripts; "
            f"{len(others)} script(s) in other languages cannot be measured"
        )
        return CoverageResult(False, note, percent, "measured")
    note = f"measured by the registry: {percent:.1f}% over {len(measured)} script(s)"
    if percent <= THRESHOLD:
        return CoverageResult(False, note + f" (needs more than {THRESHOLD:.0f}%)", percent)
    return CoverageResult(True, note, percent, "measured")
