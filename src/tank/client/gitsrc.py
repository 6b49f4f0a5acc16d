"""Skills installed from git: ``"github:owner/repo/path#ref"`` (or ``git+https|ssh|file://``)
in skills.json, read into the same :class:`~tank.client.localsrc.LocalPackage` a ``file:``
skill becomes, so the rest of the pipeline (scan at install, budget, lockfile, cache by
integrity) treats both alike.

A skill is read from the commit its ref names (:mod:`tank.client.gitfetch`), its folder's
files straight from git objects, then packed canonically. A skill without skills.json (most
skills in the wild) gets one written for it: ``@git/<SKILL.md name>``, version
``0.0.0+g<12 hex of the commit>``, and the permissions the scanner infers from its code
(:mod:`tank.scanner.inferred`). That file is part of the packed tarball, so the installed
folder, the budget, ``tank verify`` and the sandbox all see the same permissions.

skills.lock pins the commit: a later ``tank install`` (``--frozen`` or not) reads the locked
commit again and must get the same integrity; different bytes under the same commit are
refused. Only ``tank update`` (or a changed source in skills.json) resolves the ref again.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from tank.client.gitfetch import GitRepo
from tank.client.localsrc import LocalPackage
from tank.client.offline import OfflineError
from tank.core.errors import IntegrityError, TankError, UsageError
from tank.core.gitsource import (
    GitMove,
    GitSource,
    format_resolved,
    parse_git_source,
    parse_resolved,
)
from tank.core.lockfile import LockedSkill, Lockfile
from tank.core.manifest import ManifestKind, parse_manifest
from tank.core.manifest_rules import is_package_name

if TYPE_CHECKING:
    from tank.core.ignore import IgnoreRules

__all__ = ["GIT_SCOPE", "discover", "explain_inferred", "read_git", "read_git_dependency"]

#: The scope of skills read from git that have no skills.json of their own.
GIT_SCOPE = "git"
MANIFEST = "skills.json"
DESCRIPTION_MAX = 1024


def read_git(source: GitSource, cache: Path, *, commit: str | None = None) -> LocalPackage:
    """The skill at ``source`` (at ``commit``, else at what its ref names now)."""
    repo = GitRepo(cache, source.url)
    commit = repo.resolve(commit or source.ref)
    return _package(repo, source, commit)


#: Skills already read in this process, by (repository, source, commit, naming): ``tank
#: install --all`` reads each while choosing and again while installing; a commit's content
#: cannot change, so the second read is the first one's result.
_READ: dict[tuple[str, GitSource, str, str | None, str | None], LocalPackage] = {}
_READ_MAX = 512


def _package(
    repo: GitRepo,
    source: GitSource,
    commit: str,
    scope: str | None = GIT_SCOPE,
    version: str | None = None,
) -> LocalPackage:
    """The skill at ``source`` and ``commit``, packed. A skill without skills.json gets one
    named ``@<scope>/<SKILL.md name>`` (refused when ``scope`` is None), version ``version``
    or ``0.0.0+g<commit>``; ``version`` for a skill with its own skills.json is refused."""
    key = (str(repo.path), source, commit, scope, version)
    found = _READ.get(key)
    if found is None:
        found = _read_package(repo, source, commit, scope, version)
        if len(_READ) < _READ_MAX:
            _READ[key] = found
    return found


def _read_package(
    repo: GitRepo, source: GitSource, commit: str, scope: str | None, version: str | None
) -> LocalPackage:
    from tank.client.local import require_valid
    from tank.core.ignore import IgnoreRules
    from tank.core.integrity import sri_sha512
    from tank.core.pack import pack_files
    from tank.core.skillfolder import validate_skill_folder
    from tank.core.skillmd import Mode

    tree = repo.read_tree(source, commit)
    files = dict(tree.files)
    ignore = files.get(".tankignore")
    rules = IgnoreRules.from_lines(
        ignore[0].decode("utf-8", "replace").splitlines() if ignore else []
    )
    files = {p: f for p, f in files.items() if not _ignored(rules, p)}
    where = f"{source.spec()} at {commit[:12]}"
    contents = {p: data for p, (data, _) in files.items()}
    package, report = validate_skill_folder(
        contents, folder_name=source.folder_name, mode=Mode.LENIENT
    )
    require_valid(report, where)
    if package is None:  # require_valid raised already; for the type checker
        raise UsageError(f"{where} is not a skill", code="git_not_a_skill")
    if package.manifest is None:
        if scope is None:
            raise UsageError(
                f"{where} has no skills.json, so Tank must name it under a scope",
                code="git_needs_scope",
                hint="tank registry import --scope @acme … names it @acme/<its SKILL.md name>",
            )
        written = version or f"0.0.0+g{commit[:12]}"
        data = _written_manifest(
            package.skill.name, package.skill.description, written, contents, scope
        )
        files[MANIFEST] = (data, False)
        manifest, manifest_report = parse_manifest(
            data, file=MANIFEST, kind=ManifestKind.PACKAGE, skill_name=package.skill.name
        )
        require_valid(manifest_report, f"{where} (the skills.json Tank wrote for it)")
    else:
        manifest = package.manifest
        if version is not None:
            raise UsageError(
                f"{where} has its own skills.json, which gives its version",
                code="git_version_given",
                hint="--version names skills without skills.json; bump the version in the "
                "repository instead",
            )
    if manifest is None or manifest.name is None or manifest.version is None:
        raise UsageError(
            f"{where}: its skills.json has no name and version",
            code="git_not_package",
            hint="ask the author to fix skills.json (or remove it: Tank then infers one)",
        )
    packed = pack_files(files)
    return LocalPackage(
        source.spec(),
        manifest,
        packed.data,
        sri_sha512(packed.data),
        format_resolved(source, commit),
    )


def _ignored(rules: IgnoreRules, path: str) -> bool:
    """True when ``rules`` leave ``path`` (or a folder above it) out, as the packer would."""
    parts = path.split("/")
    dirs = ("/".join(parts[:i]) for i in range(1, len(parts)))
    return rules.ignores(path, is_dir=False) or any(rules.ignores(d, is_dir=True) for d in dirs)


def _written_manifest(
    name: str, description: str, version: str, files: dict[str, bytes], scope: str
) -> bytes:
    """The skills.json of a skill that has none: name, version and inferred permissions."""
    from tank.scanner.inferred import inferred_permissions

    package = f"@{scope}/{name}"
    if not is_package_name(package):
        raise UsageError(
            f"SKILL.md names the skill {name!r}, which cannot be a package name",
            code="git_bad_name",
            hint="a skill name is lower case letters, digits and '-' (agentskills.io)",
        )
    raw = {
        "name": package,
        "version": version,
        "description": description[:DESCRIPTION_MAX],
        "permissions": inferred_permissions(files).to_json(),
    }
    return (json.dumps(raw, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def discover(
    source: GitSource,
    cache: Path,
    *,
    every: bool,
    choose: Callable[[Sequence[str]], Sequence[str]] | None = None,
    scope: str | None = GIT_SCOPE,
    version: str | None = None,
) -> list[LocalPackage]:
    """The skills ``source`` names on the command line: the one at its path; without a
    path, the repository's root skill, its only skill, (``every``) all of them, or those
    ``choose`` picks from their sources (a question on a terminal); else refused.
    ``scope`` and ``version`` name skills without skills.json (see ``_package``)."""
    repo = GitRepo(cache, source.url)
    commit = repo.resolve(source.ref)
    if source.path:
        return [_package(repo, source, commit, scope, version)]
    folders = repo.skill_folders(commit)
    if not folders:
        raise UsageError(
            f"{source.spec()} holds no skill (no SKILL.md at {commit[:12]})",
            code="git_no_skill",
            hint="check the repository and ref",
        )
    if every:
        return [_package(repo, source.at(f), commit, scope, version) for f in folders]
    if folders == [""] or len(folders) == 1:
        return [_package(repo, source.at(folders[0]), commit, scope, version)]
    if "" in folders:
        return [_package(repo, source, commit, scope, version)]
    if choose is not None:
        by_spec = {source.at(f).spec(): f for f in folders}
        picked = [by_spec[s] for s in choose(list(by_spec)) if s in by_spec]
        if not picked:
            raise UsageError(
                f"no skill of {source.spec()} was chosen; nothing was installed",
                code="git_none_chosen",
                hint="name one (github:owner/repo/path/to/skill) or pass --all",
            )
        return [_package(repo, source.at(f), commit, scope, version) for f in picked]
    shown = "\n".join(f"  {source.at(f).spec()}" for f in folders[:50])
    more = f"\n  … and {len(folders) - 50} more" if len(folders) > 50 else ""
    raise UsageError(
        f"{source.spec()} holds {len(folders)} skills; name one, or pass --all:\n{shown}{more}",
        code="git_ambiguous",
        hint=f"`tank install {source.at(folders[0]).spec()}` installs one; "
        f"`tank install --all {source.spec()}` installs every one",
    )


def read_git_dependency(
    name: str,
    spec: str,
    cache: Path,
    lock: Lockfile | None,
    *,
    moving: Collection[str] | None,
    offline: bool = False,
) -> LocalPackage:
    """The git dependency ``name`` of skills.json: at its locked commit when skills.lock
    locked it from the same source (and ``name`` is not ``moving``), else at its ref now.

    At a locked commit, the tarball already in the content cache under the locked
    integrity is used as is (verified by the cache: no git command runs); otherwise the
    commit is read from git, and content whose integrity differs from the locked one is
    refused: a commit id names its content, so different bytes mean a tampered mirror or
    lockfile. ``offline``: never fetch (refuse what the cache cannot give).
    """
    source = parse_git_source(spec)
    entry = lock.get(name) if lock is not None else None
    locked = _locked_commit(entry, source)
    if locked is not None and (moving is None or name not in moving):
        assert entry is not None
        cached = _from_cache(spec, entry, cache)
        if cached is not None:
            return cached
        if offline:
            raise OfflineError(
                f"{name}: the locked commit {locked[:12]} of {spec} is not in the cache",
                hint="run `tank install` once with the repository reachable",
            )
        package = read_git(source, cache, commit=locked)
        if package.integrity != entry.meta.integrity:
            raise IntegrityError(
                f"{name}: {spec} at its locked commit {locked[:12]} packs to other bytes than "
                "skills.lock records",
                code="git_content_changed",
                hint="a commit cannot change, so the mirror in Tank's cache or skills.lock was "
                f"tampered with (or Tank infers permissions differently now): `tank update {name}` "
                "locks it again after review",
            )
        return package
    if offline:
        raise OfflineError(
            f"{name}: {spec} is not locked at a commit, and reading it needs the repository",
            hint="run `tank install` without --offline",
        )
    package = read_git(source, cache)
    commit = parse_resolved(package.meta().resolved).commit
    if locked is not None and commit != locked:
        package = replace(package, moved=_move(name, source, cache, locked, package))
    if package.name != name:
        raise UsageError(
            f"skills.json names {spec} {name}, but it is {package.name}",
            code="local_name_mismatch",
            hint=f'use "{package.name}": "{spec}" in skills.json',
        )
    return package


def _move(name: str, source: GitSource, cache: Path, locked: str, now: LocalPackage) -> GitMove:
    """What moving ``name`` from ``locked`` to ``now`` changes (files, and whether a tag
    moved); the old commit is read from the mirror, which holds it."""
    from tank.core.filediff import diff_files
    from tank.core.unpack import files_of, read_archive

    repo = GitRepo(cache, source.url)
    before = read_git(source, cache, commit=locked)
    diff = diff_files(files_of(read_archive(before.data)), files_of(read_archive(now.data)))
    return GitMove(
        name,
        source.spec(),
        source.ref,
        locked,
        parse_resolved(now.meta().resolved).commit,
        repo.is_tag(source.ref),
        tuple(c.path for c in diff.added),
        tuple(c.path for c in diff.removed),
        tuple(c.path for c in diff.changed),
    )


def _from_cache(spec: str, entry: LockedSkill, cache: Path) -> LocalPackage | None:
    """The locked skill from the content cache (its tarball verified against the locked
    integrity), or None when the cache does not hold it."""
    from tank.client.cache import ContentCache
    from tank.client.local import require_valid
    from tank.core.skillfolder import validate_skill_folder
    from tank.core.skillmd import Mode
    from tank.core.unpack import read_archive

    data = ContentCache(cache).read_tarball(entry.meta.integrity, subject=entry.key)
    if data is None:
        return None
    files = {m.path: m.data for m in read_archive(data) if not m.is_dir}
    package, report = validate_skill_folder(files, folder_name=None, mode=Mode.LENIENT)
    require_valid(report, f"{entry.key} (cached)")
    if package is None or package.manifest is None:
        return None  # not what Tank packed for a git skill: read it from git instead
    return LocalPackage(spec, package.manifest, data, entry.meta.integrity, entry.meta.resolved)


def _locked_commit(entry: LockedSkill | None, source: GitSource) -> str | None:
    if entry is None or not entry.meta.resolved.startswith("git+"):
        return None
    resolved = parse_resolved(entry.meta.resolved)
    return resolved.commit if resolved.same_source(source) else None


def _inferred(package: LocalPackage) -> bool:
    """True for a git skill whose skills.json Tank wrote (its permissions were inferred)."""
    version = str(package.version)
    return package.name.startswith(f"@{GIT_SCOPE}/") and version.startswith("0.0.0+g")


def explain_inferred(error: TankError, local: Mapping[str, LocalPackage]) -> TankError:
    """``error`` (a budget refusal) with a note naming the skills whose permissions were
    inferred from their code, so the user knows where the permissions come from."""
    named = " ".join(p.message for p in error.problems)
    names = sorted(p.name for p in local.values() if _inferred(p) and f"{p.name}@" in named)
    if names:
        note = (
            f"the permissions of {', '.join(names)} were inferred from their code (no "
            "skills.json): `tank scan` on a clone of the skill's folder shows each line"
        )
        error.hint = f"{error.hint}; {note}" if error.hint else note
    return error
