"""``install``, ``update`` and ``remove`` as the CLI calls them, on top of the pipeline.

* install with no names: exactly what skills.lock says (resolving only what is missing);
* install NAME[@RANGE]...: add to skills.json (caret range of the latest by default),
  re-lock keeping every other locked version, install;
* update [NAME...]: newest versions within the ranges (``latest=True`` rewrites the ranges
  to the newest release first);
* remove NAME...: drop from skills.json, re-lock, delete their folders and links.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tank.client import telemetry
from tank.client.agents import agent
from tank.client.errors import NotFoundError, UnknownSkillError
from tank.client.gitfetch import one_fetch_per_repository
from tank.client.localsrc import LocalPackage, is_local_spec, read_local
from tank.client.marketplacesrc import is_marketplace_spec
from tank.client.paths import ProjectPaths
from tank.client.pluginsrc import expand_plugins
from tank.client.project import Options, Outcome, Session, run_pipeline
from tank.client.projectfiles import read_lock
from tank.client.suggest import bad_name, unknown_in_project
from tank.core.errors import UsageError
from tank.core.gitsource import GitSource, is_git_spec, parse_git_source
from tank.core.lockfile import Lockfile
from tank.core.manifest import (
    Manifest,
    with_agents,
    with_local_dependency,
    without_dependencies,
)
from tank.core.manifest_rules import is_package_name
from tank.core.resolver import ResolutionFailure
from tank.core.semver import Version, parse_range

#: A change to skills.json made inside the install's lock (see ``run_pipeline``).
Edit = Callable[[Manifest, Session], Manifest]


@dataclass(frozen=True, slots=True)
class Spec:
    """A skill named on the command line: ``@scope/name`` and an optional range, or a path
    (``./folder``, ``./x.tgz``) to install from disk (``name`` is then filled in later)."""

    name: str
    range: str | None
    path: str | None = None
    git: GitSource | None = None  # github:owner/repo/path#ref, git+https://…
    market: str | None = None  # marketplace:URL[#plugin] (tank.client.marketplacesrc)


def parse_spec(text: str) -> Spec:
    """``@scope/name``, ``@scope/name@^1.2``, ``@scope/name@1.2.3``, ``./dir``,
    ``github:owner/repo/path#ref`` → :class:`Spec`."""
    if is_marketplace_spec(text):
        return Spec("", None, None, None, text)
    if is_git_spec(text):
        return Spec("", None, None, parse_git_source(text))
    if is_local_spec(text):
        return Spec("", None, text)
    at = text.find("@", 1)
    name, range_text = (text, None) if at == -1 else (text[:at], text[at + 1 :] or None)
    if not is_package_name(name):
        raise bad_name(
            text, name, "name skills as @scope/name, optionally with a range: @acme/pdf@^1.2"
        )
    if range_text is not None:
        parse_range(range_text)  # raises VersionError with a hint
    return Spec(name, range_text)


def _latest(session: Session, name: str) -> Version:
    provider = session.provider({})
    latest = provider.latest(name)
    if latest is None:
        if provider.document(name) is None:
            url = session.registries.routes.for_name(name)
            missing = NotFoundError(
                f"{name} is not on the registry {url}",
                status=404,
                registry=url,
                hint="check the name with `tank search`, or the registry with `tank config list`",
            )
            missing.skill = name
            raise missing
        raise UsageError(
            f"{name} has no installable version", code="no_version", hint="ask its publisher"
        )
    return latest


def install(
    paths: ProjectPaths, specs: Sequence[Spec], options: Options, *, every: bool = False
) -> Outcome:
    """Install the lockfile, or add ``specs`` first (one ``tank.install`` span); ``every``:
    all the skills of a git repository named without a path (else one that holds several is
    refused)."""
    started = time.monotonic()
    with telemetry.span(
        "tank.install", {"tank.install.named": len(specs), "tank.install.global": paths.is_global}
    ) as span:
        outcome = _install(paths, specs, options, every=every)
        elapsed = time.monotonic() - started
        span.set("tank.install.skills", len(outcome.lock.skills))
        span.set("tank.install.changes", len(outcome.changes))
        span.set("tank.install.resolved", outcome.resolved)
        span.set("tank.install.up_to_date", outcome.up_to_date)
        telemetry.measure("tank.install.duration", elapsed, unit="s")
        telemetry.count("tank.install.skills", len(outcome.lock.skills))
    return outcome


def _install(
    paths: ProjectPaths, specs: Sequence[Spec], options: Options, *, every: bool
) -> Outcome:
    if not specs:
        return run_pipeline(
            paths, options, create=paths.is_global, edit=_agents_edit(None, options.agents)
        )
    if options.offline:
        raise UsageError(
            "adding skills needs the registry; an offline install places only what "
            "skills.lock records",
            code="offline_add",
            hint="run `tank install NAME` without --offline, or `tank install --offline` "
            "with no names",
        )

    with one_fetch_per_repository():
        return _add(paths, specs, options, every=every)


def _add(paths: ProjectPaths, specs: Sequence[Spec], options: Options, *, every: bool) -> Outcome:
    specs = _expand_marketplaces(specs, every=every)
    specs = expand_plugins(specs)  # a plugin folder stands for its skills (tank.client.pluginsrc)
    local = {s.path: read_local(Path.cwd(), s.path) for s in specs if s.path}
    gits = _discover(
        [s.git for s in specs if s.git is not None], every=every, choose=options.choose_skills
    )

    def edit(manifest: Manifest, session: Session) -> Manifest:
        remote = [s for s in specs if s.path is None and s.git is None]
        if any(s.range is None for s in remote):
            session.provider({}).prefetch(s.name for s in remote if s.range is None)
        for package in gits:
            manifest = with_local_dependency(manifest, package.name, package.spec, prefix="")
        for spec in specs:
            if spec.git is not None:
                continue
            if spec.path is not None:
                relative = _relative(paths.meta_root, spec.path)
                manifest = with_local_dependency(manifest, local[spec.path].name, relative)
                continue
            wanted = spec.range or f"^{_latest(session, spec.name)}"
            manifest = manifest.with_dependency(spec.name, wanted)
        return manifest

    named = {s.name for s in specs} | {p.name for p in (*local.values(), *gits)}

    def keep(lock: Lockfile | None) -> Mapping[str, Version]:
        return {n: v for n, v in (lock.versions if lock else {}).items() if n not in named}

    moving = {p.name for p in gits}  # named again on the command line: read at the ref now
    try:
        edit_all = _agents_edit(edit, options.agents)
        return run_pipeline(paths, options, create=True, edit=edit_all, keep=keep, moving=moving)
    except ResolutionFailure as failure:
        raise _blame_typed_ranges(failure, [s for s in specs if s.range]) from None


def _agents_edit(edit: Edit | None, agents: Sequence[str]) -> Edit | None:
    """``edit``, then ``agents`` (``tank install --agent``) added to skills.json's ``agents``
    (those not already named there under any alias), so later installs keep linking them."""
    if not agents:
        return edit

    def both(manifest: Manifest, session: Session) -> Manifest:
        if edit is not None:
            manifest = edit(manifest, session)
        listed = {agent(n) for n in manifest.agents}
        return with_agents(manifest, [n for n in agents if agent(n) not in listed])

    return both


def _expand_marketplaces(specs: Sequence[Spec], *, every: bool) -> list[Spec]:
    """Each ``marketplace:…`` replaced by the sources of the plugins it names."""
    out: list[Spec] = []
    for spec in specs:
        if spec.market is None:
            out.append(spec)
            continue
        from tank.client.marketplacesrc import plugin_specs

        out.extend(parse_spec(text) for text in plugin_specs(spec.market, every=every))
    return out


def _discover(
    sources: Sequence[GitSource],
    *,
    every: bool,
    choose: Callable[[Sequence[str]], Sequence[str]] | None,
) -> list[LocalPackage]:
    """The skills the git sources on the command line name (see :func:`gitsrc.discover`)."""
    if not sources:
        return []
    from tank.client.gitsrc import discover
    from tank.client.paths import cache_dir

    found = [
        p for source in sources for p in discover(source, cache_dir(), every=every, choose=choose)
    ]
    names = [p.name for p in found]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise UsageError(
            f"two of the skills named are both {twice[0]}",
            code="git_duplicate_name",
            hint="install one of them (name its folder: github:owner/repo/path/to/skill)",
        )
    return found


def _blame_typed_ranges(failure: ResolutionFailure, typed: Sequence[Spec]) -> ResolutionFailure:
    """``failure`` with a hint about the ranges typed on the command line when it involves
    them: the resolver's own hint ("loosen the ranges in skills.json") would send the user
    to a file that does not hold the range that failed."""
    text = "\n".join(failure.lines)
    involved = [s for s in typed if re.search(rf"{re.escape(s.name)}(?![\w.-])", text)]
    if not involved:
        return failure
    shown = ", ".join(f"`{s.name}@{s.range}`" for s in involved)
    first = involved[0].name
    if failure.code == "unknown_skill":  # the name is wrong, not the range
        failure.hint = f"check the spelling of {first} (`tank search WORD` finds skills)"
        return failure
    failure.hint = (
        f"change the range you typed ({shown}; `tank info {first}` lists its versions), "
        f"or leave the range out to get the latest version"
    )
    return failure


def _require_listed(
    manifest: Manifest, names: Sequence[str], hint: str, paths: ProjectPaths, verb: str
) -> None:
    """Refuse names skills.json does not list (from the registry or from disk); a locked
    dependency is named as such, with the skills that pull it in."""
    missing = [n for n in names if n not in manifest.skills and n not in manifest.local]
    if not missing:
        return
    _, lock = read_lock(paths)
    pullers = {
        name: [s.name for s in (lock.skills if lock else ()) if name in dict(s.dependencies)]
        for name in missing
    }
    name = missing[0]
    if pullers[name]:
        by = ", ".join(pullers[name])
        raise UnknownSkillError(
            f"{name} is not in skills.json: it is a dependency of {by}",
            code="not_a_dependency",
            hint=f"`tank {verb} {pullers[name][0]}` {verb}s it with the skill that pulls it in"
            + (f"; `tank install {name}` makes it a direct skill" if verb == "update" else ""),
        )
    listed = [*manifest.skills, *manifest.local]
    raise unknown_in_project(
        missing, listed, "in skills.json", f"{hint}; `tank list` shows what is installed"
    )


def _relative(project: Path, spec: str) -> str:
    """``spec`` as written in skills.json: relative to the project, ``./`` first (npm style)."""
    target = (Path.cwd() / Path(spec).expanduser()).resolve()
    try:
        rel = target.relative_to(project.resolve())
    except ValueError:
        return os.path.relpath(target, project.resolve())
    return f"./{rel.as_posix()}"


def update(
    paths: ProjectPaths, names: Sequence[str], options: Options, *, latest: bool = False
) -> Outcome:
    """Move ``names`` (default: every skill) to their newest allowed versions."""
    for name in names:
        parse_spec(name)

    def edit(manifest: Manifest, session: Session) -> Manifest:
        _require_listed(manifest, names, "`tank install NAME` adds a skill", paths, "update")
        if not latest:
            return manifest
        # Skills installed from disk (file:) have no registry versions to move to.
        targets = [n for n in names if n in manifest.skills] if names else list(manifest.skills)
        session.provider({}).prefetch(targets)
        for name in targets:
            manifest = manifest.with_dependency(name, f"^{_latest(session, name)}")
        return manifest

    chosen = set(names)

    def keep(lock: Lockfile | None) -> Mapping[str, Version]:
        if not names or lock is None:
            return {}
        return {n: v for n, v in lock.versions.items() if n not in chosen}

    # Git skills named (default: every one) move to the commit their ref names now.
    moving = chosen if names else None
    with one_fetch_per_repository():
        return run_pipeline(
            paths, options, create=False, edit=edit, keep=keep, force=True, moving=moving or _ALL
        )


class _Everything(frozenset[str]):
    """A set that contains every name (``tank update`` with no names moves every git skill)."""

    def __contains__(self, item: object) -> bool:
        return True


_ALL = _Everything()


def remove(paths: ProjectPaths, names: Sequence[str], options: Options) -> Outcome:
    """Drop ``names`` from skills.json, re-lock, and delete their folders and links."""
    for name in names:
        parse_spec(name)

    def edit(manifest: Manifest, session: Session) -> Manifest:
        _require_listed(
            manifest, names, "check the spelling: skills are named @scope/name", paths, "remove"
        )
        return without_dependencies(manifest, names)

    # Removing installs nothing: no registry check may stand in its way (audited=False).
    return run_pipeline(paths, options, create=False, edit=edit, audited=False)
