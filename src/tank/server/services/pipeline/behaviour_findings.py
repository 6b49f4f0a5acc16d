"""From what one sandboxed run of a skill was seen doing to findings (pure).

The findings have the scanner's JSON shape, so the verdict mapping, the refusal message,
the API and the CLI treat them like any other: ``critical`` fails the version (refused),
``high`` flags it, ``medium``/``low`` are notes, ``info`` changes nothing.

| rule | severity | when |
| --- | --- | --- |
| ``behaviour.canary_read`` | critical (low when the path is declared) | a canary file was opened |
| ``behaviour.canary_sent`` | critical (network), high (printed) | a canary's token left the run |
| ``behaviour.undeclared_host`` | high | a host not declared was tried, or the network directly |
| ``behaviour.undeclared_process`` | high | a program was started without ``subprocess`` |
| ``behaviour.timeout`` | high (medium for the tests) | the wall clock or CPU limit stopped it |
| ``behaviour.limit`` | medium | another limit stopped it: output size, processes, killed |
| ``behaviour.not_run`` | info | it could not be run here (no interpreter, no time left) |
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tank.core.permissions import domain_matches

__all__ = ["Observed", "finding", "findings_of", "not_run", "verdict_of"]

_REMEDIATION = {
    "behaviour.canary_read": "do not read credentials or browser data the skill does not "
    "declare; declare the path in permissions.filesystem.read if the skill needs it",
    "behaviour.canary_sent": "never send or print credentials; a skill that does is treated "
    "as malware",
    "behaviour.undeclared_host": "declare every host the skill contacts in "
    "permissions.network.outbound, and reach it through the HTTP(S)_PROXY the sandbox sets",
    "behaviour.undeclared_process": "declare permissions.subprocess, or do the work in the "
    "skill's own code",
    "behaviour.timeout": "make the script finish quickly when run without arguments or input "
    "(print usage and exit)",
    "behaviour.limit": "stay within the sandbox's limits: print less (write large results to a "
    "declared file), start fewer processes, use less memory",
    "behaviour.not_run": "nothing to do; the registry could not run this script",
}
_CATEGORY = {
    "behaviour.canary_read": "credential-access",
    "behaviour.canary_sent": "exfiltration",
    "behaviour.undeclared_host": "permissions",
    "behaviour.undeclared_process": "permissions",
    "behaviour.timeout": "quality",
    "behaviour.limit": "quality",
    "behaviour.not_run": "quality",
}
_REFUSED_HOST = frozenset({"host not declared", "port not allowed"})
_MAX_DETAIL = 300


@dataclass(frozen=True, slots=True)
class Observed:
    """What one run of ``script`` (an archive path, or ``tests/``) was seen doing."""

    script: str
    limits_hit: tuple[str, ...] = ()
    denials: tuple[Mapping[str, Any], ...] = ()
    connections: tuple[Mapping[str, Any], ...] = ()
    #: Canary files opened (``~/.ssh/id_rsa``), from the inotify watches.
    opened: tuple[str, ...] = ()
    #: ``(canary, channel)``: a canary's token seen in ``network <host>`` (a request to that
    #: host), ``stdout`` or ``stderr``.
    sent: tuple[tuple[str, str], ...] = ()
    #: The run of the skill's tests rather than of a script.
    tests: bool = False
    declared_paths: tuple[str, ...] = field(default=())
    declared_secrets: tuple[str, ...] = field(default=())
    declared_hosts: tuple[str, ...] = field(default=())


def finding(rule: str, severity: str, file: str, message: str) -> dict[str, Any]:
    """One finding in the scanner's JSON shape."""
    return {
        "rule": rule,
        "category": _CATEGORY[rule],
        "severity": severity,
        "confidence": "high",
        "file": file,
        "line": 0,  # no position: the finding is about running the file
        "snippet": "",
        "message": message[:1000],
        "remediation": _REMEDIATION[rule],
        "evidence": [],
    }


def not_run(script: str, why: str) -> dict[str, Any]:
    """The note that ``script`` was not run, and why."""
    return finding("behaviour.not_run", "info", script, f"not run by the behaviour check: {why}")


def _declared(path: str, declared: Iterable[str]) -> bool:
    return any(path == d or path.startswith(d.rstrip("/") + "/") for d in declared)


def _canaries(seen: Observed) -> list[dict[str, Any]]:
    out = []
    what = "its tests" if seen.tests else "it"
    for where in seen.opened:
        if _declared(where, seen.declared_paths):
            message = f"{what} read the planted {where} (a path the skill declares)"
            out.append(finding("behaviour.canary_read", "low", seen.script, message))
        else:
            message = f"{what} read the planted {where}, which the skill does not declare"
            out.append(finding("behaviour.canary_read", "critical", seen.script, message))
    for where, channel in seen.sent:
        declared_secret = where.startswith("$") and where[1:] in seen.declared_secrets
        if channel.startswith("network "):
            host = channel.removeprefix("network ")
            if declared_secret and any(domain_matches(p, host) for p in seen.declared_hosts):
                continue  # a declared secret sent to a declared host is its intended use
            message = f"{what} sent the planted {where} over the network (to {host})"
            out.append(finding("behaviour.canary_sent", "critical", seen.script, message))
        elif not seen.tests:
            message = f"{what} printed the planted {where} on {channel}"
            out.append(finding("behaviour.canary_sent", "high", seen.script, message))
    return out


def findings_of(seen: Observed) -> list[dict[str, Any]]:
    """The findings of one run. For the tests' run only canaries and the time limit count:
    tests that use what the skill does not declare simply fail (and measure less)."""
    out = _canaries(seen)
    limits = set(seen.limits_hit)
    if limits & {"wall_clock", "cpu_time"}:
        limit = "wall clock" if "wall_clock" in limits else "CPU time"
        what = "its tests" if seen.tests else "it"
        severity = "medium" if seen.tests else "high"
        message = f"{what} did not finish: the behaviour check's {limit} limit stopped it"
        out.append(finding("behaviour.timeout", severity, seen.script, message))
    if seen.tests:
        return out
    other = sorted(limits & {"output", "processes", "killed"})
    if other:
        message = "the behaviour check's limits stopped it: " + ", ".join(other)
        out.append(finding("behaviour.limit", "medium", seen.script, message))
    hosts = sorted(
        {
            f"{c.get('host') or '?'}:{c.get('port') or '?'}"
            for c in seen.connections
            if not c.get("allowed") and c.get("reason") in _REFUSED_HOST
        }
    )
    direct = [
        str(d.get("detail", ""))[:_MAX_DETAIL]
        for d in seen.denials
        if d.get("kind") in ("dns", "network")
    ]
    if hosts:
        message = "it tried hosts it does not declare: " + ", ".join(hosts[:5])
        out.append(finding("behaviour.undeclared_host", "high", seen.script, message))
    if direct:
        message = "it tried to use the network directly: " + "; ".join(sorted(set(direct))[:3])
        out.append(finding("behaviour.undeclared_host", "high", seen.script, message))
    spawned = [
        str(d.get("detail", ""))[:_MAX_DETAIL]
        for d in seen.denials
        if d.get("kind") == "subprocess"
    ]
    if spawned:
        message = "it tried to start a program without declaring subprocess: " + "; ".join(
            sorted(set(spawned))[:3]
        )
        out.append(finding("behaviour.undeclared_process", "high", seen.script, message))
    return out


def verdict_of(verdict: str, findings: Iterable[Mapping[str, Any]]) -> str:
    """``verdict`` made no looser by ``findings`` (critical: fail, high: flagged, medium or
    low: pass_with_notes)."""
    order = ("pass", "pass_with_notes", "flagged", "fail")
    worst = order.index(verdict) if verdict in order else len(order) - 1
    for item in findings:
        severity = item.get("severity")
        rank = {"critical": 3, "high": 2, "medium": 1, "low": 1}.get(str(severity), 0)
        worst = max(worst, rank)
    return order[worst]
