"""What gets indexed for a skill: its latest *visible* version, turned into words.

A version is visible to search when it is not deleted, not yanked, and its verdict is not
``fail`` (a failed version is never served, so it must not be advertised either). Among the
visible versions the ``latest`` dist-tag wins when it points at one of them (publishers may
pin it); otherwise the highest stable version, otherwise the highest prerelease. A skill with
no visible version is not in the index at all.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tank.core.errors import TankError
from tank.core.frontmatter import read_frontmatter
from tank.core.semver import Version, parse_version
from tank.server.db.models import DistTag, Skill, SkillVersion
from tank.server.services.search.model import IndexedDocument, words

#: Indexed body text is cut to this many characters (a SKILL.md is rarely a tenth of it);
#: PostgreSQL refuses tsvectors over 1 MB, and ranking huge bodies helps nobody.
MAX_BODY_CHARS = 100_000
#: Keywords kept per skill, and the longest keyword kept.
MAX_KEYWORDS = 32
MAX_KEYWORD_CHARS = 64


def _parse(text: str) -> Version | None:
    try:
        return parse_version(text)
    except TankError:
        return None  # stored by an older release with laxer rules: never "latest"


def latest_visible_version(session: Session, skill_id: int) -> SkillVersion | None:
    """The version search should show for ``skill_id``, or None when none is visible."""
    rows = session.execute(
        select(SkillVersion.id, SkillVersion.version).where(
            SkillVersion.skill_id == skill_id,
            SkillVersion.deleted_at.is_(None),
            SkillVersion.yanked.is_(False),
            SkillVersion.verdict != "fail",
        )
    ).all()
    if not rows:
        return None
    by_text = {text: row_id for row_id, text in rows}
    tagged = session.scalars(
        select(DistTag.version).where(DistTag.skill_id == skill_id, DistTag.tag == "latest")
    ).first()
    if tagged is not None and tagged in by_text:
        return session.get(SkillVersion, by_text[tagged])
    parsed = [(v, text) for text in by_text if (v := _parse(text)) is not None]
    if not parsed:
        return None
    stable = [item for item in parsed if not item[0].prerelease]
    _, best = max(stable or parsed, key=lambda item: item[0])
    return session.get(SkillVersion, by_text[best])


def normalise_keywords(raw: object) -> tuple[str, ...]:
    """Lower-cased, trimmed, de-duplicated keywords (bounded), in their original order."""
    if not isinstance(raw, list):
        return ()
    seen: dict[str, None] = {}
    for item in raw:
        if isinstance(item, str) and (word := item.strip().lower()[:MAX_KEYWORD_CHARS]):
            seen.setdefault(word, None)
    return tuple(seen)[:MAX_KEYWORDS]


def skill_md_body(skill_md: str) -> str:
    """The markdown body of a SKILL.md (the frontmatter's name and description are indexed
    from their own fields)."""
    front, _problems = read_frontmatter(skill_md, lenient=True)
    return front.body if front.present else skill_md


def build_document(skill: Skill, version: SkillVersion) -> IndexedDocument:
    """The index row for ``skill`` showing ``version``."""
    manifest = version.manifest if isinstance(version.manifest, dict) else {}
    keywords = normalise_keywords(manifest.get("keywords", skill.keywords))
    description = version.description or str(manifest.get("description") or skill.description)
    body = skill_md_body(version.skill_md or "")[:MAX_BODY_CHARS]
    return IndexedDocument(
        skill_id=skill.id,
        name=skill.name,
        scope=skill.scope,
        private=bool(skill.private),
        version=version.version,
        description=description,
        keywords=keywords,
        audit_score=version.audit_score,
        verdict=version.verdict,
        published_at=version.published_at,
        t_name=" ".join(words(skill.name)),
        t_description=" ".join(words(description)),
        t_keywords=" ".join(w for k in keywords for w in words(k)),
        t_body=" ".join(words(body)),
    )
