"""Values that search takes and returns, and the one tokenizer both backends share.

User text never reaches SQL or a full-text query language as-is: :func:`tokens` keeps only
runs of letters and digits (lower-cased, bounded in number and length), and each backend then
quotes every token in its own syntax and passes the result as a bound parameter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

#: At most this many query words are used (later ones are dropped).
MAX_TOKENS = 16
#: A longer word is cut to this many characters (no real name or word is longer).
MAX_TOKEN_CHARS = 64

# A word is a run of letters or digits: the same split FTS5's unicode61 tokenizer makes, and
# the one applied to the indexed text, so "pdf-to" and "@acme/pdf-tools" agree on "pdf".
_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The lower-case words of ``text``."""
    return _WORD.findall(text.lower())


def tokens(query: str) -> list[str]:
    """The words of a user query, bounded: at most :data:`MAX_TOKENS` of
    :data:`MAX_TOKEN_CHARS` characters each, duplicates kept (the order carries the prefix)."""
    return [w[:MAX_TOKEN_CHARS] for w in words(query)[:MAX_TOKENS]]


class Verdict(StrEnum):
    """Audit verdicts a searchable version can have (``fail`` versions are never indexed)."""

    # (S105: verdict names, not passwords)
    PASS = "pass"  # noqa: S105
    PASS_WITH_NOTES = "pass_with_notes"  # noqa: S105
    FLAGGED = "flagged"


class Capability(StrEnum):
    """A dangerous permission a search may require the latest version to declare."""

    NETWORK = "network"  # outbound hosts or inbound connections
    SUBPROCESS = "subprocess"


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """A search request, already validated at the HTTP edge.

    ``text`` empty (or holding no word) lists skills by recency instead of by relevance.
    The last word matches as a prefix, so what a user is still typing already finds results.
    """

    text: str = ""
    page: int = 1
    per_page: int = 20
    scope: str | None = None
    keyword: str | None = None
    min_score: float | None = None
    verdict: Verdict | None = None
    #: Only skills whose latest visible version declares every one of these.
    capabilities: frozenset[Capability] = frozenset()

    @property
    def offset(self) -> int:
        """Rows to skip for this page."""
        return (self.page - 1) * self.per_page


@dataclass(frozen=True, slots=True)
class Visibility:
    """Which private skills a caller may see: those in ``private_scopes``, those named in
    ``private_names`` (a token restricted to single skills), or all (admins)."""

    private_scopes: frozenset[str] = frozenset()
    private_names: frozenset[str] = frozenset()
    all_private: bool = False


ANONYMOUS = Visibility()


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One result: the skill's latest visible version and how well it matched."""

    name: str
    version: str
    description: str
    keywords: tuple[str, ...]
    audit_score: float | None
    verdict: str
    private: bool
    published_at: datetime
    #: Relevance, higher is better; only comparable within one answer (0 when browsing).
    score: float


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of results and the number of matches in all pages."""

    hits: tuple[SearchHit, ...]
    total: int
    page: int
    per_page: int


@dataclass(frozen=True, slots=True)
class TagCount:
    """A keyword and the number of public skills whose latest version carries it."""

    name: str
    count: int


@dataclass(frozen=True, slots=True)
class IndexedDocument:
    """The row written to the index for a skill (built by :mod:`.documents`)."""

    skill_id: int
    name: str
    scope: str
    private: bool
    version: str
    description: str
    keywords: tuple[str, ...]
    audit_score: float | None
    verdict: str
    published_at: datetime
    t_name: str
    t_description: str
    t_keywords: str
    t_body: str
