"""Whether each locked version is still served: one bulk request per registry.

Before an install links anything, every locked registry version is checked against what the
registry says now (a rescan may have quarantined it, its publisher may have unpublished it).
``POST /v1/status`` answers up to :data:`BATCH` versions at once; a registry without the
route (an older one answers 404 or 405) is checked the old way, one skill document each
(:func:`tank.client.audit.current_documents`), by the caller. Network and other registry
errors propagate: the check fails closed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tank.client.audit import Document, is_local, number, version_summary
from tank.client.errors import RegistryError
from tank.client.registries import Registries
from tank.core import boundedjson
from tank.core.lockfile import LockedSkill

#: The most versions the registry answers per request.
BATCH = 1000
#: Statuses of a registry without ``POST /v1/status``.
MISSING_ROUTE = (404, 405)


@dataclass(frozen=True, slots=True)
class VersionStatus:
    """What the registry says now about one ``name@version``."""

    verdict: str | None
    audit_score: float | None
    servable: bool
    yanked: bool = False
    deleted: bool = False
    #: Who published it, and the DSSE envelope they signed it with (None: unsigned) and its
    #: key's fingerprint, as the registry serves them: unverified until
    #: :mod:`tank.client.signatures` checks them.
    publisher: str | None = None
    signature: Mapping[str, Any] | None = None
    signer: str | None = None
    #: For a version signed with a Sigstore bundle (no envelope): ``{"signer", "identity",
    #: "digest"}`` as the registry verified it at publish.
    sigstore: Mapping[str, Any] | None = None

    @property
    def reason(self) -> str:
        """Why the version is not served (empty when it is)."""
        if self.servable:
            return ""
        if self.deleted:
            return "was unpublished and is no longer served"
        return "the registry marks this version fail and no longer serves it"


#: ``name@version`` → its status, ``None`` when the registry does not know it (or it is
#: private and the caller may not read it: the registry answers both alike).
Statuses = dict[str, VersionStatus | None]


def yanked(statuses: Statuses) -> tuple[str, ...]:
    """The ``name@version``s their publisher yanked (still served: PEP 592 semantics)."""
    return tuple(sorted(key for key, found in statuses.items() if found and found.yanked))


def parse_status(raw: object) -> VersionStatus | None:
    """One answer entry (``None`` for null; a malformed entry reads as not servable)."""
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        return VersionStatus(None, None, servable=False)
    verdict = raw.get("verdict")
    return VersionStatus(
        verdict=verdict if isinstance(verdict, str) else None,
        audit_score=number(raw.get("audit_score")),
        servable=raw.get("servable") is True and verdict != "fail",
        yanked=raw.get("yanked") is True,
        deleted=raw.get("deleted") is True,
        **_signature(raw),
    )


def _signature(raw: Mapping[str, Any]) -> dict[str, Any]:
    publisher, signature, signer = raw.get("publisher"), raw.get("signature"), raw.get("signer")
    sigstore = raw.get("sigstore")
    return {
        "publisher": publisher if isinstance(publisher, str) else None,
        # A malformed envelope is kept as it is: verifying it fails (closed), never "unsigned".
        "signature": signature
        if isinstance(signature, Mapping) or signature is None
        else {"malformed": True},
        "signer": signer if isinstance(signer, str) else None,
        # Like a malformed envelope, a malformed record is kept: it fails closed later.
        "sigstore": sigstore
        if isinstance(sigstore, Mapping) or sigstore is None
        else {"malformed": True},
    }


def from_documents(
    skills: Iterable[LockedSkill], documents: Mapping[str, Document | None]
) -> Statuses:
    """The statuses the skill documents imply (documents already fetched, or the fallback
    for a registry without the bulk route); a version the document does not list is None."""
    out: Statuses = {}
    for skill in skills:
        summary = version_summary(documents.get(skill.name), skill.version)
        if not summary:
            out[skill.key] = None
            continue
        verdict = summary.get("verdict")
        deleted = bool(summary.get("deleted"))
        out[skill.key] = VersionStatus(
            verdict=verdict if isinstance(verdict, str) else None,
            audit_score=number(summary.get("audit_score")),
            servable=not deleted and verdict != "fail",
            yanked=bool(summary.get("yanked")),
            deleted=deleted,
            **_signature(summary),
        )
    return out


def bulk_statuses(
    registries: Registries, skills: Iterable[LockedSkill]
) -> tuple[Statuses, list[LockedSkill]]:
    """The registry skills' statuses, one ``POST /v1/status`` per registry per :data:`BATCH`;
    and the skills whose registry lacks the route (to check by their documents)."""
    groups: dict[str, list[LockedSkill]] = {}
    for skill in skills:
        if not is_local(skill):
            groups.setdefault(registries.routes.for_name(skill.name), []).append(skill)
    found: Statuses = {}
    unsupported: list[LockedSkill] = []
    for url, group in groups.items():
        client = registries.client(url)
        for start in range(0, len(group), BATCH):
            batch = group[start : start + BATCH]
            keys = [s.key for s in batch]
            response = client.request(
                "POST", "/v1/status", json={"versions": keys}, ok=(200, *MISSING_ROUTE)
            )
            if response.status_code in MISSING_ROUTE:
                unsupported.extend(group)
                break
            try:
                body = boundedjson.loads(response.content, max_bytes=boundedjson.DOCUMENT_MAX_BYTES)
            except ValueError:
                body = None
            found.update(_answers(keys, body, client.base_url))
    return found, unsupported


def _answers(keys: list[str], body: object, base_url: str) -> Statuses:
    versions = body.get("versions") if isinstance(body, Mapping) else None
    if not isinstance(versions, Mapping):
        raise RegistryError(
            f"the registry at {base_url} sent a malformed POST /v1/status answer",
            status=200,
            code="bad_status_answer",
            hint="check the registry URL (`tank config get registry`); is it a Tank registry?",
        )
    # A key the answer leaves out reads as unknown: refused, never silently allowed.
    return {key: parse_status(versions.get(key)) for key in keys}
