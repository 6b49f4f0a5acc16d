"""``tank audit``: the registry's verdict, score and findings for each installed skill."""

from __future__ import annotations

import sys
from typing import IO, Any

import click

from tank.cli.install_view import target_options
from tank.cli.paths_view import project_paths_for
from tank.cli.render import print_json

EPILOG = """\b
Examples:
  tank audit                          # every skill in skills.lock
  tank audit @acme/pdf-tools          # just these
  tank audit --min-score 7 --json     # CI gate, machine-readable

\b
Exit status: 0 when every skill passes; 13 (AUDIT) when a skill's verdict is `fail`
(quarantined) or `flagged`, it scores below audit.min_score (or --min-score; unscored counts
as 0), or the registry no longer describes its locked version. Skills installed from disk
(file:) have no registry score: they are shown as "local, not audited" and never fail.
"""


@click.command(epilog=EPILOG)
@click.argument("names", nargs=-1, metavar="[NAME]...")
@click.option(
    "--min-score",
    type=click.FloatRange(0, 10),
    metavar="N",
    help="Fail below this score (default: audit.min_score in skills.json).",
)
@click.option(
    "--refresh",
    is_flag=True,
    help="Download every version document again (skill documents are always revalidated).",
)
@target_options
def command(
    names: tuple[str, ...],
    min_score: float | None,
    refresh: bool,
    is_global: bool,
    registry: str | None,
    as_json: bool,
) -> int:
    """Show scores, verdicts and findings of the installed skills (from skills.lock).

    For each locked version: the registry's current verdict, its audit score out of 10 with
    the breakdown (points/max and a note per item), and its findings, most severe first
    (severity, rule, file:line, message, remediation); then a summary. Each skill's
    document is always revalidated (a conditional GET per skill, in parallel: a 304 when
    nothing changed), so a version quarantined after it was installed shows as `fail`.
    """
    from tank.cli.exit_codes import ExitCode
    from tank.client.audit import audit_skills, summarize
    from tank.client.config import registry_map
    from tank.client.projectfiles import parse_project, read_lock, read_manifest_bytes
    from tank.client.registries import Registries

    paths = project_paths_for(is_global)
    manifest = parse_project(read_manifest_bytes(paths, create=paths.is_global), paths)
    _, lock = read_lock(paths)
    skills = _select(list(lock.skills) if lock else [], names)
    minimum = min_score
    if minimum is None and manifest.audit is not None:
        minimum = manifest.audit.min_score
    routes = registry_map(override=registry, project_registries=manifest.registries)
    with Registries(routes) as registries:
        audits = audit_skills(registries, skills, refresh=refresh)
    summary = summarize(audits, minimum)
    if as_json:
        print_json({"skills": [a.to_json() for a in audits], "summary": summary.to_json()})
    else:
        render_audits(audits, summary, sys.stdout)
    return ExitCode.OK if summary.ok else ExitCode.AUDIT


def _select(skills: list[Any], names: tuple[str, ...]) -> list[Any]:
    """The locked skills named (all when none); an unknown name is NOT_FOUND."""
    if not names:
        return skills
    from tank.client.suggest import unknown_in_project

    by_name = {s.name: s for s in skills}
    missing = [n for n in names if n not in by_name]
    if missing:
        raise unknown_in_project(
            missing,
            by_name,
            "installed in this project",
            "`tank list` shows the installed skills; "
            "`tank info NAME` describes any skill on the registry",
        )
    return [by_name[n] for n in dict.fromkeys(names)]


def render_audits(audits: list[Any], summary: Any, out: IO[str]) -> None:
    """Per skill: version, verdict, score with breakdown, findings; then the summary."""
    from tank.cli.render_skill import finding_lines, indent, safe_text

    for audit in audits:
        out.write(safe_text(f"{audit.name} {audit.version}") + "\n")
        if audit.local and audit.verdict == "fail":
            rules = ", ".join(audit.unsafe_rules) or "fail"
            out.write(
                safe_text(
                    f"  local (installed from disk): FAILED its scan ({rules}); installed "
                    "with --unsafe-allow-failing, as skills.lock records"
                )
                + "\n"
            )
            continue
        if audit.local:
            out.write("  local (installed from disk), not audited\n")
            continue
        if audit.unavailable:
            out.write(safe_text(f"  unavailable: {audit.unavailable}") + "\n")
            continue
        score = "not scored" if audit.score is None else f"{audit.score}/10"
        if audit.locked_score is not None and audit.locked_score != audit.score:
            score += f" (locked at {audit.locked_score}/10)"
        out.write(safe_text(f"  verdict: {audit.verdict or 'unknown'}   score: {score}") + "\n")
        if audit.yanked:
            reason = audit.yank_reason or "no reason given"
            out.write(safe_text(f"  YANKED: {reason} (`tank update` moves off it)") + "\n")
        width = max((len(item.name) for item in audit.breakdown), default=0)
        for item in audit.breakdown:
            line = f"    {item.name.ljust(width)}  {item.fraction.ljust(7)}  {item.note}"
            out.write(safe_text(line.rstrip()) + "\n")
        if audit.findings:
            out.write(f"  findings ({len(audit.findings)}):\n")
        for finding in audit.findings:
            out.write(indent(finding_lines([finding.to_json()]))[0] + "\n")
            if finding.remediation:
                out.write(safe_text(f"      fix: {finding.remediation}") + "\n")
    out.write(_summary_line(summary) + "\n")


def _summary_line(summary: Any) -> str:
    """``3 skills (2 audited): lowest 2.0/10 (x@1.0.0); 0 flagged, 1 failed…``, then verdict."""
    from tank.cli.render_skill import safe_text

    parts = [f"{summary.skills} skill{'s' if summary.skills != 1 else ''} "
             f"({summary.audited} audited)"]  # fmt: skip
    lowest = summary.lowest
    if lowest is not None:
        shown = "not scored" if lowest.score is None else f"{lowest.score}/10"
        parts.append(f"lowest score {shown} ({lowest.key})")
    counts = f"{len(summary.flagged)} flagged, {len(summary.failed)} failed"
    if summary.min_score is not None:
        counts += f", {len(summary.below_minimum)} below min score {summary.min_score}"
    if summary.unavailable:
        counts += f", {len(summary.unavailable)} unavailable"
    parts.append(counts)
    verdict = "audit passed" if summary.ok else "audit FAILED"
    return safe_text(f"{'; '.join(parts)}: {verdict}.")
