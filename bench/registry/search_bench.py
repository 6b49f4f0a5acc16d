"""Search latency over 2,000 indexed skills, on SQLite (FTS5) and PostgreSQL (tsvector).

    .venv/bin/python bench/registry/search_bench.py [--skills 2000] [--rounds 5]

For each backend: a fresh migrated database (SQLite in a temporary folder; PostgreSQL as
the database ``tank_search_bench`` on 127.0.0.1:5432, trust auth as root, dropped at the end),
``--skills`` skills with deterministic pseudo-random names, descriptions, keywords and a
300-word SKILL.md body (mostly filler words, so a query word matches about one skill in six;
then ANALYZE), each indexed with ``index_skill`` as the publish service does. Then
a fixed mix of queries (one word, two words, a prefix, filters, a private-aware caller,
browse without words, a miss) runs ``--rounds`` times through the service function that
``GET /v1/search`` calls (no HTTP: this measures the database work). Prints the median and
p95 milliseconds per query kind and overall.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psycopg

from tank.server.db.engine import make_engine, session_factory, write_session
from tank.server.db.migrate import upgrade
from tank.server.services.search import SearchQuery, Verdict, search
from tank.server.services.search.model import SearchPage

PG_ADMIN = "host=127.0.0.1 port=5432 dbname=postgres user=root"
PG_DB = "tank_search_bench"
_VOCAB_TEXT = (
    "pdf markdown csv json yaml image video audio chart table spreadsheet invoice email "
    "calendar slack github jira notion database sql postgres redis queue search index "
    "translate summarize classify extract convert merge split compress encrypt sign verify "
    "deploy build test lint format review refactor document explain plan schedule monitor "
    "alert report dashboard analytics finance legal medical research paper citation web "
    "scrape crawl browser screenshot ocr speech voice music design figma slides presentation"
)
VOCAB = _VOCAB_TEXT.split()
FILLER = [f"w{n:04d}x" for n in range(3000)]
QUERIES: dict[str, dict[str, object]] = {
    "one word": {"text": "invoice"},
    "two words": {"text": "convert spreadsheet"},
    "prefix": {"text": "pdf-summ"},
    "name": {"text": "skill-1"},
    "filters": {"text": "report", "min_score": 7.0, "verdict": Verdict.PASS},
    "keyword": {"text": "chart", "keyword": "analytics"},
    "browse": {"text": ""},
    "page 5": {"text": "data", "page": 5},
    "miss": {"text": "zzzznotaword"},
}


def seed(url: str, count: int) -> float:
    """Index ``count`` skills; return the seconds taken."""
    from tests.unit.server.test_search_support import publish, user

    rng = random.Random(42)
    engine = make_engine(url)
    sessions = session_factory(engine)
    start = time.perf_counter()
    with write_session(sessions) as db:
        user(db, "alice")
        for i in range(count):
            words = rng.sample(VOCAB, 6)
            # Bodies are mostly words no query asks for (3,000 synthetic ones), with a few topic
            # words, so a query word matches some skills (about one in six), not all of them.
            body = " ".join([*(rng.choice(FILLER) for _ in range(295)), *rng.sample(VOCAB, 5)])
            publish(
                db,
                f"@scope{i % 50}/{words[0]}-{words[1]}-skill-{i}",
                description=f"{words[2].title()} and {words[3]} for {words[4]} work, {words[5]}.",
                keywords=rng.sample(VOCAB, 3),
                body=body,
                private=i % 20 == 0,
                verdict=rng.choice(["pass", "pass", "pass_with_notes", "flagged"]),
                score=round(rng.uniform(2, 10), 1),
                minutes=i,
            )
    seconds = time.perf_counter() - start
    with engine.connect() as connection:  # fresh statistics, as autovacuum/optimize would give
        connection.exec_driver_sql("ANALYZE")
        connection.commit()
    engine.dispose()
    return seconds


def measure(url: str, rounds: int) -> dict[str, list[float]]:
    """Milliseconds per query, by kind."""
    from tests.unit.server.test_search_support import principal, user

    engine = make_engine(url)
    sessions = session_factory(engine)
    timings: dict[str, list[float]] = {kind: [] for kind in QUERIES}
    with sessions() as db:
        who = principal(user(db, "alice"))
        for _ in range(rounds + 1):  # the first round warms caches and is dropped
            for kind, params in QUERIES.items():
                start = time.perf_counter()
                page: SearchPage = search(db, who, SearchQuery(**params))  # type: ignore[arg-type]
                timings[kind].append((time.perf_counter() - start) * 1000)
                assert kind == "miss" or page.total > 0, kind
    engine.dispose()
    return {kind: values[1:] for kind, values in timings.items()}


def report(backend: str, seconds: float, count: int, timings: dict[str, list[float]]) -> None:
    """Print one backend's figures."""
    print(f"\n{backend}: indexed {count} skills in {seconds:.1f} s")
    every = [t for values in timings.values() for t in values]
    for kind, values in [*timings.items(), ("ALL", every)]:
        p95 = statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]
        print(f"  {kind:<10} median {statistics.median(values):7.2f} ms   p95 {p95:7.2f} ms")


def run_backend(backend: str, count: int, rounds: int) -> None:
    """Seed, migrate, measure and report one backend."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{Path(tmp) / 'bench.db'}"
            upgrade(make_engine(url))
            seconds = seed(url, count)
            report(backend, seconds, count, measure(url, rounds))
        return
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{PG_DB}"')
    try:
        url = f"postgresql+psycopg://root@127.0.0.1:5432/{PG_DB}"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        seconds = seed(url, count)
        report(backend, seconds, count, measure(url, rounds))
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')


def main() -> None:
    """Parse arguments and run both backends."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skills", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], action="append")
    args = parser.parse_args()
    # The seeding helpers are the search tests' own (the repository root holds ``tests``).
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    for backend in args.backend or ["sqlite", "postgresql"]:
        run_backend(backend, args.skills, args.rounds)


if __name__ == "__main__":
    main()
