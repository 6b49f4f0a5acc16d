"""Scripts inside SVG and HTML files: ``<script>`` elements, ``on…=`` event handlers and
``javascript:`` links.

An image that runs code is rare and never needed by a skill; one whose script sends the
page's cookies, storage or address to an outside host (an ``Image`` beacon, ``fetch``,
``sendBeacon``, ``XMLHttpRequest``, a WebSocket) steals the session of whoever opens it
(``js.browser_exfiltration``). The scripts also get the JavaScript analyzer's rules, with
their lines counted in the file. A static SVG (shapes, ``<style>``, ``<title>``) has no
script and costs one regex pass.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from tank.scanner.analyzers.base import Context, line_at
from tank.scanner.analyzers.js_fold import Folder
from tank.scanner.analyzers.js_tree import callee, line_of, parse_js, text_of, walk
from tank.scanner.analyzers.sensitive import URL
from tank.scanner.knowledge import is_local_host
from tank.scanner.model import Evidence, Finding

if TYPE_CHECKING:
    from tree_sitter import Node

__all__ = ["analyze_markup", "scripts_of"]

#: Scripts longer than this are cut (a skill's icon has no business with large scripts).
MAX_SCRIPT_CHARS = 64 * 1024
MAX_SCRIPTS = 64
_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)(?:</script\s*>|\Z)", re.IGNORECASE | re.DOTALL)
_HANDLER = re.compile(
    r"""\son[a-z]+\s*=\s*(?:"([^"]*)"|'([^']*)')|\bhref\s*=\s*["']\s*javascript:([^"']*)""",
    re.IGNORECASE,
)
_CDATA = re.compile(r"<!\[CDATA\[|\]\]>")
#: What a page knows about its visitor: session cookies, stored tokens, the address.
_BROWSER_DATA = re.compile(
    r"\bdocument\.cookie\b|\b(?:local|session)Storage\b|\bindexedDB\b|\bdocument\.domain\b"
    r"|\b(?:document|window)\.location\b|\blocation\.(?:href|search|hash|host)\b|\blocation\b"
)
_BEACONS = frozenset({"fetch", "navigator.sendBeacon", "sendBeacon", "$.get", "$.post", "$.ajax"})


def scripts_of(text: str) -> list[tuple[int, str]]:
    """``(line, code)`` for each script and event handler of an SVG or HTML text."""
    out: list[tuple[int, str]] = []
    for match in _SCRIPT.finditer(text):
        code = _CDATA.sub("  ", match.group(1))[:MAX_SCRIPT_CHARS]
        out.append((line_at(text, match.start(1)), code))
    for match in _HANDLER.finditer(text):
        index = next(i for i in (1, 2, 3) if match.group(i) is not None)
        code = match.group(index).replace("&quot;", '"').replace("&amp;", "&")
        out.append((line_at(text, match.start(index)), code[:MAX_SCRIPT_CHARS]))
    return out[:MAX_SCRIPTS]


def analyze_markup(path: str, text: str, context: Context) -> list[Finding]:
    """``js.*`` findings over the scripts of one SVG/HTML file."""
    if "<script" not in text.lower() and not _HANDLER.search(text):
        return []
    from tank.scanner.analyzers.js import analyze_js  # loaded only for files with scripts

    out: list[Finding] = []
    for line, code in scripts_of(text):
        parsed = parse_js(f"{path}.js", code)
        folder = Folder(parsed.root)
        for node in walk(parsed.root):
            sink = _sink(node)
            if sink is None:
                continue
            found = _beacon(folder, node, sink, path, line, context)
            if found is not None:
                out.append(found)
        for finding in analyze_js(f"{path}.js", code, context):
            out.append(replace(finding, file=path, line=finding.line + line - 1))
    return out


def _sink(node: Node) -> Node | None:
    """The expression a page sends out at ``node``: an ``x.src =`` value, the arguments of
    ``fetch``/``sendBeacon``/``XMLHttpRequest.open``/``send``, a new WebSocket's URL."""
    if node.type == "assignment_expression":
        left = node.child_by_field_name("left")
        if left is not None and text_of(left).rsplit(".", 1)[-1] in ("src", "href", "action"):
            return node.child_by_field_name("right")
        if left is not None and text_of(left) in (
            "location",
            "window.location",
            "document.location",
        ):
            return node.child_by_field_name("right")
        return None
    if node.type in ("call_expression", "new_expression"):
        name = callee(node)
        last = name.rsplit(".", 1)[-1]
        args = node.child_by_field_name("arguments")
        if args is not None and (
            name in _BEACONS or last in ("sendBeacon", "open", "send") or name == "WebSocket"
        ):
            return args
    return None


def _beacon(
    folder: Folder, node: Node, sink: Node, path: str, line: int, context: Context
) -> Finding | None:
    data = _BROWSER_DATA.search(_expanded(folder, sink))
    if data is None:
        return None
    hosts = {m.group(1) for t in folder.strings(sink) for m in URL.finditer(t)}
    hosts |= {m.group(1) for m in URL.finditer(text_of(sink))}
    hosts |= {m.group(1) for m in re.finditer(r"['\"`]//([A-Za-z0-9.-]+)", text_of(sink))}
    outside = sorted(h for h in hosts if not is_local_host(h))
    if not outside:
        return None
    at = line + line_of(node) - 1
    what = f"{data.group(0)} to {outside[0]}"
    return Finding.of(
        context.rules["js.browser_exfiltration"],
        path,
        at,
        text_of(node).splitlines()[0][:200],
        f"a script in this file sends {what}",
        evidence=(
            Evidence("source", path, at, data.group(0)),
            Evidence(
                "sink", path, at, f"{text_of(node).split('=', 1)[0].strip()[:60]} → {outside[0]}"
            ),
        ),
    )


def _expanded(folder: Folder, sink: Node) -> str:
    """The sink's text and the text its names were set to (one level)."""
    pieces = [text_of(sink)]
    for sub in walk(sink):
        if sub.type == "identifier":
            pieces.extend(text_of(v) for v in folder.definitions(text_of(sub))[:4])
        if len(pieces) > 64:
            break
    return " ".join(pieces)
