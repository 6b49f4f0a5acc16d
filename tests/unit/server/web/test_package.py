"""The web UI's templates and static files are package data that loads, and the app serves
them with the security headers (in-process: the functional tests cover the real server)."""

from __future__ import annotations

from importlib.resources import files

from tank.server.web import STATIC
from tank.server.web.pages import templates
from tank.server.web.security import CONTENT_SECURITY_POLICY, PAGE_HEADERS

TEMPLATES = ("account.html", "base.html", "diff.html", "error.html", "files.html", "home.html",
             "macros.html", "moderation.html", "reported.html", "search.html", "signin.html",
             "skill.html")  # fmt: skip


def test_every_template_is_package_data_and_compiles() -> None:
    package = files("tank.server.web")
    listed = sorted(p.name for p in (package / "templates").iterdir() if p.name.endswith(".html"))
    assert listed == sorted(TEMPLATES)
    env = templates()
    for name in TEMPLATES:
        env.get_template(name)  # raises on a syntax error
    assert env.autoescape is True or env.autoescape("x.html")


def test_autoescape_escapes_what_a_skill_sends() -> None:
    html = (
        templates()
        .get_template("error.html")
        .render(
            title="<b>t</b>", code=404, message="<script>alert(1)</script>", hint='"><img src=x>'
        )
    )
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
    assert "<img src=x>" not in html and "<b>t</b>" not in html


def test_static_files_ship_with_the_package() -> None:
    assert {p.name for p in STATIC.iterdir()} >= {"tank.css", "tank.js", "favicon.svg"}
    script = (STATIC / "tank.js").read_text(encoding="utf-8")
    assert "eval(" not in script and "innerHTML" not in script


def test_the_policy_allows_nothing_inline_or_foreign() -> None:
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY
    assert dict(PAGE_HEADERS)["X-Content-Type-Options"] == "nosniff"
