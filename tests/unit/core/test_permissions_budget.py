"""The permission budget check."""

from __future__ import annotations

from tank.core.permissions import BudgetViolation, Permissions, check_budget, fits


def p(data: object) -> Permissions:
    return Permissions.from_json(data)


BUDGET = p(
    {
        "network": {"outbound": ["api.acme.dev", "*.acme.dev"], "max_requests_per_minute": 60},
        "filesystem": {"read": ["./docs/**"], "write": ["./output/**"]},
        "secrets": ["ACME_API_KEY"],
    }
)


def test_fitting_skills_have_no_violations() -> None:
    skills = {
        "@a/docs": p({"filesystem": {"read": ["./docs/a/*.md", "./docs"]}}),
        "@a/net": p(
            {
                "network": {
                    "outbound": ["x.eu.acme.dev", "*.eu.acme.dev"],
                    "max_requests_per_minute": 60,
                }
            }
        ),
        "@a/none": Permissions.none(),
        "@a/key": p({"secrets": ["ACME_API_KEY"], "filesystem": {"write": ["./output/x"]}}),
    }
    assert check_budget(BUDGET, skills) == []
    assert all(fits(perms, BUDGET) for perms in skills.values())


def test_outbound_violation_text() -> None:
    skill = p({"network": {"outbound": ["evil.com"], "max_requests_per_minute": 1}})
    assert check_budget(BUDGET, {"@x/evil": skill}) == [
        BudgetViolation(
            skill="@x/evil",
            permission="network.outbound",
            requested="evil.com",
            why="the budget allows network.outbound only to *.acme.dev, api.acme.dev",
            hint='add "evil.com" to permissions.network.outbound in skills.json to allow it, '
            "or remove the skill",
        )
    ]
    assert not fits(skill, BUDGET)


def test_every_violation_in_deterministic_order() -> None:
    skills = {
        "zeta": p({"subprocess": True, "secrets": ["OTHER"]}),
        "alpha": p(
            {
                "network": {"outbound": ["acme.dev", "evil.com"], "inbound": True},
                "filesystem": {"read": ["./src/**", "~/x"], "write": ["./docs/x"]},
                "secrets": ["A", "ACME_API_KEY"],
                "subprocess": True,
            }
        ),
    }
    got = [(v.skill, v.permission, v.requested) for v in check_budget(BUDGET, skills)]
    assert got == [
        ("alpha", "filesystem.read", "./src/**"),
        ("alpha", "filesystem.read", "~/x"),
        ("alpha", "filesystem.write", "./docs/x"),
        ("alpha", "network.inbound", "true"),
        ("alpha", "network.max_requests_per_minute", "unlimited"),
        ("alpha", "network.outbound", "acme.dev"),
        ("alpha", "network.outbound", "evil.com"),
        ("alpha", "secrets", "A"),
        ("alpha", "subprocess", "true"),
        ("zeta", "secrets", "OTHER"),
        ("zeta", "subprocess", "true"),
    ]
    # Same input in another order: same output.
    assert check_budget(BUDGET, dict(reversed(list(skills.items())))) == check_budget(
        BUDGET, skills
    )


def test_empty_budget_allows_nothing() -> None:
    empty = Permissions.none()
    assert check_budget(empty, {"ok": Permissions.none()}) == []
    violations = check_budget(
        empty,
        {
            "s": p(
                {
                    "network": {"outbound": ["a.dev"]},
                    "filesystem": {"read": ["./a"], "write": ["./b"]},
                    "secrets": ["K"],
                    "subprocess": True,
                }
            )
        },
    )
    assert {v.permission: v.why for v in violations} == {
        "network.outbound": "the budget allows no outbound network access",
        "filesystem.read": "the budget allows no reading files",
        "filesystem.write": "the budget allows no writing files",
        "secrets": "the budget allows no secrets",
        "subprocess": "the budget does not allow running subprocesses",
    }
    assert all(v.hint.endswith("or remove the skill") for v in violations)


def test_star_budget_covers_every_host() -> None:
    budget = p({"network": {"outbound": ["*"]}})
    skill = p({"network": {"outbound": ["*", "a.b.c", "10.0.0.1"]}})
    assert check_budget(budget, {"s": skill}) == []
    assert check_budget(p({"network": {"outbound": ["*.com"]}}), {"s": skill})


def test_write_does_not_cover_read() -> None:
    budget = p({"filesystem": {"write": ["./**"]}})
    (violation,) = check_budget(budget, {"s": p({"filesystem": {"read": ["./a"]}})})
    assert violation.permission == "filesystem.read"


def test_home_budget_does_not_cover_project_paths() -> None:
    budget = p({"filesystem": {"read": ["~/**"]}})
    assert check_budget(budget, {"s": p({"filesystem": {"read": ["./a"]}})})


def test_rate_limits() -> None:
    budget = p({"network": {"outbound": ["*"], "max_requests_per_minute": 60}})
    ok = p({"network": {"outbound": ["a.dev"], "max_requests_per_minute": 60}})
    over = p({"network": {"outbound": ["a.dev"], "max_requests_per_minute": 61}})
    undeclared = p({"network": {"outbound": ["a.dev"]}})
    offline = p({"subprocess": False})
    assert check_budget(budget, {"ok": ok, "offline": offline}) == []
    (v,) = check_budget(budget, {"over": over})
    assert (v.permission, v.requested) == ("network.max_requests_per_minute", "61")
    assert v.why == "the budget allows at most 60 requests per minute"
    assert "to 61" in v.hint
    (v,) = check_budget(budget, {"undeclared": undeclared})
    assert v.requested == "unlimited"
    # A budget without a limit accepts any limit.
    assert check_budget(p({"network": {"outbound": ["*"]}}), {"u": undeclared, "o": over}) == []


def test_no_rate_violation_when_budget_has_no_network() -> None:
    got = check_budget(Permissions.none(), {"s": p({"network": {"outbound": ["a.dev"]}})})
    assert [v.permission for v in got] == ["network.outbound"]


def test_violation_renders() -> None:
    (v,) = check_budget(Permissions.none(), {"s": p({"subprocess": True})})
    assert str(v) == "s needs subprocess true: the budget does not allow running subprocesses"
    assert set(v.as_dict()) == {"skill", "permission", "requested", "why", "hint", "required_by"}
