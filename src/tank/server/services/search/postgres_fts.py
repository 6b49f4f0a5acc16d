"""Search on PostgreSQL: the generated, weighted ``tsv`` column with a GIN index.

The tsquery is assembled from bound parameters, one per word, each a quoted lexeme
(``'word'``, ``'word':*`` for the last), never by parsing user text as tsquery syntax.
Every word may match through the ``simple`` configuration (exact words, prefixes) or the
``english`` one (stems: "tools" finds "tool"); words are ANDed. Ranking is ``ts_rank`` with
PostgreSQL's default weights (name A=1.0, description B=0.4, keywords C=0.2, body D=0.1).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Select, bindparam, func, literal_column, select
from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR, insert
from sqlalchemy.orm import Session

from tank.server.db.models_search import SearchDocument
from tank.server.services.search.base import TableIndex

_TSV = literal_column("search_documents.tsv", TSVECTOR)
_SIMPLE: ColumnElement[Any] = literal_column("'simple'::regconfig")
_ENGLISH: ColumnElement[Any] = literal_column("'english'::regconfig")


def lexeme(word: str, *, prefix: bool) -> str:
    """``word`` as one quoted tsquery lexeme (``'it''s'``), with ``:*`` for a prefix."""
    quoted = "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"
    return quoted + (":*" if prefix else "")


def tsquery(words: list[str]) -> ColumnElement[Any]:
    """A tsquery ANDing ``words`` (the last as a prefix), from bound parameters only."""
    combined: ColumnElement[Any] | None = None
    for i, word in enumerate(words):
        param: BindParameter[str] = bindparam(f"w{i}", lexeme(word, prefix=i == len(words) - 1))
        either = func.to_tsquery(_SIMPLE, param, type_=TSQUERY).op("||")(
            func.to_tsquery(_ENGLISH, param, type_=TSQUERY)
        )
        combined = either if combined is None else combined.op("&&")(either)
    assert combined is not None, "tsquery() needs at least one word"
    return combined


class PostgresSearch(TableIndex):
    """tsvector full-text search."""

    def _upsert(self, session: Session, values: dict[str, Any]) -> None:
        stmt = insert(SearchDocument).values(values)
        changed = {k: stmt.excluded[k] for k in values if k != "skill_id"}
        session.execute(stmt.on_conflict_do_update(index_elements=["skill_id"], set_=changed))

    def _ranked(
        self, words: list[str], terms: list[ColumnElement[bool]]
    ) -> tuple[Select[SearchDocument, float], Select[int]]:
        query = tsquery(words)
        match = _TSV.op("@@")(query)
        rank = func.ts_rank(_TSV, query)
        rows = (
            select(SearchDocument, rank.label("score"))
            .where(match, *terms)
            .order_by(rank.desc(), SearchDocument.name)
        )
        count = select(func.count()).select_from(SearchDocument).where(match, *terms)
        return rows, count
