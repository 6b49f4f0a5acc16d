"""Prompt injection in every text the agent reads, found by meaning rather than by phrase.

A sentence is an injection when it *orders the agent* (an imperative, see
:func:`.prose.imperative`) to do one of a few things, each a verb class with an object class
from ``data/prose.yaml`` and ``data/knowledge``:

* drop its instructions (``markdown.prompt_injection``: "ignore previous instructions",
  "new system prompt", "this skill runs in trusted mode");
* send or reveal secrets, files or the environment anywhere (``text.secret_request``: a
  sensitive source, by path or in words, as the object of send/embed/encode/print);
* turn off approvals or safety settings (``text.approval_bypass``);
* change the agent's own configuration (``text.agent_config_edit``);
* hide what it does from the user (``markdown.silent_action``);
* load an image or link whose URL carries data to an outside host
  (``markdown.image_exfiltration``).

Lures (:mod:`.lures`) are found in the same pass. Findings are made together
(:func:`.text_hits.report`): two different kinds of high severity or worse in one file make each
other critical (an approval bypass *and* a hidden action is how a skill takes the agent over),
and a medium note next to one becomes high. A construct quoted as an example
(:func:`.prose.quoted_example`) is reported at low severity instead.
Prose files are read whole (SKILL.md and its frontmatter, ``.md``/``.txt``/``.mdc``/``.rst``);
code files only in comments addressed to the agent ("AI assistant: …").
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from functools import lru_cache
from urllib.parse import urlsplit

from tank.scanner import knowledge
from tank.scanner.analyzers.base import Context
from tank.scanner.analyzers.lures import lure_hits
from tank.scanner.analyzers.prose import (
    Block,
    clause_before,
    first,
    hidden_lines,
    imperative,
    matches,
    negated,
    vocabulary,
)
from tank.scanner.analyzers.prose_read import is_prose, prose_blocks
from tank.scanner.analyzers.text_hits import MAX_HITS_PER_RULE, Hit, in_code, report
from tank.scanner.model import Finding, Severity

__all__ = ["analyze_text"]

_PATHISH = re.compile(r"[~$%\w.\\/:-]*[./\\][\w.\\/-]+|`[^`\n]+`")
_URL = re.compile(
    r"(!?)\[[^\]\n]*\]\(\s*(https?://(?:[^)\s{<]|\{[^}\n]{0,200}\}|<[^>\n]{0,200}>)+)"
    r"|(?<![(\w])(https?://(?:[^\s)`'\"<>{]|\{[^}\n]{0,200}\})+)"
)
_PLACEHOLDER = re.compile(
    r"\{[^}]*\}|<[^>]+>|%3C|\$\{?\w+|%7B|\[[A-Z_]{3,}\]|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b"
    r"|\b(?:ENCODED|BASE64|DATA|SECRET|TOKEN|CONTENTS?|VALUE|HISTORY|OUTPUT|CREDENTIALS)\b"
)
#: What a link's placeholder must name to carry data out: what the agent holds (an image's
#: placeholder always does: it is fetched without a click). ``{city}``, ``{filename}`` and the
#: user's own ``{APP_SECRET}`` sent to the API that issued it are API templates.
_SENSITIVE_WORDS = re.compile(
    r"conversation|history|messages|ssh|environ|\benv\b|system.?prompt|contents\s+of"
    r"|file.?contents",
    re.IGNORECASE,
)


def analyze_text(path: str, text: str, context: Context) -> list[Finding]:
    """Injection and lure findings in the prose of ``path`` (see the module docstring)."""
    items = prose_blocks(path, text)
    found: list[Hit] = []
    counts: dict[str, int] = {}
    for hit in itertools.chain(_hits(items, counts), lure_hits(path, items, counts)):
        counts[hit.rule] = counts.get(hit.rule, 0) + 1
        if counts[hit.rule] <= MAX_HITS_PER_RULE:
            found.append(hit)
    hidden = hidden_lines(text) if found and not text.isascii() else frozenset()
    return report(path, found, context, hidden, from_code=not is_prose(path))


def _full(counts: dict[str, int], *rules: str) -> bool:
    """Whether every rule in ``rules`` already has its share of hits in this file."""
    return all(counts.get(r, 0) >= MAX_HITS_PER_RULE for r in rules)


def _hits(items: list[Block], counts: dict[str, int]) -> Iterator[Hit]:
    for index, block in enumerate(items):
        if block.code:
            continue  # a fenced block of code: the code analyzers read it
        if not _full(counts, "markdown.prompt_injection"):
            yield from _overrides(block)
        if not _full(counts, "text.secret_request"):
            yield from _secrets(block, items[max(0, index - 2) : index])
        if not _full(counts, "markdown.silent_action"):
            yield from _conceal(block)
        if not _full(counts, "text.approval_bypass", "text.agent_config_edit"):
            yield from _approvals(block)
            yield from _config(block, items[index + 1 : index + 2])
        if not _full(counts, "markdown.image_exfiltration"):
            yield from _data_urls(block)


def _conceal(block: Block) -> Iterator[Hit]:
    """Orders to hide an action: "do not tell the user", "silently upload" (an order, not
    "mismatches silently create"), not "never silently overwrite" or "never … without
    telling the user" (both say the opposite)."""
    text = block.text
    for match in matches("conceal", text):
        word = match[0].split(None, 1)[0].lower()
        if not imperative(text, match.start()):
            continue
        if word not in ("do", "don't", "never", "no") and negated(text, match.start()):
            continue
        yield Hit("markdown.silent_action", block, match.start(), match.end(), match[0])


def _approvals(block: Block) -> Iterator[Hit]:
    """Orders to skip approvals (high). A bypass setting (``--yolo``, ``bypassPermissions``)
    is high only when an order in its clause applies it in prose ("set defaultMode to
    bypassPermissions"); named in a command or a list it is a medium note."""

    text = block.text
    for match in matches("approval", text):
        if match[0].lower().startswith("without") and negated(text, match.start()):
            continue  # "never delete without asking": the opposite of a bypass
        ordered = match[0][:1].isalpha() and " " in match[0]  # a phrase, not a setting
        if not ordered and not in_code(text, match.start()):
            clause = clause_before(text, match.start())
            at = match.start() - len(clause)
            ordered = any(imperative(text, at + v.start()) for v in matches("apply_verb", clause))
        severity = None if ordered else Severity.MEDIUM
        what = match[0]
        yield Hit(
            "text.approval_bypass", block, match.start(), match.end(), what, severity=severity
        )


def _overrides(block: Block) -> Iterator[Hit]:

    text = block.text
    for match in matches("override", text):
        strong = first("override_strong", match[0].split(None, 1)[-1])
        if strong and imperative(text, match.start()) and not negated(text, match.start()):
            yield Hit("markdown.prompt_injection", block, match.start(), match.end(), match[0])
    for match in matches("override_claim", text):
        yield Hit("markdown.prompt_injection", block, match.start(), match.end(), match[0])


@lru_cache(maxsize=256)
def _sources(text: str) -> tuple[tuple[int, int, str, bool], ...]:
    """``(start, end, what, strong)`` of every sensitive source named in ``text``: strong for
    a file the knowledge data knows, the environment as a whole or the system prompt; weak for
    words such as "private keys" or "your API keys". Cached: a block is asked again as the
    "earlier" block of the next two."""
    out = []
    for match in _PATHISH.finditer(text):
        what = _source_of(match[0])
        if what is not None:
            out.append((match.start(), match.end(), what, True))
    for strength, name in ((True, "secret_words"), (False, "secret_kinds")):
        for match in matches(name, text):
            out.append((match.start(), match.end(), match[0], strength))
    return tuple(sorted(out))


@lru_cache(maxsize=4096)
def _source_of(token: str) -> str | None:
    """What sensitive source a path-like token names (a URL names none: it is not a file)."""
    if "://" in token:
        return None
    source = knowledge.sensitive_source(token)
    return None if source is None else f"{token.strip('`')} ({source.what})"


def _secrets(block: Block, before: list[Block]) -> Iterator[Hit]:
    """An order to send, show, or put somewhere others read (a reply, an issue, a URL) a
    sensitive source: named after the verb and before any destination ("append X to
    ~/.ssh/config" writes there), or as a pronoun for a source named just before ("read
    ~/.ssh/id_rsa … base64 them"). Secrets named only in words ("private keys") count only
    when sent out, and not in a list of things never to do."""
    voc = vocabulary()
    text = block.text
    if text.lstrip().startswith("#"):
        return  # a heading names a topic ("Show shell history"), it orders nothing
    found = [(v, c) for c in ("send_verb", "reveal_verb", "put_verb") for v in matches(c, text)]
    if not found:
        return
    sources = _sources(text)
    if not sources and not (before and any(first("pronoun", text, v.end()) for v, _ in found)):
        return  # nothing secret named here, and no "them" pointing back at an earlier block
    verbs = [
        (verb, verb_class)
        for verb, verb_class in found
        if imperative(text, verb.start())
        and not negated(text, verb.start())
        and not in_code(text, verb.start())
        and not text.startswith((",", ")", "/", ":", "-"), verb.end())  # "(send, join)", a key
        and text[verb.start() - 1 : verb.start()] not in (":", "/", "_", "-", ".")
    ]
    if not verbs:
        return  # most blocks: no order to move or show anything, no need to look for sources
    prohibited = bool(first("prohibition", block.heading + "\n" + block.lead[-300:]))
    for verb, verb_class in verbs:
        clause_end = _clause_end(text, verb.end())
        clause_start = verb.start() - len(clause_before(text, verb.start()))
        clause = text[clause_start : verb.start()] + " " + text[verb.end() : clause_end]
        if verb_class == "put_verb" and not first("channel", clause):
            continue  # "add the private key to .gitignore": it stays on the machine
        weak_ok = verb_class == "send_verb" and not prohibited
        usable = [s for s in sources if s[3] or weak_ok]
        for start, end, what, _ in usable:
            between = text[verb.end() : start]
            if (
                verb.end() <= start < clause_end
                and not first("destination", between)
                and not first("negation", between)
            ):
                yield Hit("text.secret_request", block, verb.start(), end, what)
                return
        pronoun = voc["pronoun"].match(text, verb.end())
        if pronoun:
            named = [s for s in usable if s[1] <= verb.start()]
            named = named or [
                s for b in before if not b.code for s in _sources(b.text) if s[3] or weak_ok
            ]
            if named:
                yield Hit("text.secret_request", block, verb.start(), pronoun.end(), named[-1][2])
                return


_CLAUSE_STOP = re.compile(r"[.!?;](?:\s|$)|\n\s*\n|\n(?=\s{0,3}(?:[-*+>|]|\d{1,3}[.)])\s?)")


def _clause_end(text: str, offset: int) -> int:
    found = _CLAUSE_STOP.search(text, offset)
    return found.start() if found else len(text)


def _config(block: Block, after: list[Block]) -> Iterator[Hit]:
    """An order to write an agent-control file (settings, CLAUDE.md, MCP configs)."""

    text = block.text
    for verb in matches("config_verb", text):
        if not imperative(text, verb.start()) or negated(text, verb.start()):
            continue
        clause_end = _clause_end(text, verb.end())
        for match in _PATHISH.finditer(text, verb.end(), clause_end):
            target = knowledge.control_target(match[0])
            if target is not None and target.kind == "agent-control":
                granted = first("config_grant", text + "\n" + "\n".join(b.text for b in after))
                what = f"{match[0].strip('`')} ({target.what})"
                if granted:
                    what += f", granting {granted[0]}"
                rule = "text.approval_bypass" if granted else "text.agent_config_edit"
                yield Hit(rule, block, verb.start(), match.end(), what, bool(granted))
                return


def _data_urls(block: Block) -> Iterator[Hit]:
    """Images and links whose URL carries data (a placeholder the agent fills) outside."""
    for match in _URL.finditer(block.text):
        image, url = match.group(1) == "!", match.group(2) or match.group(3)
        try:
            parts = urlsplit(url)
        except ValueError:
            continue
        host = parts.hostname or ""
        if not host or knowledge.is_local_host(host):
            continue
        carried = " ".join(p.group(0) for p in _PLACEHOLDER.finditer(parts.query + parts.path))
        if not carried:
            continue
        if image or _SENSITIVE_WORDS.search(carried):
            kind = "an image" if image else "a link"
            what = f"{kind} on {host} whose URL carries {carried[:60]}"
            yield Hit("markdown.image_exfiltration", block, match.start(), match.end(), what)
