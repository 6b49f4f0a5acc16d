"""Claude Code plugin marketplaces served by the registry.

``GET /v1/marketplace/@scope/.claude-plugin/marketplace.json`` lists the public skills of a
scope; ``GET /v1/marketplace/curated/.claude-plugin/marketplace.json`` the skills named in the
``marketplace_curated`` setting. Each skill is one plugin whose ``source`` is a git URL on the
registry itself (``{"source": "url", "url": ".../v1/marketplace/@scope/name.git"}``): a
marketplace added by URL gives Claude Code only the JSON, and a git URL is the one remote
source it can fetch from any host (``github`` needs GitHub, ``npm`` an npm registry). Behind
that URL the registry answers git's smart HTTP protocol with a one-commit repository holding
the plugin layout (:mod:`tank.core.agentplugin`) of the skill's listed version.

Only what Tank would install without a second thought is listed: the latest version, and
only if its verdict is ``pass`` or ``pass_with_notes`` (not flagged, not quarantined) and it
is neither yanked nor unpublished. A skill that is not listed has no repository either.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from tank.core.agentplugin import manifest_document, plugin_files
from tank.core.gitpack import Repository, build_repository
from tank.core.unpack import files_of, read_archive
from tank.server.context import Registry
from tank.server.db.models import Skill, SkillVersion
from tank.server.errors import NotFound
from tank.server.services.blobs import stored_tarball
from tank.server.services.skills import full_name

#: Verdicts a listed version may have.
LISTED_VERDICTS = ("pass", "pass_with_notes")
#: The curated marketplace's path segment (scopes always come with their '@').
CURATED = "curated"


def _listed(session: Session, *where: ColumnElement[bool]) -> list[tuple[Skill, SkillVersion]]:
    """Public skills matching ``where`` with their latest version, when that version may be
    listed; one query, by name."""
    rows = session.execute(
        select(Skill, SkillVersion)
        .join(
            SkillVersion,
            (SkillVersion.skill_id == Skill.id) & (SkillVersion.version == Skill.latest_version),
        )
        .where(
            Skill.private.is_(False),
            SkillVersion.deleted_at.is_(None),
            SkillVersion.yanked.is_(False),
            SkillVersion.verdict.in_(LISTED_VERDICTS),
            *where,
        )
        .order_by(Skill.name)
    )
    return [(skill, row) for skill, row in rows.tuples()]


def _short(skill: Skill) -> str:
    return skill.name.split("/", 1)[1]


def _market_name(text: str) -> str:
    return "tank-" + (re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "registry")


def repository_url(base_url: str, skill_name: str) -> str:
    """Where Claude Code clones the plugin of ``@scope/name``."""
    scope, short = skill_name.split("/", 1)
    return f"{base_url.rstrip('/')}/v1/marketplace/{scope}/{short}.git"


def _document(
    name: str, owner: str, description: str, rows: list[tuple[Skill, SkillVersion]], base: str
) -> dict[str, Any]:
    plugins = []
    for skill, row in rows:
        manifest = row.manifest
        entry: dict[str, Any] = {
            "name": _short(skill),
            "source": {"source": "url", "url": repository_url(base, skill.name)},
            "description": row.description,
            "version": row.version,
            "author": {"name": f"@{skill.scope}"},
        }
        for key in ("license", "homepage"):
            if isinstance(manifest.get(key), str):
                entry[key] = manifest[key]
        keywords = manifest.get("keywords")
        if isinstance(keywords, list) and all(isinstance(k, str) for k in keywords):
            entry["keywords"] = keywords
        plugins.append(entry)
    return {
        "name": name,
        "owner": {"name": owner},
        "metadata": {"description": description},
        "plugins": plugins,
    }


def scope_marketplace(session: Session, scope: str, base_url: str) -> dict[str, Any]:
    """The marketplace.json of every listed public skill of ``scope`` (``@acme``)."""
    scope = "@" + scope.lstrip("@")
    rows = _listed(session, Skill.scope == scope.lstrip("@"))
    return _document(
        _market_name(scope), scope, f"Skills of {scope} on this Tank registry", rows, base_url
    )


def curated_marketplace(session: Session, names: Iterable[str], base_url: str) -> dict[str, Any]:
    """The marketplace.json of the skills named in the ``marketplace_curated`` setting."""
    rows = _listed(session, Skill.name.in_(sorted(set(names))))
    return _document("tank-curated", "Tank registry", "Curated skills", rows, base_url)


def plugin_repository(session: Session, reg: Registry, scope: str, short: str) -> Repository:
    """The one-commit repository of a listed skill's plugin; 404 for anything not listed."""
    name = full_name(scope, short)
    listed = _listed(session, Skill.name == name)
    if not listed:
        raise NotFound(
            f"no listed plugin {name}",
            code="plugin_not_found",
            hint="only public skills whose latest version passed the scan are listed; "
            f"see /v1/marketplace/{name.split('/')[0]}/.claude-plugin/marketplace.json",
        )
    skill, row = listed[0]
    files = files_of(read_archive(stored_tarball(reg, name, row.version, row.blob_key)))
    manifest = manifest_document(
        _short(skill),
        row.version,
        row.description,
        {**row.manifest, "author": {"name": f"@{skill.scope}"}},
    )
    layout = plugin_files(manifest, {_short(skill): files})
    return build_repository(
        ((path, *entry) for path, entry in sorted(layout.items())),
        f"{name}@{row.version}\n\nintegrity: {row.integrity}",
    )
