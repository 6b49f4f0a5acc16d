"""``tank diff``'s I/O: ask the registry for the diff of two versions, or diff a local folder
against the highest published version before publishing it.

The local diff is computed here with the same core functions the registry uses
(:func:`tank.core.versiondiff.version_diff`), so both answer the same document. The
published tarball is downloaded through :meth:`RegistryClient.tarball`, which verifies its
integrity, and unpacked with the bounded :func:`~tank.core.unpack.read_archive`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from tank.client.answers import json_of
from tank.client.config import RegistryMap
from tank.client.errors import NotFoundError
from tank.client.http import RegistryClient, skill_path
from tank.client.publishing import plan_publish
from tank.client.registries import Registries
from tank.core.errors import TankError, UsageError
from tank.core.semver import Version, parse_version
from tank.core.unpack import files_of, read_archive
from tank.core.versiondiff import manifest_of, version_diff

__all__ = ["diff_local", "fetch_diff", "highest_published", "two_newest"]


def fetch_diff(client: RegistryClient, name: str, v1: str, v2: str) -> dict[str, Any]:
    """``GET /v1/skills/{name}/diff/{v1}/{v2}``: the registry's diff document."""
    path = f"{skill_path(name)}/diff/{quote(v1, safe='')}/{quote(v2, safe='')}"
    return json_of(client.request("GET", path), f"the diff of {name} {v1}..{v2}")


def two_newest(client: RegistryClient, name: str) -> tuple[str, str]:
    """The two newest downloadable versions of ``name`` (older first): ``tank diff NAME``."""
    found = _downloadable(client.skill_document(name, revalidate=True))
    if len(found) < 2:
        raise UsageError(
            f"{name} has {len(found)} downloadable version{'s' if len(found) != 1 else ''}: "
            "nothing to compare",
            code="nothing_to_compare",
            hint=f"`tank info {name}` lists its versions; `tank diff ./folder` compares an "
            "unpublished folder with it",
        )
    older, newer = sorted(found)[-2:]
    return str(older), str(newer)


def _downloadable(document: dict[str, Any]) -> list[Version]:
    """The versions in a skill document that are neither unpublished nor failed."""
    versions = document.get("versions")
    if not isinstance(versions, dict):
        return []
    found: list[Version] = []
    for text, entry in versions.items():
        if not isinstance(entry, dict) or entry.get("deleted") or entry.get("verdict") == "fail":
            continue
        try:
            found.append(parse_version(str(text)))
        except TankError:
            continue
    return found


def highest_published(document: dict[str, Any], below: Version | None = None) -> str | None:
    """The version a local folder is compared with: the highest downloadable version (not
    unpublished, not failed) of a lower release than ``below`` — the one the publish gate
    will compare with — else the highest downloadable version; None when there is none."""
    found = _downloadable(document)
    lower = [v for v in found if below is not None and v.release < below.release]
    pool = lower or found
    return str(max(pool)) if pool else None


def diff_local(directory: Path, routes: RegistryMap) -> dict[str, Any]:
    """The diff from the published version of the skill in ``directory`` (see
    :func:`highest_published`) to the folder.

    The folder is validated strictly and packed canonically, exactly as ``tank publish``
    would send it. Raises :class:`NotFoundError` when nothing is published yet.
    """
    plan = plan_publish(directory, routes=routes)
    new_files = files_of(read_archive(plan.data))
    package = plan.skill.package
    assert package is not None and package.manifest is not None  # plan_publish validated it
    with Registries(routes) as registries:
        client = registries.for_name(plan.name)
        document = client.skill_document(plan.name, revalidate=True)
        published = highest_published(document, parse_version(plan.version))
        if published is None:
            raise NotFoundError(
                f"{plan.name} has no published version to compare with",
                status=404,
                code="nothing_published",
                hint="this will be the first version: `tank publish` checks no bump for it",
            )
        detail = client.version_document(plan.name, published)
        data = client.tarball(
            str(detail.get("tarball")),
            str(detail.get("integrity")),
            subject=f"{plan.name}@{published}",
        )
    old_files = files_of(read_archive(data))
    old_manifest = manifest_of(detail.get("manifest"), label=f"{plan.name}@{published}")
    return version_diff(
        plan.name, published, plan.version, old_manifest, package.manifest, old_files, new_files
    )
