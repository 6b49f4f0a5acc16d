"""Query building, pure: user text only ever becomes quoted words in bound parameters."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite

from tank.server.services.search.base import filters
from tank.server.services.search.model import MAX_TOKEN_CHARS, MAX_TOKENS, SearchQuery, tokens
from tank.server.services.search.model import Visibility as V
from tank.server.services.search.postgres_fts import PostgresSearch, lexeme
from tank.server.services.search.sqlite_fts import SqliteSearch, fts5_query


def test_tokens_keep_only_letters_and_digits() -> None:
    assert tokens("@acme/PDF-tools v1.2") == ["acme", "pdf", "tools", "v1", "2"]
    assert tokens("'; DROP TABLE skills; --") == ["drop", "table", "skills"]
    assert tokens('NEAR("a" b)*:^') == ["near", "a", "b"]
    assert tokens("snake_case") == ["snake", "case"]
    assert tokens("Straße café 漢字") == ["straße", "café", "漢字"]
    assert tokens("") == tokens("&|!:*") == []


def test_tokens_are_bounded() -> None:
    assert len(tokens("w " * 1000)) == MAX_TOKENS
    assert tokens("x" * 1000) == ["x" * MAX_TOKEN_CHARS]


def test_fts5_query_quotes_every_word() -> None:
    assert fts5_query(["near", "pdf"]) == '"near" "pdf"*'
    assert fts5_query(['a"b']) == '"a""b"*'  # cannot happen after tokens(), quoted anyway


def test_tsquery_lexemes_are_quoted() -> None:
    assert lexeme("pdf", prefix=True) == "'pdf':*"
    assert lexeme("it's", prefix=False) == "'it''s'"
    assert lexeme("a\\b", prefix=False) == "'a\\\\b'"


def _compiled(backend: SqliteSearch | PostgresSearch, dialect: object, text: str) -> str:
    rows, _count = backend._ranked(tokens(text), filters(SearchQuery(text=text), V()))
    return str(rows.compile(dialect=dialect))  # type: ignore[arg-type]


def test_user_text_never_reaches_the_sql_text() -> None:
    hostile = "zzqq'); DROP TABLE skills; --"
    for backend, dialect in (
        (SqliteSearch(), sqlite.dialect()),
        (PostgresSearch(), postgresql.dialect()),
    ):
        sql = _compiled(backend, dialect, hostile)
        assert "zzqq" not in sql.lower()
        assert "drop" not in sql.lower()
