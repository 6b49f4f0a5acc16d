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

Each alone has its rule's severity; two different ones in the same file are critical (an
approval bypass *and* a hidden action is how a skill takes the agent over). A construct
quoted as an example (:func:`.prose.quoted_example`) is reported at low severity instead.
Prose files are read whole (SKILL.md and its frontmatter, ``.md``/``.txt``/``.mdc``/``.rst``);
code files only in comments addressed to the agent ("AI assistant: …").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from tank.core.frontmatter import MAX_FRONTMATTER_BYTES, read_frontmatter
from tank.scanner import knowledge
from tank.scanner.analyzers.base import Context
from tank.scanner.analyzers.prose import (
    PROSE_EXTENSIONS,
    Block,
    agent_comments,
    blocks,
    clause_before,
    imperative,
    negated,
    normalise,
    quoted_example,
    vocabulary,
)
from tank.scanner.model import Finding, Severity

__all__ = ["Hit", "analyze_text", "is_prose", "prose_blocks", "report"]

#: Rules that are critical by themselves (the others become critical in company).
_CRITICAL_ALONE = frozenset({"markdown.prompt_injection", "text.secret_request"})
_PATHISH = re.compile(r"[~$%\w.\\/:-]*[./\\][\w.\\/-]+|`[^`\n]+`")
_URL = re.compile(
    r"(!?)\[[^\]\n]*\]\(\s*(https?://(?:[^)\s{<]|\{[^}\n]{0,200}\}|<[^>\n]{0,200}>)+)"
    r"|(?<![(\w])(https?://(?:[^\s)`'\"<>{]|\{[^}\n]{0,200}\})+)"
)
_PLACEHOLDER = re.compile(
    r"\{[^}]*\}|<[^>]+>|%3C|\$\{?\w+|%7B|\[[A-Z_]{3,}\]|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b"
    r"|\b(?:ENCODED|BASE64|DATA|SECRET|TOKEN|CONTENTS?|VALUE|HISTORY|OUTPUT|CREDENTIALS)\b"
)
#: What a link's placeholder must name to carry data out (an image's placeholder always does:
#: it is fetched without a click). ``{city}``, ``{id}``, ``{filename}`` are API templates.
_SENSITIVE_WORDS = re.compile(
    r"conversation|history|messages|secret|credential|password|cookie|ssh|private|environ"
    r"|\benv\b|system.?prompt|\bkeys?\b.{0,10}(?:file|contents)|contents\s+of",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Hit:
    """One construct found in a block: its rule, offset in the block, and what it is."""

    rule: str
    block: Block
    start: int
    end: int
    what: str
    #: Critical by itself (e.g. agent settings written *with* permissions granted).
    critical: bool = False
    #: The severity before company is considered (None: the rule's).
    severity: Severity | None = None


def is_prose(path: str) -> bool:
    """Whether ``path`` is read by the agent as text (markdown, plain text, rule files)."""
    return path.lower().endswith(PROSE_EXTENSIONS)


def prose_blocks(path: str, text: str) -> list[Block]:
    """The blocks the agent reads in ``path``: all of a prose file, or the comments of code
    that are addressed to the agent."""
    norm = normalise(text)
    if not is_prose(path):
        return agent_comments(norm)
    found = blocks(norm)
    if path.rsplit("/", 1)[-1].lower() == "skill.md" and norm.startswith("---"):
        found += _frontmatter_values(text, norm)
    return found


def _frontmatter_values(text: str, norm: str) -> list[Block]:
    """Frontmatter strings that do not appear as written (YAML escapes such as ``\\u0069``,
    quoted or folded scalars), decoded, one block at each key's line: the agent reads the
    value, not its spelling."""
    matter, _ = read_frontmatter(text[:MAX_FRONTMATTER_BYTES], lenient=True)
    out = []
    for key, value in matter.values.items():
        for string in _strings(value, 200):
            decoded = normalise(string)
            if decoded.strip() and decoded not in norm:
                line = matter.lines.get(key, 1)
                out.append(Block(decoded, 0, line, "frontmatter", ""))
    return out


def _strings(value: object, budget: int) -> list[str]:
    """The strings inside a YAML value (at most ``budget`` of them)."""
    if isinstance(value, str):
        return [value]
    items: list[object] = []
    if isinstance(value, dict):
        items = list(value.values())
    elif isinstance(value, list):
        items = list(value)
    out: list[str] = []
    for item in items:
        if len(out) >= budget:
            break
        out += _strings(item, budget - len(out))
    return out


def analyze_text(path: str, text: str, context: Context) -> list[Finding]:
    """Injection findings in the prose of ``path`` (see the module docstring)."""
    found = list(_hits(prose_blocks(path, text)))
    return report(path, found, context)


def report(path: str, hits: list[Hit], context: Context) -> list[Finding]:
    """Findings for ``hits``. A quoted example is low. Two different live kinds of hit of high
    severity or worse make each other critical; a medium one next to them becomes high."""
    rules = context.rules
    quoted = [quoted_example(h.block, h.start, h.end) for h in hits]
    base = [h.severity or rules[h.rule].severity for h in hits]
    strong = {
        h.rule
        for h, q, b in zip(hits, quoted, base, strict=True)
        if not q and b.rank <= Severity.HIGH.rank
    }
    out: list[Finding] = []
    for hit, is_quoted, own in zip(hits, quoted, base, strict=True):
        rule = rules[hit.rule]
        severity = _severity(hit, own, is_quoted, strong)
        line = hit.block.line + hit.block.text.count("\n", 0, hit.start)
        snippet = hit.block.text[hit.start : hit.start + 160].split("\n", 1)[0]
        note = " (quoted as an example)" if is_quoted else ""
        message = f"{rule.title}: {hit.what}{note}"
        out.append(Finding.of(rule, path, line, snippet, message, severity=severity))
    return out


def _severity(hit: Hit, own: Severity, quoted: bool, strong: set[str]) -> Severity:
    if quoted:
        return Severity.LOW
    if hit.critical or hit.rule in _CRITICAL_ALONE:
        return Severity.CRITICAL
    if own.rank <= Severity.HIGH.rank and len(strong) >= 2:
        return Severity.CRITICAL
    if own is Severity.MEDIUM and strong - {hit.rule}:
        return Severity.HIGH
    return own


def _in_code(text: str, offset: int) -> bool:
    """Whether ``offset`` is inside an inline code span (a command, read by the shell rules)."""
    return text.count("`", text.rfind("\n", 0, offset) + 1, offset) % 2 == 1


def _hits(items: list[Block]) -> Iterator[Hit]:
    for index, block in enumerate(items):
        if block.code:
            continue  # a fenced block of code: the code analyzers read it
        yield from _overrides(block)
        yield from _secrets(block, items[max(0, index - 2) : index])
        yield from _conceal(block)
        yield from _approvals(block)
        yield from _config(block, items[index + 1 : index + 2])
        yield from _data_urls(block)


def _conceal(block: Block) -> Iterator[Hit]:
    """Orders to hide an action: "do not tell the user", "silently upload" (an order, not
    "mismatches silently create"), not "never silently overwrite" or "never … without
    telling the user" (both say the opposite)."""
    text = block.text
    for match in vocabulary()["conceal"].finditer(text):
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
    voc = vocabulary()
    text = block.text
    for match in voc["approval"].finditer(text):
        if match[0].lower().startswith("without") and negated(text, match.start()):
            continue  # "never delete without asking": the opposite of a bypass
        ordered = match[0][:1].isalpha() and " " in match[0]  # a phrase, not a setting
        if not ordered and not _in_code(text, match.start()):
            clause = clause_before(text, match.start())
            at = match.start() - len(clause)
            ordered = any(
                imperative(text, at + v.start()) for v in voc["apply_verb"].finditer(clause)
            )
        severity = None if ordered else Severity.MEDIUM
        what = match[0]
        yield Hit(
            "text.approval_bypass", block, match.start(), match.end(), what, severity=severity
        )


def _overrides(block: Block) -> Iterator[Hit]:
    voc = vocabulary()
    text = block.text
    for match in voc["override"].finditer(text):
        strong = voc["override_strong"].search(match[0].split(None, 1)[-1])
        if strong and imperative(text, match.start()) and not negated(text, match.start()):
            yield Hit("markdown.prompt_injection", block, match.start(), match.end(), match[0])
    for match in voc["override_claim"].finditer(text):
        yield Hit("markdown.prompt_injection", block, match.start(), match.end(), match[0])


def _sources(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, what)`` of every sensitive source named in ``text``."""
    out = []
    for match in _PATHISH.finditer(text):
        source = knowledge.sensitive_source(match[0])
        if source is not None:
            out.append((match.start(), match.end(), f"{match[0].strip('`')} ({source.what})"))
    for match in vocabulary()["secret_words"].finditer(text):
        out.append((match.start(), match.end(), match[0]))
    return sorted(out)


def _secrets(block: Block, before: list[Block]) -> Iterator[Hit]:
    """An order to send, show, or put somewhere others read (a reply, an issue, a URL) a
    sensitive source: named after the verb and before any destination ("append X to
    ~/.ssh/config" writes there), or as a pronoun for a source named just before ("read
    ~/.ssh/id_rsa … base64 them")."""
    voc = vocabulary()
    text = block.text
    verbs = [
        (verb, verb_class == "put_verb")
        for verb_class in ("send_verb", "reveal_verb", "put_verb")
        for verb in voc[verb_class].finditer(text)
        if imperative(text, verb.start())
        and not negated(text, verb.start())
        and not _in_code(text, verb.start())
    ]
    if not verbs:
        return  # most blocks: no order to move or show anything, no need to look for sources
    sources = _sources(text)
    for verb, needs_channel in verbs:
        clause_end = _clause_end(text, verb.end())
        clause_start = verb.start() - len(clause_before(text, verb.start()))
        clause = text[clause_start : verb.start()] + " " + text[verb.end() : clause_end]
        if needs_channel and not voc["channel"].search(clause):
            continue  # "add the private key to .gitignore": it stays on the machine
        for start, end, what in sources:
            between = text[verb.end() : start]
            if (
                verb.end() <= start < clause_end
                and not voc["destination"].search(between)
                and not voc["negation"].search(between)
            ):
                yield Hit("text.secret_request", block, verb.start(), end, what)
                return
        pronoun = voc["pronoun"].match(text, verb.end())
        if pronoun:
            named = [s for s in sources if s[1] <= verb.start()]
            named = named or [s for b in before if not b.code for s in _sources(b.text)]
            if named:
                yield Hit("text.secret_request", block, verb.start(), pronoun.end(), named[-1][2])
                return


def _clause_end(text: str, offset: int) -> int:
    found = re.compile(r"[.!?;](?:\s|$)|\n\s*\n").search(text, offset)
    return found.start() if found else len(text)


def _config(block: Block, after: list[Block]) -> Iterator[Hit]:
    """An order to write an agent-control file (settings, CLAUDE.md, MCP configs)."""
    voc = vocabulary()
    text = block.text
    for verb in voc["config_verb"].finditer(text):
        if not imperative(text, verb.start()) or negated(text, verb.start()):
            continue
        clause_end = _clause_end(text, verb.end())
        for match in _PATHISH.finditer(text, verb.end(), clause_end):
            target = knowledge.control_target(match[0])
            if target is not None and target.kind == "agent-control":
                granted = voc["config_grant"].search(text + "\n" + "\n".join(b.text for b in after))
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
