"""Scope names that could pass for another: skeletons, one-edit neighbours, reserved names."""

from __future__ import annotations

import pytest

from tank.core.scopes import (
    RESERVED_SCOPES,
    Reason,
    resemblance,
    skeleton,
    suggested_scope,
    within_one_edit,
)


@pytest.mark.parametrize(
    "name",
    # Cyrillic a, separators, rn for m, case, a fullwidth a, a Cyrillic es for c.
    ["\u0430cme", "ac-me", "ac_me", "acrne", "ACME", "\uff41cme", "a-c-m-e", "a\u0441me"],
)
def test_look_alikes_share_the_skeleton_of_acme(name: str) -> None:
    assert skeleton(name) == skeleton("acme")
    found = resemblance(name, existing=["acme", "bob"])
    assert found is not None and found.resembles == "acme" and found.reason is Reason.CONFUSABLE
    assert "@acme" in found.describe()


def test_digits_that_pass_for_letters() -> None:
    assert skeleton("g00gle") == skeleton("google")
    assert skeleton("pay1ib") == skeleton("paylib")


def test_distinct_names_stand_apart() -> None:
    assert resemblance("acme", existing=["acme"]) is None  # the same name is "taken", not this
    assert resemblance("pdf-tools", existing=["acme", "alice"], verified=["acme"]) is None
    assert resemblance("acmex", existing=["acme"]) is None  # one edit, but acme is not verified


def test_one_edit_from_a_verified_scope() -> None:
    for near in ("acmee", "amce", "acm3", "acm"):
        found = resemblance(near, existing=["acme"], verified=["acme"])
        assert found is not None and found.reason is Reason.NEAR and found.resembles == "acme"
        assert "verified scope @acme" in found.describe()
    # Short names differ by one letter legitimately.
    assert resemblance("ab", existing=["ac"], verified=["ac"]) is None


def test_reserved_names_and_their_look_alikes() -> None:
    for name, held in (("root", "root"), ("r00t", "root"), ("open-ai", "openai"), ("T4NK", None)):
        found = resemblance(name, existing=[])
        if held is None:
            assert found is None
        else:
            assert found is not None and found.reason is Reason.RESERVED and found.resembles == held


def test_within_one_edit() -> None:
    assert within_one_edit("abc", "abc")
    assert within_one_edit("abc", "abd") and within_one_edit("abc", "ab")
    assert within_one_edit("abcd", "abdc") and within_one_edit("abc", "xabc")
    assert not within_one_edit("abc", "cab") and not within_one_edit("abc", "xbcd")
    assert not within_one_edit("abc", "a")


def test_suggested_scope_is_never_reserved() -> None:
    assert "root" in RESERVED_SCOPES
    assert suggested_scope(["alice", "root"]) == "alice"
    assert suggested_scope([None, "root"]) is None
    assert suggested_scope(["root", "bob"]) == "bob"
    assert suggested_scope([None, "r00t", "carol"]) == "carol"
    assert suggested_scope([]) is None
