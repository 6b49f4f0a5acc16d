"""The permission budget: does every skill fit in what the project allows?

A project's ``permissions`` is its budget, the ceiling every installed skill (transitively)
must fit in. A skill fits when each thing it asks for is covered by the budget:

* each outbound host pattern is covered by a budget pattern (``*.acme.dev`` covers
  ``api.acme.dev``; ``*`` covers everything);
* inbound and subprocess only when the budget allows them;
* each read glob is covered by a budget read glob, each write glob by a budget write glob
  (a write grant does not cover reads: the two are enforced separately);
* each secret is named by the budget;
* if the budget sets ``max_requests_per_minute``, a skill with network access must declare a
  limit no higher. A skill declaring no limit asks for unlimited requests and does not fit
  (fail closed); the fix is to raise or drop the budget's limit.

An empty budget allows nothing. What a project *without* a ``permissions`` key means is not
decided here: :func:`check_budget` takes a declared budget only, and the CLI decides (and
says) what happens when none is declared.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tank.core.permissions.domains import domain_covered
from tank.core.permissions.model import FilesystemPermission, NetworkPermission, Permissions
from tank.core.permissions.paths import path_covered


@dataclass(frozen=True, slots=True)
class BudgetViolation:
    """One thing one skill asks for that the budget does not allow, and how to fix it.

    ``required_by`` is how a dependency got in: the skill requiring it first, then that
    skill's requirer, up to one the project asks for itself (empty for a direct skill). A
    project must be able to tell which of its own skills to drop or pin.
    """

    skill: str
    permission: str  # "network.outbound", "filesystem.write", "subprocess", "secrets", …
    requested: str  # the entry asked for, e.g. "evil.com"; "true" for a flag
    why: str
    hint: str
    required_by: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.skill}{self.chain} needs {self.permission} {self.requested}: {self.why}"

    @property
    def chain(self) -> str:
        """`` (required by @x/mid, via @x/top)``; empty for a skill the project asks for."""
        if not self.required_by:
            return ""
        first, *rest = self.required_by
        via = f", via {' → '.join(reversed(rest))}" if rest else ""
        return f" (required by {first}{via})"

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready view with stable keys."""
        return {
            "skill": self.skill,
            "permission": self.permission,
            "requested": self.requested,
            "why": self.why,
            "hint": self.hint,
            "required_by": list(self.required_by),
        }


def _add_hint(key: str, item: str) -> str:
    return f'add "{item}" to permissions.{key} in skills.json to allow it, or remove the skill'


def _flag_hint(key: str) -> str:
    return f"set permissions.{key} to true in skills.json to allow it, or remove the skill"


def _skill_violations(name: str, budget: Permissions, skill: Permissions) -> list[BudgetViolation]:
    """Every violation of one skill, in permission order (sorted by the caller anyway)."""
    out: list[BudgetViolation] = []

    def add(permission: str, requested: str, why: str, hint: str) -> None:
        out.append(BudgetViolation(name, permission, requested, why, hint))

    for path_kind in ("read", "write"):
        granted: tuple[str, ...] = getattr(budget.filesystem, path_kind)
        for glob in getattr(skill.filesystem, path_kind):
            if not any(path_covered(glob, allowed) for allowed in granted):
                key = f"filesystem.{path_kind}"
                what = "reading files" if path_kind == "read" else "writing files"
                why = (
                    f"the budget allows {key} only for {', '.join(granted)}"
                    if granted
                    else f"the budget allows no {what}"
                )
                add(key, glob, why, _add_hint(key, glob))
    if skill.inbound and not budget.inbound:
        add(
            "network.inbound",
            "true",
            "the budget does not allow inbound network connections",
            _flag_hint("network.inbound"),
        )
    ceiling = budget.max_requests_per_minute
    if skill.network is not None and budget.network is not None and ceiling is not None:
        asked = skill.network.max_requests_per_minute
        if asked is None or asked > ceiling:
            key = "network.max_requests_per_minute"
            if asked is None:
                add(
                    key,
                    "unlimited",
                    f"the budget allows at most {ceiling} requests per minute and the skill "
                    "declares no limit",
                    f"remove permissions.{key} from skills.json to allow it, or remove the skill",
                )
            else:
                add(
                    key,
                    str(asked),
                    f"the budget allows at most {ceiling} requests per minute",
                    f"raise permissions.{key} to {asked} in skills.json to allow it, "
                    "or remove the skill",
                )
    for host in skill.outbound:
        if not any(domain_covered(host, allowed) for allowed in budget.outbound):
            why = (
                f"the budget allows network.outbound only to {', '.join(budget.outbound)}"
                if budget.outbound
                else "the budget allows no outbound network access"
            )
            add("network.outbound", host, why, _add_hint("network.outbound", host))
    for secret in skill.secrets:
        if secret not in budget.secrets:
            why = (
                f"the budget allows only the secrets {', '.join(budget.secrets)}"
                if budget.secrets
                else "the budget allows no secrets"
            )
            add("secrets", secret, why, _add_hint("secrets", secret))
    if skill.subprocess and not budget.subprocess:
        add(
            "subprocess",
            "true",
            "the budget does not allow running subprocesses",
            _flag_hint("subprocess"),
        )
    return out


def check_budget(budget: Permissions, skills: Mapping[str, Permissions]) -> list[BudgetViolation]:
    """Every violation of ``budget`` by ``skills`` (name → permissions); empty when all fit.

    Returns all violations, not the first, ordered by skill name, then permission name
    (alphabetically: ``filesystem.read`` … ``subprocess``), then requested entry.
    """
    violations: list[BudgetViolation] = []
    for name in sorted(skills):
        violations.extend(_skill_violations(name, budget, skills[name]))
    violations.sort(key=lambda v: (v.skill, v.permission, v.requested))
    return violations


def fits(skill: Permissions, budget: Permissions) -> bool:
    """Whether ``skill`` asks for nothing ``budget`` does not allow."""
    return not _skill_violations("", budget, skill)


def widen(budget: Permissions, violations: Iterable[BudgetViolation]) -> Permissions:
    """The smallest widening of ``budget`` that allows every one of ``violations``.

    Exactly what each violation asks for is added, nothing else: the requested host, glob or
    secret as written (never a wider pattern), ``true`` for inbound and subprocess. A rate
    limit violation raises the budget's limit to the highest limit asked for, or drops the
    limit when a skill declares none (``"unlimited"``), as the violation's hint says.

    Raises :class:`ValueError` for a violation this module does not produce (a caller bug).
    """
    outbound = set(budget.outbound)
    inbound = budget.inbound
    limit = budget.max_requests_per_minute
    unlimited = False
    read, write = set(budget.filesystem.read), set(budget.filesystem.write)
    subprocess = budget.subprocess
    secrets = set(budget.secrets)
    for violation in violations:
        kind, asked = violation.permission, violation.requested
        if kind == "network.outbound":
            outbound.add(asked)
        elif kind == "network.inbound":
            inbound = True
        elif kind == "network.max_requests_per_minute":
            if asked == "unlimited":
                unlimited = True
            else:
                limit = max(limit or 0, int(asked))
        elif kind == "filesystem.read":
            read.add(asked)
        elif kind == "filesystem.write":
            write.add(asked)
        elif kind == "secrets":
            secrets.add(asked)
        elif kind == "subprocess":
            subprocess = True
        else:
            raise ValueError(f"unknown budget violation {kind!r}")
    network = (
        NetworkPermission(tuple(outbound), inbound, None if unlimited else limit)
        if outbound or inbound
        else None
    )
    return Permissions(
        network=network,
        filesystem=FilesystemPermission(tuple(read), tuple(write)),
        subprocess=subprocess,
        secrets=tuple(secrets),
    )
