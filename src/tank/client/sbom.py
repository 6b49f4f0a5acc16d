"""Fetch a published version's SBOM (``GET .../{version}/sbom``) from its registry."""

from __future__ import annotations

from urllib.parse import quote

from tank.client.errors import RegistryError
from tank.client.http import RegistryClient, skill_path
from tank.core import boundedjson

__all__ = ["fetch_sbom"]


def fetch_sbom(client: RegistryClient, name: str, version: str) -> bytes:
    """The CycloneDX JSON bytes of ``name@version`` exactly as the registry serves them.

    Raises the client's registry errors (404 unknown or private, 410 unpublished, 451 failed
    scan) and :class:`RegistryError` when the answer is not a CycloneDX document.
    """
    response = client.request("GET", f"{skill_path(name)}/{quote(version, safe='')}/sbom")
    data = response.content
    try:
        document = boundedjson.loads(data, max_bytes=boundedjson.DOCUMENT_MAX_BYTES)
    except ValueError:
        document = None
    if not isinstance(document, dict) or document.get("bomFormat") != "CycloneDX":
        raise RegistryError(
            f"the registry's answer for the SBOM of {name}@{version} is not a CycloneDX document",
            status=response.status_code,
            code="bad_sbom",
            hint="the registry may be too old to serve SBOMs; upgrade it",
        )
    return data
