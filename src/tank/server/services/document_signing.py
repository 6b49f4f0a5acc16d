"""The registry's signature over each skill document it serves (:mod:`tank.core.signed_documents`).

``GET /v1/skills/{scope}/{name}`` answers the pre-serialised document with a
``Tank-Document-Signature`` header: a DSSE envelope, by the registry's active key, over the
body's SHA-256, the skill's document serial (``skills.document_serial``, one more with every
rebuild) and a validity window of ``document_signature_lifetime_seconds`` (24 h by default).

Signing is not free on the hottest read, so signatures are kept per process, by
(skill, ETag, serial, key, lifetime), and re-made once half the lifetime has passed: a client
never receives a signature with less than half its life left, and the cost is one Ed25519
signature per document per half-lifetime per worker. The active key is looked up again every
:data:`KEY_RECHECK_SECONDS`, so a rotation reaches every worker within that time. A 304 carries
the header too: a client revalidating an unchanged document gets a fresh expiry with no body.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from tank.core.signed_documents import encode_header, sign_document
from tank.core.signing import Signer
from tank.server.context import Registry
from tank.server.db.engine import write_session
from tank.server.services import registry_keys
from tank.server.services.hot import Document

KEY_RECHECK_SECONDS = 30.0
#: Signatures kept per process (a bound: past it the cache starts again, costing re-signs).
MAX_CACHED = 50_000

_lock = threading.Lock()
_signatures: dict[tuple[str, str, int, str, int], tuple[str, float]] = {}
#: The active signer per database (one process may serve several registries: the tests).
_active: dict[str, tuple[Signer, float]] = {}


def _signer(reg: Registry, session: Session) -> Signer:
    found = _active.get(reg.settings.database_url)
    if found is not None and time.monotonic() < found[1]:
        return found[0]
    signer = registry_keys.current_signer(session, reg.settings)
    if signer is None:  # a registry that never signed anything yet: make its first key
        with write_session(reg.sessions) as writer:
            signer = registry_keys.active_signer(writer, reg.settings)
    _active[reg.settings.database_url] = (signer, time.monotonic() + KEY_RECHECK_SECONDS)
    return signer


def signature_header(reg: Registry, session: Session, doc: Document) -> str:
    """The ``Tank-Document-Signature`` value for ``doc`` (cached; re-signed past half-life)."""
    signer = _signer(reg, session)
    lifetime = reg.settings.document_signature_lifetime_seconds
    key = (doc.name, doc.etag, doc.serial, signer.public.keyid, lifetime)
    now = datetime.now(UTC)
    with _lock:
        found = _signatures.get(key)
    if found is not None and now.timestamp() < found[1]:
        return found[0]
    envelope = sign_document(
        signer, doc.name, doc.serial, doc.body, now=now, lifetime=timedelta(seconds=lifetime)
    )
    header = encode_header(envelope)
    with _lock:
        if len(_signatures) >= MAX_CACHED:
            _signatures.clear()
        _signatures[key] = (header, now.timestamp() + lifetime / 2)
    return header
