"""Turning hostile skill content into inert HTML: SKILL.md as Markdown, files as source.

Skills are untrusted input, so the Markdown goes through two independent layers:

1. ``markdown-it-py`` with the CommonMark preset and ``html`` off: raw HTML in the source is
   printed as text, and its link validation already drops ``javascript:``, ``vbscript:``,
   ``file:`` and ``data:`` targets. Images are rendered as a plain link whose text names the
   image: a remote image would tell its host who read the page (and when).
2. ``nh3`` (the Rust ``ammonia`` sanitizer) over the result, with an allow-list of the tags
   Markdown produces, no ``style`` or event-handler attribute, and only ``http``, ``https``
   and ``mailto`` links (relative links stay, resolved against the page). Headings move two
   levels down, under the page's own.

Source files are highlighted by Pygments with CSS classes (never inline styles: the page's
Content-Security-Policy forbids them), bounded in size, and binary files are not rendered.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import TextLexer, get_lexer_for_filename
from pygments.util import ClassNotFound

__all__ = [
    "MAX_MARKDOWN_CHARS",
    "MAX_SOURCE_BYTES",
    "Source",
    "code_css",
    "render_markdown",
    "render_source",
]

#: A SKILL.md longer than this is cut before rendering (the scanner reads all of it).
MAX_MARKDOWN_CHARS = 200_000
#: Files larger than this are not highlighted (offered as a download through the API instead).
MAX_SOURCE_BYTES = 256 * 1024

#: How many levels a SKILL.md heading goes down on the page.
HEADING_SHIFT = 2

_TAGS = {
    "a", "blockquote", "br", "code", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li",
    "ol", "p", "pre", "strong", "ul",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "code": {"class"}}
_SCHEMES = {"http", "https", "mailto"}


def _image_as_link(
    self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """``![alt](src)`` as a link reading ``[image: alt]``: nothing is fetched by the page."""
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env) or "image"
    src = str(token.attrGet("src") or "")
    text = _escape(f"[image: {alt}]")
    if not src:
        return text
    return f'<a href="{_escape(src)}">{text}</a>'


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _demote_headings(state: StateCore) -> None:
    """Headings two levels down (``#`` → ``h3``): the page's own ``h1`` and ``h2`` frame the
    document, and a skill's headings must not pass for the page's (one ``h1`` per page)."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + HEADING_SHIFT, 6)}"


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.add_render_rule("image", _image_as_link)
    md.core.ruler.push("demote_headings", _demote_headings)
    return md


def render_markdown(text: str) -> str:
    """Safe HTML for the Markdown ``text`` (see the module docs for what "safe" holds)."""
    html = _markdown().render(text[:MAX_MARKDOWN_CHARS])
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )


@dataclass(frozen=True, slots=True)
class Source:
    """A file as the file browser shows it: highlighted HTML, or why it is not shown."""

    path: str
    size: int
    html: str | None
    reason: str | None = None


def render_source(path: str, data: bytes) -> Source:
    """Highlight ``data`` (the file ``path``); binary or oversized files get a reason instead."""
    if len(data) > MAX_SOURCE_BYTES:
        reason = f"not shown: {len(data):,} bytes, over the {MAX_SOURCE_BYTES:,}-byte limit"
        return Source(path, len(data), None, reason)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = ""
    if (not text and data) or "\x00" in text:
        return Source(path, len(data), None, "not shown: a binary file")
    try:
        lexer: Any = get_lexer_for_filename(path, stripnl=False)
    except ClassNotFound:
        lexer = TextLexer(stripnl=False)
    html = highlight(text, lexer, _formatter())
    return Source(path, len(data), html)


@lru_cache(maxsize=1)
def _formatter() -> HtmlFormatter[str]:
    # Classes only (the CSP allows no inline style); line numbers in a table column that
    # copy-and-paste leaves out.
    return HtmlFormatter(cssclass="code", linenos="table", lineanchors="L", anchorlinenos=True)


@lru_cache(maxsize=1)
def code_css() -> str:
    """The stylesheet of highlighted source (served at ``/static/code.css``)."""
    return str(_formatter().get_style_defs(".code"))  # type: ignore[no-untyped-call]
