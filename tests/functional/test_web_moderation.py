"""Reports and moderation over a real registry subprocess, on SQLite and PostgreSQL: the
report API (who may, what it checks, where it is stored), the queue page for administrators
only, and a quarantine from the page that stops the tarball, shows on the skill page, is in
the audit history, and can be undone only as it was done."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import httpx

from tank.server.admin import create_user
from tests.conftest import Server, SkillFactory
from tests.functional.test_publish_api import PASSWORD, login
from tests.functional.test_web_account import csrf_of, sign_in
from tests.functional.web_skills import publish

Pack = Callable[[Path], bytes]
TARBALL = "/v1/skills/@alice/pdf/1.0.0/tarball"


def test_report_queue_and_quarantine(
    server_factory: Callable[..., Server], skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    server = server_factory(env={"TANK_REGISTRY_RATE_LIMIT_REPORTS": "3"})
    publish(login(server, "alice"), pack_skill(skill_factory(scope="alice", name="pdf")))
    bob = login(server, "bob")
    create_user(server.db_url, "mod", PASSWORD, admin=True)

    # The report API: signed requests only, a reason required, hidden skills are 404.
    url = "/v1/skills/@alice/pdf/report"
    assert server.client().post(url, json={"reason": "x"}).status_code == 401
    assert bob.post(url, json={"reason": ""}).status_code == 422
    assert bob.post("/v1/skills/@alice/nope/report", json={"reason": "x"}).status_code == 404
    sent = bob.post(url, json={"reason": "it reads ~/.ssh and posts it"})
    assert sent.status_code == 201, sent.text
    assert sent.json() == {
        "name": "@alice/pdf",
        "version": "1.0.0",
        "reason": "it reads ~/.ssh and posts it",
        "reported": True,
    }

    # Reports are limited per user, whichever token sends them.
    other = server.client(server.token("bob", PASSWORD))
    tries = [other.post(url, json={"reason": "again"}).status_code for _ in range(4)]
    assert 429 in tries, tries

    # The queue: administrators only.
    reader = httpx.Client(base_url=server.url, timeout=60)
    assert sign_in(reader, "bob", PASSWORD).status_code == 303
    assert reader.get("/moderation").status_code == 403
    assert "Report this skill" in reader.get("/skills/@alice/pdf").text
    admin = httpx.Client(base_url=server.url, timeout=60)
    assert sign_in(admin, "mod", PASSWORD).status_code == 303
    queue = admin.get("/moderation")
    assert queue.status_code == 200 and "it reads ~/.ssh and posts it" in queue.text
    assert "@alice/pdf@1.0.0" in queue.text and ">bob<" in queue.text
    csrf = csrf_of(queue.text)

    # A reader cannot quarantine, and neither can a forged form.
    form = {"name": "@alice/pdf", "version": "1.0.0", "reason": "exfiltrates keys"}
    mine = csrf_of(reader.get("/account").text)
    assert reader.post("/moderation/quarantine", data={**form, "csrf": mine}).status_code == 403
    assert admin.post("/moderation/quarantine", data={**form, "csrf": mine}).status_code == 403
    assert server.client().get(TARBALL).status_code == 200

    done = admin.post("/moderation/quarantine", data={**form, "csrf": csrf})
    assert done.status_code == 303 and done.headers["location"] == "/moderation"
    assert server.client().get(TARBALL).status_code == 451
    assert "quarantined" in admin.get("/moderation").text
    again = admin.post("/moderation/quarantine", data={**form, "csrf": csrf})
    assert again.status_code == 409

    # Shown on the skill page and in the version's audit history.
    page = server.client().get("/skills/@alice/pdf/v/1.0.0").text
    note = re.search(r'id="moderation-note">([^<]+)<', page)
    assert note and "Quarantined by an administrator (mod)" in note.group(1)
    assert "exfiltrates keys" in note.group(1)
    history = server.client().get("/v1/skills/@alice/pdf/audit").json()["versions"][0]
    assert history["quarantined"] is True
    entry = history["history"][0]
    assert entry["reason"] == "admin" and entry["actor"] == "mod"
    assert entry["details"]["action"] == "quarantine"
    previous = entry["details"]["previous_verdict"]

    # Unquarantine gives the verdict back.
    back = admin.post("/moderation/unquarantine", data={**form, "csrf": csrf})
    assert back.status_code == 303 and server.client().get(TARBALL).status_code == 200
    version = server.client().get("/v1/skills/@alice/pdf/1.0.0").json()
    assert version["verdict"] == previous
    assert admin.post("/moderation/unquarantine", data={**form, "csrf": csrf}).status_code == 409
    reader.close()
    admin.close()
