"""The install policies: quarantined versions, ``audit.min_score`` and the permission budget.

Each check refuses the whole install before anything is linked, listing every offender
with what to do about it. Skills installed from disk (``file:``) are the project's own code:
they have no registry verdict or score and are exempt from the first two checks (the
budget applies to them like to any skill).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace

from tank.client.audit import (
    Document,
    ScoreItem,
    breakdown_items,
    is_local,
    number,
    number_text,
    version_summary,
)
from tank.client.errors import AuditPolicyError
from tank.client.status import VersionStatus
from tank.core.errors import PermissionBudgetError, Problem
from tank.core.lockfile import LockedSkill, Lockfile
from tank.core.manifest import Manifest
from tank.core.manifest_model import with_widened_permissions
from tank.core.permissions import BudgetViolation, check_budget
from tank.core.permissions.budget import widen


def quarantined(
    lock: Lockfile,
    documents: Mapping[str, Document | None],
    statuses: Mapping[str, VersionStatus | None] | None = None,
) -> list[LockedSkill]:
    """Locked registry versions that may not be installed: failed their scan, as skills.lock
    recorded it or as the registry's current document says (a later rescan); and, when the
    registry's ``statuses`` (by ``name@version``) are given, no longer served (unpublished) or
    unknown to it (gone, or private to others: the registry answers both alike)."""
    return [s for s in lock.skills if _refusal(s, documents, statuses)]


_FAILED = "the registry marks this version fail and no longer serves it"


def _refusal(
    skill: LockedSkill,
    documents: Mapping[str, Document | None],
    statuses: Mapping[str, VersionStatus | None] | None,
) -> str | None:
    """Why ``skill`` may not be installed now (None: it may)."""
    if is_local(skill):
        return None
    summary = version_summary(documents.get(skill.name), skill.version)
    if skill.meta.verdict == "fail" or summary.get("verdict") == "fail":
        return _FAILED
    if statuses is None or skill.key not in statuses:
        return None
    now = statuses[skill.key]
    if now is None:
        return "the registry does not know this version (removed, or private to your token)"
    return now.reason or None


def refuse_quarantined(
    lock: Lockfile,
    documents: Mapping[str, Document | None],
    statuses: Mapping[str, VersionStatus | None] | None = None,
) -> None:
    """Refuse the install when a locked version is :func:`quarantined`."""
    bad = quarantined(lock, documents, statuses)
    if not bad:
        return
    reasons = {s.key: _refusal(s, documents, statuses) or _FAILED for s in bad}
    keys = ", ".join(s.key for s in bad)
    message = (
        f"{keys} failed the registry's security scan (quarantined); nothing was installed"
        if set(reasons.values()) == {_FAILED}
        else f"{keys} can no longer be installed (quarantined, unpublished or unknown to "
        "the registry); nothing was installed"
    )
    raise AuditPolicyError(
        message,
        code="quarantined",
        problems=[
            Problem(
                "quarantined",
                f"{s.key}: {reasons[s.key]}",
                hint=f"`tank audit {s.name}` shows its findings",
            )
            for s in bad
        ],
        hint="run `tank update NAME` to move to a version that passed, pin one in skills.json "
        "(`tank info NAME` lists them), or remove the skill",
    )


def current_score(
    skill: LockedSkill, statuses: Mapping[str, VersionStatus | None] | None = None
) -> float | None:
    """The registry's score for the locked version as it stands now (the status check's
    answer: rescans and reviews change it), else the one skills.lock recorded."""
    found = statuses.get(skill.key) if statuses else None
    if found is not None and found.audit_score is not None:
        return found.audit_score
    return skill.meta.audit_score


def below_minimum(
    lock: Lockfile, min_score: float, statuses: Mapping[str, VersionStatus | None] | None = None
) -> list[LockedSkill]:
    """Registry skills scoring under ``min_score`` now (:func:`current_score`; unscored
    counts as 0)."""
    return [
        s
        for s in lock.skills
        if not is_local(s) and (current_score(s, statuses) or 0.0) < min_score
    ]


def refuse_below_minimum(
    skills: Sequence[LockedSkill], min_score: float, details: Mapping[str, Document | None]
) -> None:
    """Refuse the install: one line per skill (its score and the items that miss points);
    each version's full breakdown rides on the error for ``-v`` and ``--json``."""
    if not skills:
        return
    problems = []
    breakdowns: dict[str, tuple[ScoreItem, ...]] = {}
    for skill in skills:
        detail = details.get(skill.key) or {}
        locked = skill.meta.audit_score
        now = number(detail.get("audit_score"))
        score = now if now is not None else locked
        items = breakdown_items(detail.get("score_breakdown"))
        breakdowns[skill.key] = items
        line = (
            f"{skill.key} scores {_score(score)}, below audit.min_score {number_text(min_score)}"
            + (" (unscored counts as 0)" if score is None else "")
            + f"; {_missing(items)}"
        )
        if locked is not None and locked != score:
            line += f"; skills.lock recorded {_score(locked)} when it was locked"
        problems.append(Problem("audit.min_score", line))
    count = len(skills)
    raise AuditPolicyError(
        f"{count} skill{' scores' if count == 1 else 's score'} below the project's "
        f"audit.min_score {number_text(min_score)}; nothing was installed",
        code="below_min_score",
        problems=problems,
        hint="pick another version (`tank info NAME` shows each version's score), or lower "
        "audit.min_score in skills.json if you accept the risk; skills installed from disk "
        "(file:) are exempt",
        breakdowns=breakdowns,
    )


def _missing(items: Sequence[ScoreItem]) -> str:
    """``missing 3 points: code_signing 0/1, community_reviews 0/2`` (the items short of
    their maximum), or why nothing can be said."""
    if not items:
        return "the registry sent no breakdown"
    short = [i for i in items if i.max is not None and (i.points or 0.0) < i.max]
    if not short:
        return "no item is short of its maximum"
    lost = sum((i.max or 0.0) - (i.points or 0.0) for i in short)
    return f"missing {number_text(lost)} point{'' if lost == 1 else 's'}: " + ", ".join(
        f"{i.name} {i.fraction}" for i in short
    )


def _score(value: float | None) -> str:
    return f"{value}/10" if value is not None else "unscored"


def settle_budget(
    manifest: Manifest,
    lock: Lockfile,
    ask: Callable[[Sequence[BudgetViolation]], bool] | None = None,
    *,
    record: bool = False,
) -> Manifest:
    """``manifest`` when every skill fits its budget; the manifest with the budget widened by
    exactly the violations when ``ask`` says yes; else raise :class:`PermissionBudgetError`
    listing every violation.

    A project with no ``permissions`` has no budget yet. With ``record`` (any install but a
    frozen one) the first one is set to exactly what the locked skills need, so it is
    enforced from the next change on (trust on first use, printed by the CLI); without it,
    nothing is checked (a frozen install installs the reviewed lockfile, and warns).
    """
    if "permissions" not in manifest.raw:
        if not record or not lock.skills:
            return manifest
        return with_widened_permissions(manifest, lock.resolved_permissions)
    perms = {s.key: s.meta.permissions for s in lock.skills}
    chains = required_by(lock, {*manifest.skills, *manifest.local})
    violations = [
        replace(v, required_by=chains.get(v.skill, ())) if v.skill in chains else v
        for v in check_budget(manifest.permissions, perms)
    ]
    if not violations:
        return manifest
    if ask is not None and ask(violations):
        widened = with_widened_permissions(manifest, widen(manifest.permissions, violations))
        remaining = check_budget(widened.permissions, perms)
        if not remaining:
            return widened
        violations = remaining
    raise budget_error(violations)


def required_by(lock: Lockfile, roots: Collection[str]) -> dict[str, tuple[str, ...]]:
    """For each locked dependency (by ``name@version``), the shortest chain of skills that
    pulled it in: its requirer first, ending at one of ``roots`` (the project's own skills).
    Skills in ``roots`` have no entry."""
    by_name = {s.name: s for s in lock.skills}
    chains: dict[str, tuple[str, ...]] = {}
    queue: deque[tuple[str, tuple[str, ...]]] = deque(
        (name, ()) for name in sorted(roots) if name in by_name
    )
    seen = {name for name, _ in queue}
    while queue:  # breadth first: the first chain found to a skill is a shortest one
        name, chain = queue.popleft()
        for dep, _ in by_name[name].dependencies:
            if dep in seen or dep not in by_name:
                continue
            seen.add(dep)
            found: tuple[str, ...] = (name, *chain)
            chains[by_name[dep].key] = found
            queue.append((dep, found))
    return chains


def exceed_text(count: int) -> str:
    """``1 permission exceeds the project's budget`` (and the plural), in one place."""
    if count == 1:
        return "1 permission exceeds the project's budget"
    return f"{count} permissions exceed the project's budget"


def budget_error(violations: Sequence[BudgetViolation]) -> PermissionBudgetError:
    """The error listing every budget violation, each with its fix."""
    count = len(violations)
    return PermissionBudgetError(
        f"{exceed_text(count)}; nothing was installed",
        problems=[
            Problem("permission_budget", str(v), location=None, hint=v.hint) for v in violations
        ],
        hint="widen `permissions` in skills.json only if you trust these skills, or remove them",
    )
