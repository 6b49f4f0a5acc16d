"""Build the CycloneDX 1.6 SBOM of a skill version, deterministically.

The document describes, with cyclonedx-python-lib:

- ``metadata.component``: the skill (type ``application``; ``group`` = scope, ``name``;
  purl ``pkg:generic/%40scope/name@version``, the npm-style spelling of a scoped name since
  there is no purl type for skills), the archive's integrity as a hash, and the declared
  permissions as properties ``tank:permission:<key>`` (one per entry:
  ``tank:permission:network.outbound`` = ``api.example.com``);
- one ``file`` component per archive file with its SHA-256 and SHA-512;
- one component per skill dependency: CycloneDX 1.6 has no ``versionRange`` on components
  (1.7 adds it, for external components only), so the range goes in properties:
  ``tank:versionRange`` (``vers`` syntax, ready for 1.7) and ``tank:spec`` (as written);
- one component per Python/npm package (purl ``pkg:pypi/...`` or ``pkg:npm/...``, with the
  version when pinned, else the range properties, ``tank:declaredIn`` naming the source);
- ``dependencies``: the skill depends on its skills and packages;
- BOM properties ``tank:sbom.complete`` and one ``tank:sbom.gap`` per gap.

Determinism: the serial number is a UUIDv5 of the integrity (or, without one, of the file
digests and manifest), the timestamp is ``published_at`` or absent, every list is sorted, and
:meth:`~tank.core.sbom.model.Sbom.to_json` sorts keys. The same input gives the same bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import uuid
import warnings
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from cyclonedx.exception import CycloneDxException
from cyclonedx.model import (
    ExternalReference,
    ExternalReferenceType,
    HashAlgorithm,
    HashType,
    Property,
    XsUri,
)
from cyclonedx.model.bom import Bom, BomMetaData
from cyclonedx.model.component import Component, ComponentScope, ComponentType
from cyclonedx.model.license import LicenseExpression
from cyclonedx.output.json import JsonV1Dot6
from packageurl import PackageURL
from packaging.requirements import InvalidRequirement, Requirement

from tank.core.errors import ValidationError
from tank.core.integrity import parse_sri
from tank.core.manifest_model import Manifest
from tank.core.sbom.model import PYPI, PackageRef, Sbom
from tank.core.sbom.requirements import required_packages
from tank.core.sbom.vers import npm_vers, pypi_vers

__all__ = ["SBOM_REVISION", "SERIAL_NAMESPACE", "SPEC_VERSION", "build_sbom", "serial_number"]

SPEC_VERSION = "1.6"
#: Bumped whenever the same input would give different bytes (caches key on it).
SBOM_REVISION = 1
#: Namespace of the serial numbers (uuid5) Tank derives for SBOMs.
SERIAL_NAMESPACE = uuid.UUID("6b1f3c1e-6e1a-5d43-9a54-7a2e2f5c0b16")
_SRI_ALGORITHMS = {
    "sha256": HashAlgorithm.SHA_256,
    "sha384": HashAlgorithm.SHA_384,
    "sha512": HashAlgorithm.SHA_512,
}


def _split(name: str) -> tuple[str | None, str]:
    """``@scope/name`` -> (``@scope``, ``name``); an unscoped name has no group."""
    if name.startswith("@") and "/" in name:
        scope, short = name.split("/", 1)
        return scope, short
    return None, name


def _flatten(value: Any, key: str) -> Iterator[Property]:
    """One property per permission entry: nested keys joined with dots, one per list item."""
    if isinstance(value, dict):
        for sub in sorted(value):
            yield from _flatten(value[sub], f"{key}.{sub}")
    elif isinstance(value, list):
        for item in value:
            yield from _flatten(item, key)
    elif isinstance(value, bool):
        yield Property(name=f"tank:permission:{key}", value="true" if value else "false")
    else:
        yield Property(name=f"tank:permission:{key}", value=str(value))


def permission_properties(permissions: Mapping[str, Any]) -> list[Property]:
    """The ``tank:permission:<key>`` properties of a permissions JSON object."""
    out: list[Property] = []
    for key in sorted(permissions):
        out.extend(_flatten(permissions[key], key))
    return out


def serial_number(
    files: Mapping[str, bytes], manifest: Manifest, integrity: str | None
) -> uuid.UUID:
    """A UUIDv5 naming this SBOM: of the integrity, or of the file digests and manifest."""
    if integrity:
        return uuid.uuid5(SERIAL_NAMESPACE, integrity)
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(f"{path}\0{hashlib.sha256(files[path]).hexdigest()}\n".encode())
    digest.update(json.dumps(manifest.raw, sort_keys=True).encode())
    return uuid.uuid5(SERIAL_NAMESPACE, f"content:{digest.hexdigest()}")


def _skill(manifest: Manifest, integrity: str | None) -> Component:
    name, version = manifest.name, manifest.version
    if not name or version is None:
        raise ValidationError(
            "an SBOM needs a skill package: skills.json has no name or no version",
            code="sbom.manifest_incomplete",
            hint='Add "name": "@scope/name" and "version": "1.0.0" to skills.json.',
        )
    group, short = _split(name)
    purl = PackageURL(type="generic", namespace=group, name=short, version=str(version))
    hashes = []
    if integrity:
        algorithm, digest = parse_sri(integrity)
        hashes.append(HashType(alg=_SRI_ALGORITHMS[algorithm], content=digest.hex()))
    component = Component(
        type=ComponentType.APPLICATION,
        group=group,
        name=short,
        version=str(version),
        description=manifest.description,
        bom_ref=purl.to_string(),
        purl=purl,
        hashes=hashes,
        properties=permission_properties(manifest.permissions.to_json()),
    )
    if manifest.license:
        component.licenses.add(LicenseExpression(manifest.license))
    if manifest.repository:
        # Not a URI: the manifest keeps it; the SBOM omits it rather than fail.
        with contextlib.suppress(CycloneDxException, ValueError):
            component.external_references.add(
                ExternalReference(type=ExternalReferenceType.VCS, url=XsUri(manifest.repository))
            )
    return component


def _file(path: str, data: bytes) -> Component:
    return Component(
        type=ComponentType.FILE,
        name=path,
        bom_ref=f"file:{path}",
        hashes=[
            HashType(alg=HashAlgorithm.SHA_256, content=hashlib.sha256(data).hexdigest()),
            HashType(alg=HashAlgorithm.SHA_512, content=hashlib.sha512(data).hexdigest()),
        ],
    )


def _range_properties(spec: str, vers: str | None) -> list[Property]:
    out = [Property(name="tank:spec", value=spec)] if spec else []
    if vers:
        out.append(Property(name="tank:versionRange", value=vers))
    return out


def _skill_dependency(name: str, spec: str) -> Component:
    group, short = _split(name)
    purl = PackageURL(type="generic", namespace=group, name=short)
    return Component(
        type=ComponentType.LIBRARY,
        group=group,
        name=short,
        bom_ref=f"skill:{name}",
        purl=purl,
        scope=ComponentScope.REQUIRED,
        properties=[
            Property(name="tank:kind", value="skill"),
            *_range_properties(spec, npm_vers("semver", spec)),
        ],
    )


def _package_components(packages: Iterable[PackageRef]) -> list[Component]:
    """One component per package and pinned version (per package when none is pinned)."""
    grouped: dict[tuple[str, str], list[PackageRef]] = {}
    for ref in packages:
        grouped.setdefault((ref.ecosystem, ref.name), []).append(ref)
    out: list[Component] = []
    for (ecosystem, name), refs in sorted(grouped.items()):
        versions = sorted({ref.version for ref in refs if ref.version is not None})
        purl_type = "pypi" if ecosystem == PYPI else "npm"
        group, short = (None, name) if ecosystem == PYPI else _split(name)
        properties = [Property(name="tank:declaredIn", value=s) for s in {r.source for r in refs}]
        specs = sorted({ref.spec for ref in refs if ref.spec})
        if not specs:
            properties.append(Property(name="tank:declared", value="false"))
        for spec in specs:
            vers = pypi_vers(_specifier_of(spec)) if ecosystem == PYPI else npm_vers("npm", spec)
            properties.extend(_range_properties(spec, None if versions else vers))
        pinned: list[str | None] = list(versions) or [None]
        for version in pinned:
            purl = PackageURL(type=purl_type, namespace=group, name=short, version=version)
            out.append(
                Component(
                    type=ComponentType.LIBRARY,
                    group=group,
                    name=short,
                    version=version,
                    bom_ref=purl.to_string(),
                    purl=purl,
                    scope=ComponentScope.REQUIRED,
                    properties=properties,
                )
            )
    return out


def _specifier_of(requirement: str) -> str:
    """The specifier part of a requirement as written (``requests[x]>=2 ; m`` -> ``>=2``)."""
    try:
        return str(Requirement(requirement).specifier)
    except InvalidRequirement:
        return "==invalid"


def build_sbom(
    files: Mapping[str, bytes],
    manifest: Manifest,
    *,
    integrity: str | None = None,
    published_at: datetime | None = None,
) -> Sbom:
    """The SBOM of a skill whose archive holds ``files`` (path -> bytes, as published).

    ``integrity`` is the archive's SRI string (becomes a hash of the skill and seeds the serial
    number); ``published_at`` becomes the timestamp (none when not given). Raises
    :class:`~tank.core.errors.ValidationError` when the manifest has no name or version.
    """
    packages, gaps = required_packages(files)
    root = _skill(manifest, integrity)
    file_components = [_file(path, files[path]) for path in sorted(files)]
    skills = [_skill_dependency(n, r.raw) for n, r in sorted(manifest.skills.items())]
    libraries = _package_components(packages)
    metadata = BomMetaData(component=root)
    if published_at is not None:
        stamp = published_at if published_at.tzinfo else published_at.replace(tzinfo=UTC)
        metadata.timestamp = stamp.astimezone(UTC)
    bom = Bom(
        serial_number=serial_number(files, manifest, integrity),
        metadata=metadata,
        components=[*file_components, *skills, *libraries],
        properties=[
            Property(name="tank:sbom.complete", value="false" if gaps else "true"),
            *(Property(name="tank:sbom.gap", value=gap) for gap in gaps),
        ],
    )
    bom.register_dependency(root, [*skills, *libraries])
    with warnings.catch_warnings():
        # The library warns when the skill depends on nothing; that is a fact, not a gap.
        warnings.simplefilter("ignore", UserWarning)
        document: dict[str, Any] = json.loads(JsonV1Dot6(bom).output_as_string())
    if published_at is None:
        document["metadata"].pop("timestamp", None)
    return Sbom(document=document, packages=packages, complete=not gaps, gaps=gaps)
