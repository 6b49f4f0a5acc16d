"""What each MCP tool does: the functions behind ``tank search``, ``info``, ``install``,
``audit``, ``verify`` and ``run``, called directly (never by running ``tank``), returning the
JSON values the tools hand back.

Every function is synchronous and may block on the network or the sandbox: the server runs
them in a worker thread. Errors are :class:`~tank.core.errors.TankError` s, which the server
turns into MCP tool errors with their message and hint.

``install`` differs from the CLI in one way that matters: it never widens the project's
permission budget (no prompt, ``widen_budget`` is ``None``), and it refuses a project that
has no budget yet, where the CLI would record one from what the skills ask for (trust on
first use is a person's decision, not an agent's).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tank.client.paths import ProjectPaths
from tank.core.errors import PermissionBudgetError, UsageError

#: Sentinel for "the caller passed no inputs" (a structured skill's inputs may be ``null``).
NO_INPUTS: Any = object()


def search(query: str, page: int, per_page: int) -> dict[str, Any]:
    """The registry's answer to ``tank search QUERY --json``."""
    from tank.client.account import registry_url
    from tank.client.credentials import token_for
    from tank.client.http import RegistryClient

    url = registry_url(None)
    with RegistryClient(url, token=token_for(url)) as client:
        return client.search(query, page=page, per_page=per_page)


def split_spec(spec: str) -> tuple[str, str | None]:
    """``@scope/name[@version-or-tag]`` → (name, version or tag or None)."""
    from tank.client.suggest import bad_name
    from tank.core.manifest_rules import is_package_name

    at = spec.find("@", 1)
    name, version = (spec, None) if at < 0 else (spec[:at], spec[at + 1 :] or None)
    if not is_package_name(name):
        raise bad_name(
            spec, name, "name skills as @scope/name, optionally with a version: @acme/pdf@1.2.0"
        )
    return name, version


def info(spec: str) -> dict[str, Any]:
    """``tank info SPEC --json``: the skill document and one version's document."""
    from tank.client.config import registry_map
    from tank.client.registries import Registries

    name, wanted = split_spec(spec)
    with Registries(registry_map()) as registries:
        client = registries.for_name(name)
        doc = client.skill_document(name)
        tags = doc.get("dist_tags")
        if wanted and isinstance(tags, dict):
            wanted = tags.get(wanted, wanted)
        version = wanted or doc.get("latest")
        detail = client.version_document(name, str(version)) if version else None
    return {"skill": doc, "version": detail}


def require_budget(paths: ProjectPaths) -> None:
    """Refuse to install into a project with no skills.json or no ``permissions`` budget."""
    from tank.client.projectfiles import parse_project, read_manifest_bytes

    manifest = parse_project(read_manifest_bytes(paths, create=False), paths)
    if "permissions" not in manifest.raw:
        raise PermissionBudgetError(
            f"{paths.manifest} declares no permission budget, so nothing limits what an "
            "install through MCP could grant",
            code="mcp.no_budget",
            hint='add "permissions" to skills.json (`{}` allows no dangerous permission), or '
            "run `tank install` yourself: the first install records a budget",
        )


def install(paths: ProjectPaths, specs: Sequence[str]) -> dict[str, Any]:
    """``tank install SPEC... --no-input --json`` in the server's project, within its budget.

    Only registry skills (``@scope/name[@range]``) may be named: a path on this machine is
    refused (an agent could write the folder it then asks to install).
    """
    from tank.client.operations import install as run_install
    from tank.client.operations import parse_spec
    from tank.client.project import Options

    parsed = [parse_spec(s) for s in specs]
    for spec, text in zip(parsed, specs, strict=True):
        if spec.path is not None:
            raise UsageError(
                f"{text!r} is a path: through MCP only registry skills install",
                code="mcp.local_install",
                hint="name a skill as @scope/name[@range], or run `tank install PATH` yourself",
            )
    require_budget(paths)
    outcome = run_install(paths, parsed, Options(widen_budget=None))
    return {
        "project": str(paths.meta_root),
        "up_to_date": outcome.up_to_date,
        "changes": [
            {"name": c.name, "from": c.old, "to": c.new, "permissions_added": list(c.added)}
            for c in outcome.changes
        ],
        "skills": [
            {
                "name": s.name,
                "version": str(s.version),
                "integrity": s.meta.integrity,
                "verdict": s.meta.verdict,
                "audit_score": s.meta.audit_score,
            }
            for s in outcome.lock.skills
        ],
        "permissions_granted": [{"permission": p, "item": i} for p, i in outcome.granted],
        "budget": outcome.budget,
        "linked_into": list(outcome.mirrors),
    }


def audit(paths: ProjectPaths, names: Sequence[str], min_score: float | None) -> dict[str, Any]:
    """``tank audit [NAME...] --json``: verdict, score and findings of each locked skill."""
    from tank.client.audit import audit_skills, summarize
    from tank.client.config import registry_map
    from tank.client.projectfiles import parse_project, read_lock, read_manifest_bytes
    from tank.client.registries import Registries
    from tank.client.verify import select

    manifest = parse_project(read_manifest_bytes(paths, create=False), paths)
    _, lock = read_lock(paths)
    skills = select(list(lock.skills) if lock else [], names)
    if min_score is None and manifest.audit is not None:
        min_score = manifest.audit.min_score
    with Registries(registry_map(project_registries=manifest.registries)) as registries:
        audits = audit_skills(registries, skills)
    summary = summarize(audits, min_score)
    return {
        "ok": summary.ok,
        "skills": [a.to_json() for a in audits],
        "summary": summary.to_json(),
    }


def verify(paths: ProjectPaths, names: Sequence[str]) -> dict[str, Any]:
    """``tank verify [NAME...] --json`` (never ``--repair``: the tool only reads)."""
    from tank.client.cache import ContentCache
    from tank.client.config import registry_map
    from tank.client.paths import cache_dir
    from tank.client.projectfiles import parse_project, read_lock, read_manifest_bytes
    from tank.client.state import read_state
    from tank.client.trust import TrustLayers
    from tank.client.verify import select, verify_skills
    from tank.core.verification import summarize

    _, lock = read_lock(paths)
    if lock is None:
        raise UsageError(
            f"no skills.lock in {paths.meta_root}: nothing installed to verify",
            code="no_lockfile",
            hint="install skills first (the `install` tool, or `tank install`)",
        )
    skills = select(lock.skills, names)
    cache = ContentCache(cache_dir())
    manifest = parse_project(read_manifest_bytes(paths, create=True), paths)
    routes = registry_map(project_registries=manifest.registries)
    require = manifest.audit is not None and manifest.audit.require_signing is True
    trust = TrustLayers(cache, routes.for_name, require_signing=require)
    reports = verify_skills(paths, cache, read_state(paths.state), skills, trust.layers)
    summary = summarize(reports)
    return {
        "ok": summary["failed"] == 0,
        "skills": [r.to_json() for r in reports],
        "summary": summary,
    }


def run(
    paths: ProjectPaths, name: str, inputs: Any, args: Sequence[str], timeout: float
) -> dict[str, Any]:
    """``tank run NAME --inputs JSON --json`` for a skill installed in the project: always in
    the sandbox, the skill's output captured (never mixed with the MCP stream).

    ``inputs`` is :data:`NO_INPUTS` to send nothing on the skill's standard input. The
    record is the one ``--json`` prints, with ``ok`` added (exit 0 and a valid output).
    """
    from tank.runtime import runs
    from tank.runtime.mcp_support import run_installed

    if runs.is_folder_spec(name):
        raise UsageError(
            f"{name!r} is a folder: through MCP only installed skills run",
            code="mcp.run_folder",
            hint="name an installed skill (the `resources/list` of this server lists them)",
        )
    wanted = runs.NO_INPUTS if inputs is NO_INPUTS else inputs
    done = run_installed(paths, name, wanted, args, timeout)
    record = done.to_json()
    record["stderr"] = done.result.stderr.decode("utf-8", "replace")[-4000:] if done.result else ""
    record["ok"] = done.exit_code == 0 and not done.problems
    return record
