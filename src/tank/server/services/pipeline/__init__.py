"""The publish pipeline as a sequence of named stages.

``validate → sign → analyze → behaviour → permissions → score`` (``behaviour`` does
nothing unless the registry's behaviour check is on) run on the upload in memory, without the
database (the publisher's keys are read beforehand and handed in); ``store`` (in
:mod:`tank.server.services.publish`) writes the blob and the metadata. Each stage is a plain
function ``(Candidate) -> None`` that fills in its part of the :class:`Candidate` or raises a
:class:`~tank.core.errors.TankError`; :func:`run_stages` names the failing stage in the
error's ``detail`` so a publisher knows which check refused them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from tank.core.errors import TankError
from tank.core.signing import PublicKey
from tank.server.services.pipeline.candidate import (
    Candidate,
    Options,
    TrustedLookup,
    Upload,
    no_trusted_publishers,
)
from tank.server.services.pipeline.scan import ScanFailed
from tank.server.services.pipeline.stages import (
    analyze,
    check_behaviour,
    finish_score,
    permissions,
    score,
    sign,
    validate,
)

Stage = tuple[str, Callable[[Candidate], None]]

#: The in-memory stages, in order. ``store`` follows them in the publish service.
STAGES: tuple[Stage, ...] = (
    ("validate", validate),
    ("sign", sign),
    ("analyze", analyze),
    ("behaviour", check_behaviour),
    ("permissions", permissions),
    ("score", score),
)


def run_stages(
    upload: Upload,
    stages: Sequence[Stage] = STAGES,
    options: Options | None = None,
    *,
    publisher_keys: Sequence[PublicKey] = (),
    revoked_keyids: frozenset[str] = frozenset(),
    trusted_for: TrustedLookup = no_trusted_publishers,
) -> Candidate:
    """Run ``stages`` on ``upload``; the first refusal propagates with its stage named.

    ``publisher_keys`` are the publisher's registered, unrevoked keys, ``revoked_keyids``
    the fingerprints of their revoked ones, ``trusted_for`` the skill's trusted publishers
    by name (all for ``sign``).
    """
    candidate = Candidate(
        upload, options or Options(), tuple(publisher_keys), revoked_keyids, trusted_for
    )
    for name, stage in stages:
        try:
            stage(candidate)
        except TankError as error:
            error.detail = f"stage {name}: {error.detail}" if error.detail else f"stage {name}"
            raise
    return candidate


__all__ = [
    "STAGES",
    "Candidate",
    "Options",
    "ScanFailed",
    "Stage",
    "TrustedLookup",
    "Upload",
    "finish_score",
    "run_stages",
]
