"""``tank verify``: re-hash every installed skill against what skills.lock locks."""

from __future__ import annotations

import sys
from typing import IO, Any

import click

from tank.cli.install_view import recovery_printer, target_options
from tank.cli.paths_view import project_paths_for
from tank.cli.render import print_json

EPILOG = """\b
Examples:
  tank verify                         # every skill in skills.lock
  tank verify @acme/pdf-tools --json  # one skill, machine-readable
  tank verify --repair                # put drifted files back from the cache, verify again

\b
Exit status: 0 when every skill matches; 14 (VERIFY) when a file was modified, added or
deleted, an agent mirror changed, a cached tarball is missing or fails its integrity, or a
publisher signature, registry attestation or log inclusion proof does not verify (or is
not kept; with audit.require_signing, an unsigned skill).
"""


@click.command(epilog=EPILOG)
@click.argument("names", nargs=-1, metavar="[NAME]...")
@click.option(
    "--repair",
    is_flag=True,
    help="First put back drifted files and mirrors from the cache (fetching a missing or "
    "tampered tarball again, and asking the registry again for signatures, attestations "
    "and log proofs that fail), then verify. Installs nothing else.",
)
@target_options
def command(
    names: tuple[str, ...], repair: bool, is_global: bool, registry: str | None, as_json: bool
) -> int:
    """Check that the installed skills are byte for byte what skills.lock locks.

    For each locked skill (or each NAME): the cached tarball is re-hashed against the
    lockfile's integrity and read for the version's file list; every file under
    .agents/skills/<name> is hashed and compared with it (modified, exec bit changed,
    deleted, added); each agent folder Tank linked (.claude/skills/<name>...) must still
    link to it, or be a copy with the same files. Then what `tank install` verified and
    kept in the cache: the publisher's signature (by the key and with the digest
    skills.lock records), the registry's attestation (by a registry key pinned on this
    machine) and the transparency-log inclusion proof (against a tree head pinned here).
    Needs no network. `tank install` makes the file check by size and modification time
    and repairs what drifted.
    """
    from tank.cli.exit_codes import ExitCode
    from tank.client.cache import ContentCache
    from tank.client.config import registry_map
    from tank.client.paths import cache_dir
    from tank.client.projectfiles import parse_project, read_lock, read_manifest_bytes
    from tank.client.state import read_state
    from tank.client.trust import TrustLayers
    from tank.client.verify import select, verify_skills
    from tank.core.errors import UsageError
    from tank.core.verification import summarize

    paths = project_paths_for(is_global, writes=repair)
    _, lock = read_lock(paths)
    if lock is None:
        raise UsageError(
            f"no skills.lock in {paths.meta_root}: nothing installed to verify",
            code="no_lockfile",
            hint="run `tank install` first, or verify from the project folder",
        )
    skills = select(lock.skills, names)
    cache = ContentCache(cache_dir())
    # skills.json says which registries and whether signing is required (missing: neither).
    manifest = parse_project(read_manifest_bytes(paths, create=True), paths)
    routes = registry_map(override=registry, project_registries=manifest.registries)
    require = manifest.audit is not None and manifest.audit.require_signing is True
    trust = TrustLayers(cache, routes.for_name, require_signing=require)
    repaired = None
    if repair:
        repaired = _repair(paths, lock, cache, skills, registry, as_json, trust)
        trust = TrustLayers(cache, routes.for_name, require_signing=require)  # read anew
    reports = verify_skills(paths, cache, read_state(paths.state), skills, trust.layers)
    summary = summarize(reports)
    ok = summary["failed"] == 0
    if as_json:
        print_json(
            {
                "project": str(paths.meta_root),
                "ok": ok,
                "skills": [r.to_json() for r in reports],
                "summary": summary,
                "repaired": [r.to_json() for r in repaired.repairs] if repaired else [],
                "refetched": list(repaired.refetched) if repaired else [],
            }
        )
    else:
        if repaired is not None:
            _render_repaired(repaired, sys.stdout)
        render_reports(reports, summary, sys.stdout)
    return ExitCode.OK if ok else ExitCode.VERIFY


def _repair(
    paths: Any,
    lock: Any,
    cache: Any,
    skills: Any,
    registry: str | None,
    as_json: bool,
    trust: Any,
) -> Any:
    """``--repair``: under the project's install lock, put back what drifted, and ask the
    registries again for the evidence of skills whose trust layers fail."""
    from tank.cli.progress_view import close_progress, make_progress
    from tank.client.audit import is_local
    from tank.client.localsrc import read_locals
    from tank.client.projectfiles import locked, parse_project, read_manifest_bytes
    from tank.client.session import Options, Session
    from tank.client.trust import refresh_evidence
    from tank.client.verify import Subject, repair_installed

    progress = make_progress(as_json=as_json)
    with locked(paths, recovery_printer(paths)):
        manifest = parse_project(read_manifest_bytes(paths, create=paths.is_global), paths)
        session = Session(manifest, Options(registry=registry, progress=progress))

        def fetch(skill: Any) -> bytes:
            if is_local(skill) and not session.local:
                session.local = read_locals(paths.meta_root, manifest, lock)
            return session.fetch(skill)

        try:
            done = repair_installed(paths, lock, cache, fetch, skills, progress=progress)
            failing = [
                s
                for s in skills
                if any(
                    layer(Subject(paths, s, "", None, None, None)).failed for layer in trust.layers
                )
            ]
            refresh_evidence(session, lock, failing)
            return done
        finally:
            session.close()
            close_progress(progress)


def _render_repaired(repaired: Any, out: IO[str]) -> None:
    from tank.cli.install_view import render_repairs

    for key in repaired.refetched:
        out.write(f"{key}: the cached tarball failed its integrity; deleted and fetched again\n")
    render_repairs(repaired.repairs, out)
    if not repaired.repairs:
        out.write("Nothing to repair.\n")


def render_reports(reports: Any, summary: Any, out: IO[str]) -> None:
    """Per skill: ``ok`` or ``FAILED`` and one line per problem; then the summary."""
    from tank.cli.render_skill import safe_text

    for report in reports:
        out.write(safe_text(f"{report.name} {report.version}: "))
        out.write("ok\n" if report.ok else "FAILED\n")
        for layer in report.layers:
            for line in layer.messages():
                out.write(safe_text(f"  {layer.layer}: {line}") + "\n")
    count = summary["skills"]
    text = f"{count} skill{'s' if count != 1 else ''} verified: {summary['ok']} ok"
    if summary["failed"]:
        text += (
            f", {summary['failed']} FAILED ({summary['problems']} problems); "
            "`tank verify --repair` puts the files back from the cache"
        )
    out.write(text + ".\n")
