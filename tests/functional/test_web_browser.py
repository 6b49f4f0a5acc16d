"""The web UI in a real browser: Playwright driving Debian's Chromium (never a downloaded one).

One registry (SQLite) and one browser for the module. A visitor searches, opens a skill,
reads its score breakdown and findings, copies the install command, browses its files and
views a diff, by mouse and keyboard, at desktop and phone width; a user signs in, creates
and revokes a token and reports a skill, which an administrator quarantines from the
moderation queue, after which the real ``tank install`` refuses it. No page logs a
Content-Security-Policy violation (or any other console error). The run saves screenshots
of the main pages to docs/screenshots/ (shown in the README).

Skipped only when /usr/bin/chromium is absent (``apt-get install chromium``;
scripts/bootstrap.sh installs it with the dev extra).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tank.core.pack import pack_folder
from tank.server.admin import create_user
from tests.conftest import Server, make_skill, run_tank, start_server
from tests.functional.test_publish_api import PASSWORD, login
from tests.functional.web_skills import publish, publish_examples

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="the browser tests need Debian's Chromium at /usr/bin/chromium "
    "(apt-get install chromium, or TANK_EXTRAS=dev bash scripts/bootstrap.sh as root)",
)


@dataclass
class Console:
    """What the pages said on the console (errors, CSP violations) and any dialogs."""

    errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, _sqlite_template: Path) -> Iterator[Server]:
    """A registry on SQLite with the example skills published."""
    root = tmp_path_factory.mktemp("web-browser")
    db = root / "registry.db"
    shutil.copyfile(_sqlite_template, db)
    server = start_server(f"sqlite:///{db}", root / "blobs")
    try:
        publish_examples(
            login(server, "alice"),
            lambda **kw: make_skill(root, **kw),
            lambda folder: pack_folder(folder).data,
        )
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One headless Chromium for the module (Debian's binary, no download)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield launched
        launched.close()


def open_page(browser: object, site: Server, viewport: dict[str, int], console: Console):  # type: ignore[no-untyped-def]
    """A fresh page at ``viewport`` that records console errors and dialogs into ``console``."""
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport=viewport, base_url=site.url, permissions=["clipboard-read", "clipboard-write"]
    )
    page = context.new_page()
    page.on("console", lambda m: m.type in ("error", "warning") and console.errors.append(m.text))
    page.on("pageerror", lambda e: console.errors.append(f"page error: {e}"))
    page.on("response", lambda r: r.status >= 400 and console.errors.append(f"{r.status} {r.url}"))
    page.on("dialog", lambda d: (console.errors.append(f"dialog: {d.message}"), d.dismiss()))
    return page


def test_search_open_read_browse_and_diff(browser: object, site: Server) -> None:
    from playwright.sync_api import expect

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    console = Console()
    page = open_page(browser, site, DESKTOP, console)

    page.goto("/")
    expect(page.get_by_role("heading", name="Recently published")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "home-desktop.png"))
    # keyboard: the first Tab reaches the skip link, which moves focus to the content
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to content")
    page.get_by_label("Search skills", exact=True).last.fill("git")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=git")
    results = page.locator(".hit-name")
    expect(results).to_have_text(["@alice/tool"])

    results.first.click()
    page.wait_for_url("**/skills/@alice/tool")
    expect(page.get_by_role("heading", level=1)).to_contain_text("@alice/tool")
    breakdown = page.get_by_role("table", name="Score breakdown")
    expect(breakdown.get_by_role("row")).to_have_count(10)  # header + the nine checks
    expect(breakdown).to_contain_text("code signing")
    finding = page.locator(".finding").first
    expect(finding).to_contain_text("secrets.private_key")
    expect(finding).to_contain_text("deploy/key.pem:1")
    expect(page.locator(".perms .escalation")).to_have_count(3)
    page.screenshot(path=str(SCREENSHOTS / "skill-desktop.png"))
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == "tank install @alice/tool@2.0.0"

    # a finding links to its line in the file browser
    finding.get_by_role("link", name="deploy/key.pem:1").click()
    expect(page.locator("#L-1")).to_be_attached()
    page.get_by_role("link", name="scripts/run.py").click()
    expect(page.locator(".source td.code")).to_contain_text("subprocess.run")
    assert page.locator(".source .k, .source .kn").count() > 0  # highlighted by class

    page.goto("/skills/@alice/tool")
    page.get_by_role("link", name="Changes since 1.0.0").click()
    expect(page.get_by_role("heading", name="Permissions: additive dangerous")).to_be_visible()
    expect(page.locator(".udiff .add").first).to_be_visible()

    # a hostile SKILL.md runs nothing: no dialog, no request to its host, no violation
    page.goto("/skills/@alice/notes")
    expect(page.locator(".markdown")).to_contain_text("<script>alert('xss')</script>")
    expect(page.locator(".markdown img, .markdown iframe, .markdown script")).to_have_count(0)

    # filters by mouse: "declares subprocesses" keeps the tool, not the notes
    page.goto("/search?q=agent")
    expect(page.locator(".hit .signed")).to_have_count(1)  # the notes are signed
    page.screenshot(path=str(SCREENSHOTS / "search-desktop.png"))
    page.get_by_label("subprocesses").check()
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".hit-name")).to_have_text(["@alice/tool"])
    page.context.close()
    assert console.errors == []


def test_phone_width(browser: object, site: Server) -> None:
    from playwright.sync_api import expect

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    console = Console()
    page = open_page(browser, site, PHONE, console)
    for path, name in (
        ("/", "home"),
        ("/search?q=agent", "search"),
        ("/skills/@alice/tool", "skill"),
    ):
        page.goto(path)
        expect(page.locator("main")).to_be_visible()
        # nothing wider than the screen: no sideways scrolling at phone width
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
        page.screenshot(path=str(SCREENSHOTS / f"{name}-phone.png"))
    page.context.close()
    assert console.errors == []


def sign_in(page: object, username: str) -> None:
    """Sign in through the form, by keyboard and mouse."""
    from playwright.sync_api import expect

    page.goto("/")  # type: ignore[attr-defined]
    page.get_by_role("link", name="Sign in").click()  # type: ignore[attr-defined]
    page.get_by_label("Username").fill(username)  # type: ignore[attr-defined]
    page.get_by_label("Password").fill(PASSWORD)  # type: ignore[attr-defined]
    page.get_by_label("Password").press("Enter")  # type: ignore[attr-defined]
    page.wait_for_url("**/account")  # type: ignore[attr-defined]
    heading = page.get_by_role("heading", level=1)  # type: ignore[attr-defined]
    expect(heading).to_contain_text(f"Signed in as {username}")


def install(site: Server, root: Path, name: str) -> tuple[int, str]:
    """``tank install NAME`` with the real CLI, in a fresh project and client home."""
    project = root / "project"
    project.mkdir(parents=True, exist_ok=True)
    (project / "skills.json").write_text('{"name": "p", "skills": {}}\n')
    (root / "home").mkdir(exist_ok=True)
    env = {
        "TANK_CONFIG_DIR": str(root / "config"),
        "TANK_CACHE_DIR": str(root / "cache"),
        "TANK_HOME": str(root / "home"),
        "TANK_NO_KEYRING": "1",
        "TANK_REGISTRY": site.url,
        "CI": "",
        "TANK_TOKEN": "",
        "NO_COLOR": "1",
    }
    result = run_tank("install", name, cwd=project, env=env)
    return result.returncode, result.stdout + result.stderr


def test_sign_in_tokens_report_and_quarantine(
    browser: object, site: Server, tmp_path: Path
) -> None:
    import httpx
    from playwright.sync_api import expect

    alice = site.client(site.token("alice", PASSWORD))
    folder = make_skill(tmp_path, scope="alice", name="clean", files={"ref.md": "ok"})
    publish(alice, pack_folder(folder).data)
    assert install(site, tmp_path / "before", "@alice/clean")[0] == 0
    assert (tmp_path / "before/project/.agents/skills/clean/SKILL.md").is_file()
    create_user(site.db_url, "bob", PASSWORD)
    create_user(site.db_url, "mod", PASSWORD, admin=True)
    console = Console()
    page = open_page(browser, site, DESKTOP, console)

    # bob signs in, makes a token (shown once, copied), and revokes it
    sign_in(page, "bob")
    page.get_by_label("Name").fill("laptop")
    page.get_by_label("publish").check()
    page.get_by_role("button", name="Create token").click()
    secret = page.locator("#new-token-secret").input_value()
    assert secret.startswith("tank_")
    page.get_by_role("button", name="Copy").click()
    assert page.evaluate("navigator.clipboard.readText()") == secret
    whoami = httpx.get(f"{site.url}/v1/whoami", headers={"Authorization": f"Bearer {secret}"})
    assert whoami.json()["scopes"] == ["publish", "read"]
    page.screenshot(path=str(SCREENSHOTS / "account-desktop.png"))
    page.goto("/account")
    row = page.locator("tr", has_text="laptop")
    row.get_by_role("button", name="Revoke").click()
    expect(page.locator("tr", has_text="laptop")).to_contain_text("revoked")
    whoami = httpx.get(f"{site.url}/v1/whoami", headers={"Authorization": f"Bearer {secret}"})
    assert whoami.status_code == 401

    # bob reports the skill from its page, then signs out
    page.goto("/skills/@alice/clean")
    page.get_by_text("Report this skill").click()
    page.get_by_label("What is wrong").fill("it uploads the workspace somewhere")
    page.get_by_role("button", name="Send report").click()
    expect(page.locator("#report-done")).to_contain_text("@alice/clean@1.0.0")
    page.goto("/account")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()

    # the administrator quarantines it from the queue
    sign_in(page, "mod")
    page.get_by_role("link", name="Moderation").click()
    row = page.locator("tr", has_text="it uploads the workspace somewhere")
    row.get_by_label("Reason").fill("confirmed: exfiltration")
    row.get_by_role("button", name="Quarantine").click()
    expect(page.locator("tr", has_text="@alice/clean@1.0.0")).to_contain_text("quarantined")
    page.screenshot(path=str(SCREENSHOTS / "moderation-desktop.png"))
    page.goto("/skills/@alice/clean/v/1.0.0")
    expect(page.locator("#moderation-note")).to_contain_text("confirmed: exfiltration")
    page.context.close()
    assert console.errors == []

    # ... and the real CLI refuses to install it
    code, output = install(site, tmp_path / "after", "@alice/clean")
    assert code != 0, output
    assert "@alice/clean has no installable version" in output, output
    assert not (tmp_path / "after" / "project" / ".agents").exists()
