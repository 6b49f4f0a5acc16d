"""The web UI's pages over a real registry subprocess, on SQLite and PostgreSQL: what each
page says about published skills, the filters of search, the headers of every page, and
that a quarantined version's files are never shown."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import httpx

from tank.server.web.security import CONTENT_SECURITY_POLICY
from tests.conftest import Server, SkillFactory, set_verdict
from tests.functional.test_publish_api import login
from tests.functional.web_skills import publish_examples

Pack = Callable[[Path], bytes]


def html_of(client: httpx.Client, path: str, status: int = 200) -> str:
    """GET ``path``: an HTML page with ``status`` and every security header."""
    answer = client.get(path)
    assert answer.status_code == status, (path, answer.status_code, answer.text[:500])
    assert answer.headers["content-type"].startswith("text/html"), path
    assert answer.headers["content-security-policy"] == CONTENT_SECURITY_POLICY, path
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    # The only script is the site's own file; no inline script, style or handler anywhere.
    elements = Elements()
    elements.feed(answer.text)
    assert [a for t, a in elements.found if t == "script"] == [{"src": "/static/tank.js"}]
    assert not [t for t, _ in elements.found if t in {"style", "iframe", "img", "object"}]
    for tag, attrs in elements.found:
        assert not [n for n in attrs if n.startswith("on") or n == "style"], (path, tag, attrs)
    return answer.text


class Elements(HTMLParser):
    """The elements a browser builds from a page, with their attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {n: v for n, v in attrs if n != "defer"}))


def result_names(page: str) -> list[str]:
    return re.findall(r'class="hit-name" href="/skills/([^"]+)"', page)


def test_pages(server: Server, skill_factory: SkillFactory, pack_skill: Pack) -> None:
    publish_examples(login(server, "alice"), skill_factory, pack_skill)
    anon = server.client()

    home = html_of(anon, "/")
    assert re.search(r'id="n-skills">2<', home) and re.search(r'id="n-versions">3<', home)
    assert re.search(r'id="n-publishers">1<', home) and re.search(r'id="n-good">0%<', home)
    assert "@alice/tool" in home and "@alice/notes" in home and 'role="search"' in home

    # search: the API's ranking and filters, plus the declared-permission filters
    assert result_names(html_of(anon, "/search?q=git")) == ["@alice/tool"]
    found = html_of(anon, "/search?q=notes")
    assert result_names(found) == ["@alice/notes"] and 'class="mark signed"' in found
    assert 'class="mark signed"' not in html_of(anon, "/search?q=git")
    assert set(result_names(html_of(anon, "/search"))) == {"@alice/tool", "@alice/notes"}
    assert result_names(html_of(anon, "/search?subprocess=true")) == ["@alice/tool"]
    assert result_names(html_of(anon, "/search?network=true&subprocess=true")) == ["@alice/tool"]
    assert result_names(html_of(anon, "/search?verdict=flagged")) == ["@alice/tool"]
    assert result_names(html_of(anon, "/search?verdict=pass")) == ["@alice/notes"]
    assert result_names(html_of(anon, "/search?scope=@bob")) == []
    assert result_names(html_of(anon, "/search?min_score=10")) == []
    assert "0 skills" in html_of(anon, "/search?min_score=10")
    assert "minimum score" in html_of(anon, "/search?min_score=eleven", 422)
    api = anon.get("/v1/search", params={"q": "agent"}).json()["results"]
    assert result_names(html_of(anon, "/search?q=agent")) == [r["name"] for r in api]
    api = anon.get("/v1/search", params={"q": "agent", "network": "true"}).json()["results"]
    assert [r["name"] for r in api] == ["@alice/tool"]

    # the skill page: everything the registry knows about the latest version
    page = html_of(anon, "/skills/@alice/tool")
    assert "tank install @alice/tool@2.0.0" in page and 'data-copy="install-cmd"' in page
    assert "secrets.private_key" in page and "deploy/key.pem:1" in page
    assert "Remove the key, rotate it" in page  # the remediation
    assert "Since 1.0.0: additive dangerous" in page
    assert re.search(r"<code>subprocess</code> true\s*<span class=\"mark danger\">", page)
    assert page.count("new since 1.0.0") == 3  # outbound host, its rate, subprocess
    assert "code signing" in page and "community reviews" in page  # the breakdown
    assert "Transparency log" in page and re.search(r"entry #\d+", page)
    assert 'href="/v1/skills/@alice/tool/2.0.0/sbom"' in page
    assert "/skills/@alice/tool/diff?from=1.0.0&amp;to=2.0.0" in page
    assert '<a href="/skills/@alice/notes">@alice/notes@1.0.0 (^2.0.0)</a>' in page  # used by
    sbom = anon.get("/v1/skills/@alice/tool/2.0.0/sbom")
    assert sbom.status_code == 200 and sbom.json()["bomFormat"] == "CycloneDX"
    old = html_of(anon, "/skills/@alice/tool/v/1.0.0")
    assert "tank install @alice/tool@1.0.0" in old and "new since" not in old
    assert "latest is" in old and "No public skill depends on this version." in old

    # the hostile SKILL.md is shown as text
    notes = html_of(anon, "/skills/@alice/notes")
    assert "Keep notes. &lt;script&gt;alert(" in notes and "&lt;iframe" in notes
    assert 'href="javascript:' not in notes and 'href="data:' not in notes
    assert '<a href="http://evil.example/pixel.png"' in notes and "<img" not in notes
    assert "verified at publish (ed25519)" in notes
    assert re.search(
        r'href="/skills/@alice/tool">@alice/tool</a> <code>\^2\.0\.0</code>\s*→ 2\.0\.0', notes
    )

    # files: highlighted source, binary files not rendered, unknown files 404
    source = html_of(anon, "/skills/@alice/tool/files/scripts/run.py?version=2.0.0")
    assert 'class="code"' in source and "subprocess" in source and 'id="L-1"' in source
    assert 'href="/assets/code.css"' in source
    assert "not shown: a binary file" in html_of(
        anon, "/skills/@alice/tool/files/assets/logo.bin?version=1.0.0"
    )
    listing = html_of(anon, "/skills/@alice/tool/files")
    assert "deploy/key.pem" in listing and "requirements.txt" in listing
    html_of(anon, "/skills/@alice/tool/files/nope.txt", 404)

    # the diff: permissions, interface, files
    diff = html_of(anon, "/skills/@alice/tool/diff")
    assert "1.0.0 → 2.0.0" in diff and "Permissions: additive dangerous" in diff
    assert "api.example.org" in diff and "scripts/run.py" in diff and "deploy/key.pem" in diff
    assert "Required: <strong>major</strong>" in diff
    back = html_of(anon, "/skills/@alice/tool/diff?from=2.0.0&to=1.0.0")
    assert "2.0.0 → 1.0.0" in back and "Permissions: removal" in back

    # errors are pages too, with the API's status
    assert "no skill named @alice/nope" in html_of(anon, "/skills/@alice/nope", 404)
    html_of(anon, "/skills/alice/tool", 404)
    html_of(anon, "/skills/@alice/tool/v/9.9.9", 404)
    html_of(anon, "/no/such/page", 404)
    assert "page" in html_of(anon, "/search?page=0", 422)
    html_of(anon, "/search?keyword=a%00b", 422)  # PostgreSQL cannot hold NUL: refused first
    html_of(anon, "/search?scope=%00", 422)
    assert anon.get("/v1/no/such/route").json()["error"]["code"] == "not_found"  # API: JSON

    # assets carry the headers; the API's JSON answers do not change
    css = anon.get("/static/tank.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert css.headers["x-content-type-options"] == "nosniff"
    assert anon.get("/static/tank.js").headers["content-type"].startswith("text/javascript")
    assert ".code" in anon.get("/assets/code.css").text
    document = anon.get("/v1/skills/@alice/tool")
    assert document.headers["content-type"] == "application/json"
    assert "content-security-policy" not in document.headers

    # a quarantined version: findings and marks, never its files
    set_verdict(server.db_url, "@alice/tool", "1.0.0", "fail")
    quarantined = html_of(anon, "/skills/@alice/tool/v/1.0.0")
    assert "quarantined" in quarantined and "failed the security scan" in quarantined
    assert "Files (" not in quarantined
    html_of(anon, "/skills/@alice/tool/files/scripts/run.py?version=1.0.0", 451)
    html_of(anon, "/skills/@alice/tool/diff?from=1.0.0&to=2.0.0", 451)
    versions = html_of(anon, "/skills/@alice/tool")
    assert re.search(r"1\.0\.0</a>.*?quarantined", versions, re.DOTALL)
