"""Two shapes of malice in code of languages read lexically (Go, Ruby, Rust, Java, PHP,
Perl, Lua, C#, Swift: :mod:`tank.scanner.capabilities_generic`).

- ``code.download_exec``: one file fetches over the network, makes a file executable and
  starts a program: a downloader that runs what it fetched (the "updater" of a tool that
  needs none).
- ``code.secret_harvest``: one file holds the shapes of two or more kinds of secret (a
  private key's header, a cloud key's prefix, chat or forge token prefixes, seed words) and
  sends data over the network: picking secrets out of what it reads and sending them on.
  A secret scanner holds the shapes too, but reports locally.
"""

from __future__ import annotations

import re
from functools import lru_cache

from tank.scanner.analyzers.base import Context
from tank.scanner.capabilities_generic import language_of, strip_comments, without_strings
from tank.scanner.knowledge import load_knowledge
from tank.scanner.model import Evidence, Finding

__all__ = ["analyze_generic"]

_MAX_TEXT = 512 * 1024


@lru_cache(maxsize=1)
def _shapes() -> tuple[tuple[str, re.Pattern[str]], ...]:
    data = load_knowledge("languages.yaml")["secret_shapes"]
    return tuple((str(kind), re.compile(str(pattern))) for kind, pattern in data.items())


def analyze_generic(path: str, text: str, context: Context) -> list[Finding]:
    """Findings for a file of a language read lexically (none for other files)."""
    language = language_of(path, text)
    if language is None:
        return []
    code = strip_comments(text[:_MAX_TEXT], language)
    bare = without_strings(code)
    network = language.network.search(bare)
    if network is None:
        return []
    out: list[Finding] = []
    sent_at = _line(code, network.start())
    chmod = language.chmod_exec.search(code)
    process = language.process.search(bare)
    if chmod is not None and process is not None:
        line = _line(code, process.start())
        out.append(
            Finding.of(
                context.rules["code.download_exec"],
                path,
                line,
                _snippet(text, line),
                f"fetches over the network (line {sent_at}), makes a file executable (line "
                f"{_line(code, chmod.start())}) and starts a program: it runs what it downloads",
                evidence=(
                    Evidence("source", path, sent_at, "downloads"),
                    Evidence("sink", path, line, "runs a program"),
                ),
            )
        )
    kinds = [(kind, found) for kind, pattern in _shapes() if (found := pattern.search(code))]
    if len(kinds) >= 2:
        first = min(found.start() for _, found in kinds)
        line = _line(code, first)
        names = ", ".join(kind for kind, _ in kinds)
        out.append(
            Finding.of(
                context.rules["code.secret_harvest"],
                path,
                line,
                _snippet(text, line),
                f"looks for secrets ({names}) and sends data over the network (line {sent_at})",
                evidence=(
                    Evidence("source", path, line, f"secret shapes: {names}"),
                    Evidence("sink", path, sent_at, "sends over the network"),
                ),
            )
        )
    return out


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _snippet(text: str, line: int) -> str:
    lines = text.split("\n")
    return lines[line - 1].strip()[:200] if 0 < line <= len(lines) else ""
