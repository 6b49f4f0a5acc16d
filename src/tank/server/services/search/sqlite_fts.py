"""Search on SQLite: an FTS5 index (external content over ``search_documents``), BM25-ranked.

Each query word becomes an FTS5 *string* (``"word"``, double quotes doubled), so nothing the
user types can act as FTS5 syntax (``NEAR``, ``OR``, ``*``, ``:``, column filters...); the
last one gets ``*`` for a prefix match. The whole MATCH expression is a bound parameter.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, column, func, literal_column, select, table
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from tank.server.db.models_search import SearchDocument
from tank.server.services.search.base import TableIndex

# BM25 column weights: name, description, keywords, body. A word in the name counts ten times
# a word in the body, so the skill called "pdf" ranks above one that mentions PDFs in passing.
WEIGHTS = (10.0, 4.0, 3.0, 1.0)

_FTS = table("search_fts", column("rowid"))
# FTS5 exposes a hidden column named after the table: "search_fts MATCH ?" searches all columns.
_FTS_SELF: ColumnElement[Any] = literal_column("search_fts")


def fts5_query(words: list[str]) -> str:
    """An FTS5 query ANDing ``words``, each quoted, the last as a prefix."""
    quoted = ['"' + w.replace('"', '""') + '"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


class SqliteSearch(TableIndex):
    """FTS5 full-text search."""

    window_total = False  # bm25() cannot run in a window query: count separately

    def _upsert(self, session: Session, values: dict[str, Any]) -> None:
        stmt = insert(SearchDocument).values(values)
        changed = {k: stmt.excluded[k] for k in values if k != "skill_id"}
        session.execute(stmt.on_conflict_do_update(index_elements=["skill_id"], set_=changed))

    def _ranked(
        self, words: list[str], terms: list[ColumnElement[bool]]
    ) -> tuple[Select[SearchDocument, float], Select[int]]:
        match = _FTS_SELF.op("MATCH")(fts5_query(words))
        bm25 = func.bm25(_FTS_SELF, *WEIGHTS)  # lower is better
        joined = _FTS.c.rowid == SearchDocument.skill_id
        rows = (
            select(SearchDocument, (-bm25).label("score"))
            .join(_FTS, joined)
            .where(match, *terms)
            .order_by(bm25, SearchDocument.name)
        )
        count = select(func.count()).select_from(SearchDocument).join(_FTS, joined)
        return rows, count.where(match, *terms)
