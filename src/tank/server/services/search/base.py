"""What both search backends share: the plain tables, filters, paging, browsing and tags.

A backend only says how to match and rank words (:meth:`TableIndex._ranked`) and how to
upsert a row in its dialect. Everything is built with SQLAlchemy expressions and bound
parameters; no user text is ever formatted into SQL.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import UTC
from typing import Any

from sqlalchemy import ColumnElement, Float, Select, delete, func, insert, literal, or_, select
from sqlalchemy.orm import Session

from tank.server.db.models import SkillVersion
from tank.server.db.models_search import SearchDocument, SearchKeyword
from tank.server.services.search.model import (
    Capability,
    IndexedDocument,
    SearchHit,
    SearchPage,
    SearchQuery,
    TagCount,
    Visibility,
    tokens,
)

_DOC = SearchDocument.__table__
_UPDATABLE = (
    "name", "scope", "private", "version", "description", "keywords", "audit_score", "verdict",
    "published_at", "t_name", "t_description", "t_keywords", "t_body",
)  # fmt: skip


def row_of(doc: IndexedDocument) -> dict[str, Any]:
    """The ``search_documents`` values for ``doc``."""
    values: dict[str, Any] = {name: getattr(doc, name) for name in ("skill_id", *_UPDATABLE)}
    values["keywords"] = list(doc.keywords)
    return values


def visibility_filter(visible: Visibility) -> ColumnElement[bool]:
    """Public rows, plus the private rows ``visible`` allows."""
    if visible.all_private:
        return SearchDocument.private.is_not(None)  # every row
    allowed: ColumnElement[bool] = SearchDocument.private.is_(False)
    if visible.private_scopes:
        allowed = or_(allowed, SearchDocument.scope.in_(sorted(visible.private_scopes)))
    if visible.private_names:
        allowed = or_(allowed, SearchDocument.name.in_(sorted(visible.private_names)))
    return allowed


def filters(query: SearchQuery, visible: Visibility) -> list[ColumnElement[bool]]:
    """The WHERE terms shared by every search: visibility and the optional filters."""
    terms = [visibility_filter(visible)]
    if query.scope is not None:
        terms.append(SearchDocument.scope == query.scope)
    if query.min_score is not None:
        terms.append(SearchDocument.audit_score >= query.min_score)
    if query.verdict is not None:
        terms.append(SearchDocument.verdict == query.verdict.value)
    if query.keyword is not None:
        has_keyword = (
            select(SearchKeyword.skill_id)
            .where(
                SearchKeyword.skill_id == SearchDocument.skill_id,
                SearchKeyword.keyword == query.keyword,
            )
            .exists()
        )
        terms.append(has_keyword)
    if query.capabilities:
        terms.append(_declares(query.capabilities))
    return terms


def _declares(capabilities: frozenset[Capability]) -> ColumnElement[bool]:
    """The indexed version's stored (canonical) permissions grant every one of
    ``capabilities``. Canonical JSON writes only what is granted: ``network.outbound`` is a
    non-empty list when present, ``inbound`` and ``subprocess`` are ``true`` when present."""
    perms = SkillVersion.permissions
    wanted: list[ColumnElement[bool]] = []
    if Capability.NETWORK in capabilities:
        outbound = perms[("network", "outbound", 0)].as_string().is_not(None)
        inbound = perms[("network", "inbound")].as_boolean().is_(True)
        wanted.append(or_(outbound, inbound))
    if Capability.SUBPROCESS in capabilities:
        wanted.append(perms["subprocess"].as_boolean().is_(True))
    return (
        select(SkillVersion.id)
        .where(
            SkillVersion.skill_id == SearchDocument.skill_id,
            SkillVersion.version == SearchDocument.version,
            *wanted,
        )
        .exists()
    )


class TableIndex(ABC):
    """A :class:`~tank.server.services.search.SearchIndex` over ``search_documents``."""

    #: True when the ranked query may carry ``count(*) OVER ()`` (FTS5's bm25() refuses it).
    window_total = True

    @abstractmethod
    def _upsert(self, session: Session, values: dict[str, Any]) -> None:
        """Insert the row or replace the one with the same ``skill_id``, atomically."""

    @abstractmethod
    def _ranked(
        self, words: list[str], terms: list[ColumnElement[bool]]
    ) -> tuple[Select[SearchDocument, float], Select[int]]:
        """The (rows ordered best first with their score, count) statements for ``words``."""

    def index(self, session: Session, doc: IndexedDocument) -> None:
        """Write ``doc`` (replacing what was indexed for the same skill)."""
        self._upsert(session, row_of(doc))
        session.execute(delete(SearchKeyword).where(SearchKeyword.skill_id == doc.skill_id))
        if doc.keywords:
            session.execute(
                insert(SearchKeyword),
                [{"skill_id": doc.skill_id, "keyword": k} for k in doc.keywords],
            )

    def remove(self, session: Session, skill_id: int) -> None:
        """Drop the skill from the index (its keywords go by ``ON DELETE CASCADE``)."""
        session.execute(delete(SearchKeyword).where(SearchKeyword.skill_id == skill_id))
        session.execute(delete(SearchDocument).where(SearchDocument.skill_id == skill_id))

    def query(self, session: Session, query: SearchQuery, visible: Visibility) -> SearchPage:
        """One page of the skills matching ``query`` that ``visible`` allows."""
        terms = filters(query, visible)
        words = tokens(query.text)
        if words:
            rows_stmt, count_stmt = self._ranked(words, terms)
        else:  # no words: browse, newest first
            score = literal(0.0, Float).label("score")
            rows_stmt = (
                select(SearchDocument, score)
                .where(*terms)
                .order_by(SearchDocument.published_at.desc(), SearchDocument.name)
            )
            count_stmt = select(func.count()).select_from(SearchDocument).where(*terms)
        if not (words and self.window_total):  # browsing: an index gives the page cheaply
            total = session.scalar(count_stmt) or 0
            rows = [
                (doc, score)
                for doc, score in session.execute(
                    rows_stmt.limit(query.per_page).offset(query.offset)
                ).all()
            ]
        else:
            # One statement gives the page and the total (a window count over every match):
            # the match is the expensive part and runs once. A page past the end has no row
            # to carry the total, so only then is it counted separately.
            page_stmt = rows_stmt.add_columns(func.count().over().label("total"))
            found = session.execute(page_stmt.limit(query.per_page).offset(query.offset)).all()
            if found:
                total = int(found[0][2])
            else:
                total = (session.scalar(count_stmt) or 0) if query.offset else 0
            rows = [(doc, score) for doc, score, _total in found]
        hits = tuple(hit_of(doc, float(score or 0.0)) for doc, score in rows)
        return SearchPage(hits, total, query.page, query.per_page)

    def tags(self, session: Session, prefix: str | None, limit: int) -> list[TagCount]:
        """Keywords of public skills with how many skills carry each, most used first."""
        count = func.count().label("n")
        stmt = (
            select(SearchKeyword.keyword, count)
            .join(SearchDocument, SearchDocument.skill_id == SearchKeyword.skill_id)
            .where(SearchDocument.private.is_(False))
            .group_by(SearchKeyword.keyword)
            .order_by(count.desc(), SearchKeyword.keyword)
            .limit(limit)
        )
        if prefix:
            stmt = stmt.where(SearchKeyword.keyword.startswith(prefix, autoescape=True))
        return [TagCount(name, int(n)) for name, n in session.execute(stmt).all()]


def hit_of(doc: SearchDocument, score: float) -> SearchHit:
    """The :class:`SearchHit` of an indexed row (naive SQLite times read as UTC)."""
    return SearchHit(
        name=doc.name,
        version=doc.version,
        description=doc.description,
        keywords=tuple(str(k) for k in doc.keywords or ()),
        audit_score=doc.audit_score,
        verdict=doc.verdict,
        private=doc.private,
        # SQLite hands back naive datetimes; every stored time is UTC.
        published_at=doc.published_at
        if doc.published_at.tzinfo
        else doc.published_at.replace(tzinfo=UTC),
        score=score,
    )
