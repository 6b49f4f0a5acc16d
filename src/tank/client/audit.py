"""What the registry says about installed skills now, and the install policies built on it.

For each locked ``name@version`` the registry has two documents: the skill's document
(every version's verdict and score; ETag-cached, so revalidating it costs a 304) and the
version's document (score breakdown and findings). Verdicts change after publication: a
rescan can mark a version ``fail``, and the registry then stops serving it (quarantine).
A lockfile and a warm cache must not keep installing it, so every install that links
anything asks the registry about its locked versions (one ``POST /v1/status`` per registry,
:mod:`tank.client.status`; :func:`current_documents` for a registry without that route)
and :mod:`tank.client.policy` refuses a quarantined one.

Skills installed from disk (``file:``) have no registry and no score: they are scanned at
install (:mod:`tank.client.localscan`), exempt from both checks and shown as "local, not
audited", unless skills.lock records they were installed despite a failing scan
(``--unsafe-allow-failing``): then they count as failed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from tank.client.errors import NotFoundError
from tank.client.http import MetadataCache, skill_path
from tank.client.paths import cache_dir
from tank.client.registries import Registries
from tank.client.score_items import table_order
from tank.core.gitsource import is_git_resolved
from tank.core.lockfile import LockedSkill
from tank.core.manifest import LOCAL_PREFIX

WORKERS = 16
SEVERITIES = ("critical", "high", "medium", "low", "info")
#: Verdicts that make ``tank audit`` exit non-zero.
BAD_VERDICTS = frozenset({"fail", "flagged"})

Document = dict[str, Any]


@dataclass(frozen=True, slots=True)
class ScoreItem:
    """One line of a score breakdown: ``code_signing 0/1 signature not verified``."""

    name: str
    points: float | None
    max: float | None
    note: str

    def __str__(self) -> str:
        return f"{self.name} {self.fraction} {self.note}".rstrip()

    @property
    def fraction(self) -> str:
        """``points/max`` as the registry sent them (``1/1``, ``0.5/1``, ``?/1`` if missing)."""
        return f"{number_text(self.points)}/{number_text(self.max)}"


@dataclass(frozen=True, slots=True)
class Finding:
    """One finding of the registry's scan of a version."""

    severity: str
    rule: str
    file: str | None
    line: int | None
    message: str
    remediation: str | None

    @property
    def rank(self) -> int:
        """0 for critical … 4 for info, 5 for anything unknown: most severe sorts first."""
        return SEVERITIES.index(self.severity) if self.severity in SEVERITIES else 5

    def to_json(self) -> dict[str, Any]:
        """The JSON view (the registry's field names)."""
        return {
            "severity": self.severity,
            "rule": self.rule,
            "file": self.file,
            "line": self.line,
            "message": self.message,
            "remediation": self.remediation,
        }


@dataclass(frozen=True, slots=True)
class SkillAudit:
    """What is known about one installed ``name@version``.

    ``verdict`` and ``score`` are the registry's current ones; ``locked_score`` is the score
    skills.lock recorded. ``unavailable`` says why the registry could not describe the
    version (unpublished, private, unknown); ``local`` skills are not audited at all.
    """

    name: str
    version: str
    local: bool = False
    verdict: str | None = None
    score: float | None = None
    locked_score: float | None = None
    breakdown: tuple[ScoreItem, ...] = ()
    findings: tuple[Finding, ...] = ()
    unavailable: str | None = None
    yanked: bool = False  # its publisher yanked it (still served; ranges skip it)
    yank_reason: str | None = None
    #: A local skill installed despite a failing scan (``--unsafe-allow-failing``): its rules.
    unsafe_rules: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """``name@version``."""
        return f"{self.name}@{self.version}"

    def below(self, minimum: float | None) -> bool:
        """True when a minimum is set and the score is under it (unscored counts as 0)."""
        if self.local or minimum is None:
            return False
        return (self.score or 0.0) < minimum

    def to_json(self) -> dict[str, Any]:
        """The ``tank audit --json`` entry."""
        return {
            "name": self.name,
            "version": self.version,
            "local": self.local,
            "verdict": self.verdict,
            "audit_score": self.score,
            "locked_audit_score": self.locked_score,
            "score_breakdown": {
                i.name: {"points": i.points, "max": i.max, "note": i.note} for i in self.breakdown
            },
            "findings": [f.to_json() for f in self.findings],
            "unavailable": self.unavailable,
            "yanked": self.yanked,
            "yank_reason": self.yank_reason,
            "unsafe_override": list(self.unsafe_rules) if self.verdict == "fail" else None,
        }


@dataclass(frozen=True, slots=True)
class AuditSummary:
    """Totals over the audited skills and whether the audit passes."""

    skills: int
    audited: int
    lowest: SkillAudit | None
    flagged: tuple[str, ...]
    failed: tuple[str, ...]
    below_minimum: tuple[str, ...]
    unavailable: tuple[str, ...]
    min_score: float | None

    @property
    def ok(self) -> bool:
        """No skill failed, is flagged, scores below the minimum or could not be audited."""
        return not (self.flagged or self.failed or self.below_minimum or self.unavailable)

    def to_json(self) -> dict[str, Any]:
        """The ``summary`` object of ``tank audit --json``."""
        return {
            "skills": self.skills,
            "audited": self.audited,
            "lowest_score": self.lowest.score if self.lowest else None,
            "lowest": self.lowest.key if self.lowest else None,
            "flagged": list(self.flagged),
            "failed": list(self.failed),
            "below_min_score": list(self.below_minimum),
            "unavailable": list(self.unavailable),
            "min_score": self.min_score,
            "ok": self.ok,
        }


# ---------------------------------------------------------------------- reading documents


def is_local(skill: LockedSkill) -> bool:
    """True for a skill installed from disk (``file:``) or from git: no registry, no score."""
    return skill.meta.resolved.startswith(LOCAL_PREFIX) or is_git_resolved(skill.meta.resolved)


def version_summary(document: Mapping[str, Any] | None, version: object) -> dict[str, Any]:
    """The skill document's entry for ``version`` (``{}`` when missing or malformed)."""
    versions = document.get("versions") if isinstance(document, Mapping) else None
    entry = versions.get(str(version)) if isinstance(versions, Mapping) else None
    return dict(entry) if isinstance(entry, Mapping) else {}


def number(value: object) -> float | None:
    """``value`` as a float when it is a JSON number (not a bool), else ``None``."""
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def number_text(value: float | None) -> str:
    """``1`` for 1.0, ``0.5`` for 0.5, ``?`` for unknown."""
    return "?" if value is None else f"{value:g}"


def breakdown_items(raw: object) -> tuple[ScoreItem, ...]:
    """A registry ``score_breakdown`` ({item: {points, max, note}}) as items, read leniently,
    in the score table's order (:func:`~tank.client.score_items.table_order`)."""
    if not isinstance(raw, Mapping):
        return ()
    items = {str(k): v for k, v in raw.items() if isinstance(v, Mapping)}
    return tuple(
        ScoreItem(k, number(v.get("points")), number(v.get("max")), _text(v.get("note")) or "")
        for k, v in ((k, items[k]) for k in table_order(items))
    )


def _findings(raw: object) -> tuple[Finding, ...]:
    if not isinstance(raw, list):
        return ()
    out = []
    for item in raw:
        if not isinstance(item, Mapping):
            continue
        line = item.get("line")
        out.append(
            Finding(
                severity=(_text(item.get("severity")) or "info").lower(),
                rule=_text(item.get("rule")) or _text(item.get("rule_id")) or "?",
                file=_text(item.get("file")),
                line=line if isinstance(line, int) and not isinstance(line, bool) else None,
                message=_text(item.get("message")) or "",
                remediation=_text(item.get("remediation")),
            )
        )
    out.sort(key=lambda f: (f.rank, f.file or "", f.line or 0, f.rule))
    return tuple(out)


def audit_from_documents(
    skill: LockedSkill, document: Mapping[str, Any] | None, detail: Mapping[str, Any] | None
) -> SkillAudit:
    """A :class:`SkillAudit` from the skill's document (current verdict and score) and the
    version's document (breakdown, findings). Malformed fields read as unknown."""
    version = str(skill.version)
    if is_local(skill):
        # Scanned at install, not by a registry: only an unsafe override is worth telling.
        override = skill.meta.unsafe_override
        if override is None:
            return SkillAudit(skill.name, version, local=True)
        return SkillAudit(
            skill.name, version, local=True, verdict=override.verdict, unsafe_rules=override.rules
        )
    summary = version_summary(document, version)
    detail = detail or {}
    unavailable = None
    if document is None:
        unavailable = "the registry has no such skill (deleted, or private to others)"
    elif not summary:
        unavailable = "the registry does not list this version"
    elif summary.get("deleted"):
        unavailable = "this version was unpublished"
    verdict = _text(summary.get("verdict")) or _text(detail.get("verdict"))
    score = number(summary.get("audit_score")) if summary else number(detail.get("audit_score"))
    return SkillAudit(
        name=skill.name,
        version=version,
        verdict=verdict,
        score=score,
        locked_score=skill.meta.audit_score,
        breakdown=breakdown_items(detail.get("score_breakdown")),
        findings=_findings(detail.get("findings")),
        unavailable=unavailable,
        yanked=bool(summary.get("yanked")),
        yank_reason=_text(summary.get("yank_reason")),
    )


def current_documents(
    registries: Registries, names: Iterable[str], *, revalidate: bool = True
) -> dict[str, Document | None]:
    """Each skill's document, asked for in parallel (``None``: the registry has none).

    ``revalidate`` asks the registry even while the cached copy is fresh: with the cached
    ETag, an unchanged document costs a 304 and no body.
    """

    def one(name: str) -> Document | None:
        try:
            return registries.for_name(name).skill_document(name, revalidate=revalidate)
        except NotFoundError:
            return None

    wanted = sorted(set(names))
    if not wanted:
        return {}
    with ThreadPoolExecutor(max_workers=min(WORKERS, len(wanted))) as pool:
        return dict(zip(wanted, pool.map(one, wanted), strict=True))


def version_documents(
    registries: Registries,
    skills: Sequence[LockedSkill],
    documents: Mapping[str, Document | None],
    *,
    refresh: bool = False,
) -> dict[str, Document | None]:
    """Each skill's version document by ``name@version``, in parallel.

    They are kept in the metadata cache, validated by the version's entry in the (just
    revalidated) skill document: the registry rebuilds that entry whenever the version's
    verdict or score changes, so a rescan invalidates the copy. ``refresh`` downloads again.
    """
    cache = MetadataCache(cache_dir() / "metadata")

    def one(skill: LockedSkill) -> Document | None:
        client = registries.for_name(skill.name)
        url = f"{client.base_url}{skill_path(skill.name)}/{quote(str(skill.version), safe='')}"
        summary = version_summary(documents.get(skill.name), skill.version)
        tag = "summary:" + hashlib.sha256(json.dumps(summary, sort_keys=True).encode()).hexdigest()
        cached = cache.get(url)
        if cached is not None and cached.etag == tag and not refresh:
            try:
                found = json.loads(cached.body)
            except ValueError:
                found = None
            if isinstance(found, dict):
                return found
        try:
            doc = client.version_document(skill.name, str(skill.version))
        except NotFoundError:
            return None
        cache.put(url, tag, json.dumps(doc, sort_keys=True).encode())
        return doc

    chosen = [s for s in skills if not is_local(s)]
    if not chosen:
        return {}
    with ThreadPoolExecutor(max_workers=min(WORKERS, len(chosen))) as pool:
        return dict(zip([s.key for s in chosen], pool.map(one, chosen), strict=True))


def audit_skills(
    registries: Registries, skills: Sequence[LockedSkill], *, refresh: bool = False
) -> list[SkillAudit]:
    """Audit ``skills``: skill documents always revalidated, version documents cached."""
    remote = [s for s in skills if not is_local(s)]
    documents = current_documents(registries, (s.name for s in remote))
    details = version_documents(registries, remote, documents, refresh=refresh)
    return [audit_from_documents(s, documents.get(s.name), details.get(s.key)) for s in skills]


def summarize(audits: Sequence[SkillAudit], min_score: float | None) -> AuditSummary:
    """Counts, the lowest score, and who fails the audit (see :attr:`AuditSummary.ok`)."""
    scored = [a for a in audits if not a.local and a.unavailable is None]
    lowest = min(scored, key=lambda a: (a.score or 0.0, a.key), default=None)
    return AuditSummary(
        skills=len(audits),
        audited=len(scored),
        lowest=lowest,
        flagged=tuple(a.key for a in scored if a.verdict == "flagged"),
        failed=tuple(a.key for a in audits if a.verdict == "fail" and a.unavailable is None),
        below_minimum=tuple(a.key for a in scored if a.below(min_score)),
        unavailable=tuple(a.key for a in audits if not a.local and a.unavailable is not None),
        min_score=min_score,
    )
