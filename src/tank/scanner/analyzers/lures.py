"""Lures: prose that gets a person or an agent to fetch and run something nobody reviewed.

The real stealer campaigns needed no code in the skill: a "Prerequisites" section links to a
download outside any package registry, gives the password of the archive (so scanners cannot
look inside), says how to get past Gatekeeper or SmartScreen, or hands over a one-liner to
paste into a terminal. Each is a class of words in ``data/prose.yaml``:

* ``text.lure_archive_password`` — an archive and its password (any wording: "pass:",
  "**Password**:", "the password is the word …") with an order to extract or open it;
* ``text.lure_download`` — an order to download, install or run something from an outside
  host that is not a package registry: high when what is fetched is an executable or archive
  or the host is a bare public IP, a paste site, a file drop or a free user-content host
  (critical if the skill says it cannot work without it), a medium note otherwise;
* ``text.lure_security_bypass`` — getting past Gatekeeper, SmartScreen, quarantine or the
  antivirus;
* ``text.lure_paste_command`` — "paste this into your terminal", "copy the command from …",
  "Quick setup here → <link>".

They are reported with the injection findings (:func:`.text_hits.report`): two different
kinds of high severity in one file (a download *and* an archive password, or *and* "do not
ask the user") are critical: that pairing is the campaign's signature.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from functools import lru_cache
from urllib.parse import urlsplit

from tank.scanner import knowledge
from tank.scanner.analyzers.prose import (
    Block,
    first,
    imperative,
    matches,
    negated,
    vocabulary,
)
from tank.scanner.analyzers.prose_read import is_prose
from tank.scanner.analyzers.text_hits import MAX_HITS_PER_RULE, Hit
from tank.scanner.model import Severity

__all__ = ["lure_hits"]

_URL = re.compile(r"https?://[^\s)`'\"<>\]]+")
#: A password given after the word: "pass `x`", "**Password**: x", "is the word …", "is pdf2025!".
_GIVEN = re.compile(
    r"[\s*_]*(?:[:=][\s*_]*[\w!@#$%^&*.-]{3,}|(?:is\b|:|=|-)?[\s*_]*"
    r"(?:[`'\"][^`'\"\s]{2,}|the\s+(?:word|letters|name)\b|\S*\d\S*))"
)
#: …and after "pass"/"pwd" (also a verb, a test verdict, a path), only a quoted value.
_QUOTED = re.compile(r"[\s*_]*(?:[:=]|is\b)?[\s*_]*[`'\"][^`'\"\s]{2,}")
_SENTENCE_END = re.compile(r"[.!?;](?:\s|$)|\n\s*\n")
_BLOB = re.compile(r"[A-Za-z0-9+/]{40,}={0,2}")


def lure_hits(path: str, items: list[Block], counts: dict[str, int]) -> Iterator[Hit]:
    """Lures in the blocks of a prose file (code files have their own analyzers); a rule that
    has its share of hits in ``counts`` (see :mod:`.text`) is not looked for any more."""
    if not is_prose(path):
        return
    for index, block in enumerate(items):
        if block.fenced:
            continue  # fenced code and examples: the code analyzers read commands
        window = [block, *items[index + 1 : index + 3]]
        if counts.get("text.lure_archive_password", 0) < MAX_HITS_PER_RULE:
            yield from _archive_password(block, window)
        if counts.get("text.lure_download", 0) < MAX_HITS_PER_RULE:
            yield from _downloads(block, items[max(0, index - 1) : index + 1])
        if counts.get("text.lure_security_bypass", 0) < MAX_HITS_PER_RULE:
            yield from _matches(block, "security_bypass", "text.lure_security_bypass")
        if counts.get("text.lure_paste_command", 0) < MAX_HITS_PER_RULE:
            yield from _paste(block, window)


def _matches(block: Block, word_class: str, rule: str) -> Iterator[Hit]:
    for match in matches(word_class, block.text):
        if not negated(block.text, match.start()):
            yield Hit(rule, block, match.start(), match.end(), match[0])
            return


def _archive_password(block: Block, window: list[Block]) -> Iterator[Hit]:
    """A password near an archive and an order to extract it (in this block or the next)."""

    password = first("password", block.text)
    if password is None:
        return
    joined = "\n".join(b.text for b in window)
    archive = first("archive", joined)
    extract = next(
        (m for b in window for m in matches("extract", b.text) if imperative(b.text, m.start())),
        None,
    )
    here = any(imperative(block.text, m.start()) for m in matches("extract", block.text))
    short = password[0].strip("*_ ").lower() in ("pass", "pwd", "pw")  # a verb or a verdict too
    given = (_QUOTED if short else _GIVEN).match(block.text, password.end())
    strong = password[0].lower().startswith("pass") and len(password[0]) > 4 and archive
    if (given and (archive or extract)) or (strong and here):
        if negated(block.text, password.start()):
            return
        what = f"an archive with its password ({block.text[password.start() :][:60]!r})"
        yield Hit("text.lure_archive_password", block, password.start(), password.end(), what)


#: Collectors that serve files to whoever has the link (a webhook or an API is no download).
_FILE_HOSTS = frozenset({"paste site", "anonymous file drop"})
#: The user's own network: a device on the LAN is not a stranger's server.
_LAN = tuple(
    ipaddress.ip_network(n)
    for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "fc00::/7")
)


@lru_cache(maxsize=1024)
def _outside(url: str) -> tuple[str, str] | None:
    """``(host, why)`` of an outside, non-registry URL (None for registries, loopback and the
    local network): ``artifact`` for a path that ends in an executable or archive, a bare
    public IP, a paste site or a file drop; ``anonymous host`` for a free user-content host
    (suspicious when something is downloaded or installed from it); ``""`` otherwise."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return None
    if not host or knowledge.is_local_host(host) or first("registry_hosts", host):
        return None
    try:
        address: ipaddress.IPv4Address | ipaddress.IPv6Address | None = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None and any(address in net for net in _LAN):
        return None
    drop = first("user_content_hosts", host) is not None
    artifact = first("lure_artifact", parts.path) is not None
    if address is not None or artifact or knowledge.collector_host(host, parts.path) in _FILE_HOSTS:
        return host, "artifact"  # what is fetched is a file to run, or from nobody's server
    return host, "anonymous host" if drop else ""


def _downloads(block: Block, around: list[Block]) -> Iterator[Hit]:
    """An order to fetch from an outside host that is no package registry: high for an
    executable or archive, a bare IP, a paste site or a free user-content host, critical when
    the skill says it will not work without it ("must be installed before using this skill":
    the campaign's prerequisite); a medium note for any other "download and install … from
    <site>" (high next to another kind of trouble in the file)."""
    voc = vocabulary()
    text = block.text
    verbs = [
        v
        for v in matches("lure_fetch", text)
        if imperative(text, v.start()) and not negated(text, v.start())
    ]
    if not verbs:
        return
    for verb in verbs:
        end = _SENTENCE_END.search(text, verb.end())
        for match in _URL.finditer(text, verb.end(), end.start() if end else len(text)):
            outside = _outside(match[0])
            if outside is None:
                continue
            what = f"{verb[0]} {match[0][:80]} (outside any package registry)"
            installs = voc["install_verb"].fullmatch(verb[0]) is not None
            if outside[1] == "artifact" or (outside[1] == "anonymous host" and installs):
                required = any(first("prerequisite", b.text) for b in around)
                yield Hit("text.lure_download", block, verb.start(), match.end(), what, required)
                return
            if installs:
                severity = Severity.MEDIUM
                yield Hit(
                    "text.lure_download", block, verb.start(), match.end(), what, False, severity
                )
                return


def _paste(block: Block, window: list[Block]) -> Iterator[Hit]:

    for match in matches("paste_command", block.text):
        if negated(block.text, match.start()):
            continue
        joined = "\n".join(b.text for b in window)
        if _BLOB.search(joined) or _URL.search(joined) or "|" in joined:
            what = f"{match[0][:60]!r} with a command or link to run"
            yield Hit("text.lure_paste_command", block, match.start(), match.end(), what)
            return
