"""Publish-time check of a version's dependencies: every one must be installable.

A version whose dependency does not exist, or has no installable version in its range, can
be installed by nobody; the registry refuses it (422, one problem per dependency) instead of
storing it. The check looks with the publisher's eyes: a private skill the publisher may not
read is reported exactly like a missing one, so the refusal leaks nothing.

Private dependencies (the choice, and why):

- a **public** skill may not depend on a **private** one: nobody outside the private
  skill's scope could install it, and the public document would name the private skill;
- a **private** skill may depend on a private skill the publisher can read. In the same
  scope that is silent (the scope's readers read both); in another scope the publish
  succeeds with a warning, because readers of the dependent's scope who are not readers of
  the dependency's cannot install the result.

Installable means what a new resolution may choose: not yanked, not unpublished, not failed
(:func:`tank.server.services.skills.live_versions`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from tank.core.errors import Location, Problem, Severity, ValidationError
from tank.core.semver import parse_range
from tank.server.db.models import Skill
from tank.server.errors import NotFound
from tank.server.services import skills
from tank.server.services.access import scope_of
from tank.server.services.auth import Principal

_WHERE = Location(file="skills.json")


@dataclass(slots=True)
class DependencyReport:
    """What the check found: blocking problems and warnings for the publish answer."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def check(
    session: Session,
    principal: Principal,
    name: str,
    dependencies: dict[str, str],
    *,
    private_upload: bool | None,
) -> list[Problem]:
    """Refuse ``name``'s ``dependencies`` when one cannot be installed; return warnings.

    ``private_upload`` is the upload's ``private`` field: it decides the privacy of a new
    skill; an existing skill keeps its own. Raises :class:`ValidationError` (422).
    """
    existing = session.scalars(select(Skill.private).where(Skill.name == name)).first()
    private = bool(existing) if existing is not None else bool(private_upload)
    report = DependencyReport()
    for dep, text in sorted(dependencies.items()):
        _check_one(session, principal, scope_of(name), private, dep, text, report)
    if report.errors:
        names = ", ".join(_subject(p) for p in report.errors)
        raise ValidationError(
            f"{name} depends on what nobody could install: {names}",
            code="bad_dependency",
            hint="publish the dependency first, or fix or remove it in skills.json "
            "(`tank info NAME` lists a skill's versions)",
            problems=report.errors,
        )
    return report.warnings


def _subject(problem: Problem) -> str:
    return problem.message.split(" ", 1)[0]


def _check_one(
    session: Session,
    principal: Principal,
    own_scope: str,
    private: bool,
    dep: str,
    text: str,
    report: DependencyReport,
) -> None:
    try:
        skill = skills.visible_skill(session, principal, dep)
    except NotFound:
        report.errors.append(
            Problem(
                "dependency.not_found",
                f"{dep} does not exist on this registry",
                location=_WHERE,
                hint=f"check the name, or publish {dep} first (and make sure you may read it)",
            )
        )
        return
    wanted = parse_range(text)
    live = sorted(skills.live_versions(session, skill), key=lambda v: v.sort_key)
    if not any(wanted.contains(v) for v in live):
        available = ", ".join(str(v) for v in live[-5:]) or "none"
        report.errors.append(
            Problem(
                "dependency.no_match",
                f"{dep} has no installable version matching {text!r}",
                location=_WHERE,
                hint=f"installable versions of {dep} (newest last): {available}; "
                "yanked, unpublished and failed versions do not count",
            )
        )
        return
    if skill.private and not private:
        report.errors.append(
            Problem(
                "dependency.private",
                f"{dep} is private and this skill is public: nobody else could install it",
                location=_WHERE,
                hint=f"publish this skill as private too, or make {dep} public",
            )
        )
    elif skill.private and skill.scope != own_scope:
        report.warnings.append(
            Problem(
                "dependency.private_elsewhere",
                f"{dep} is private to @{skill.scope}: readers of @{own_scope} who cannot "
                f"read @{skill.scope} cannot install this skill",
                severity=Severity.WARNING,
                location=_WHERE,
                hint=f"give them read access to @{skill.scope}, or depend on a public skill",
            )
        )
