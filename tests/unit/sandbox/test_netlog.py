"""The run log's cap on repeated proxy decisions and launcher denials."""

from __future__ import annotations

from tank.sandbox.netlog import MAX_EVENTS, PER_KEY, ConnectionLog, DenialLog
from tank.sandbox.proxy_policy import ProxyEvent


def event(host: str, reason: str = "host not declared", allowed: bool = False) -> ProxyEvent:
    return ProxyEvent("2026-01-01T00:00:00.000Z", host, 80, "GET", allowed, reason, "why")


def test_repeated_refusals_are_listed_up_to_the_cap_then_counted() -> None:
    log = ConnectionLog()
    for _ in range(PER_KEY + 40):
        log.add(event("evil.test"))
    log.add(event("api.test", "allowed", allowed=True))
    records = log.records()
    assert len(records) == PER_KEY + 2
    assert [r["host"] for r in records[:PER_KEY]] == ["evil.test"] * PER_KEY
    assert records[PER_KEY]["reason"] == "allowed"  # another kind is still listed
    summary = records[-1]
    assert summary["suppressed"] == 40 and summary["reason"] == "host not declared"
    assert summary["host"] == "evil.test" and not summary["allowed"]
    assert "40 more refused" in summary["detail"]


def test_the_same_host_with_another_reason_is_its_own_kind() -> None:
    log = ConnectionLog(per_key=1)
    for reason in ("host not declared", "rate limit", "host not declared"):
        log.add(event("a.test", reason))
    assert [(r["reason"], r.get("suppressed")) for r in log.records()] == [
        ("host not declared", None),
        ("rate limit", None),
        ("host not declared", 1),
    ]


def test_many_hosts_stop_at_the_total_and_every_one_is_counted() -> None:
    log = ConnectionLog()
    for n in range(MAX_EVENTS + 3000):  # a skill trying random sub-domains
        log.add(event(f"h{n}.test"))
    log.add(event("late.test", "allowed", allowed=True))
    records = log.records()
    listed = [r for r in records if "suppressed" not in r]
    assert len(listed) == MAX_EVENTS
    summaries = records[MAX_EVENTS:]  # bounded: one per verdict for the unlisted hosts
    assert [(s["host"], s["allowed"], s["suppressed"]) for s in summaries] == [
        ("*", False, 3000),
        ("*", True, 1),
    ]
    assert summaries[0]["reason"] == "other refused hosts"


def test_launcher_denials_are_capped_by_kind_and_detail() -> None:
    log = DenialLog(per_key=2)
    for _ in range(7):
        log.add({"kind": "network", "detail": "connect ('127.0.0.1', 8080)", "source": "launcher"})
    log.add({"kind": "dns", "detail": "resolve 'x.test'", "source": "launcher"})
    records = log.records()
    assert [r["kind"] for r in records] == ["network", "network", "dns", "network"]
    assert records[-1]["suppressed"] == 5 and "5 more not listed" in records[-1]["detail"]
