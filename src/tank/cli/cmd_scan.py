"""``tank scan``: run the scanner on a skill folder and print the verdict the registry applies."""

from __future__ import annotations

import sys
from pathlib import Path

import click

EPILOG = """\b
Examples:
  tank scan                      # the folder you are in
  tank scan ./my-skill --json | jq '.findings[] | .rule'
  tank scan ./my-skill --sarif > scan.sarif
  tank scan --explain capability.home_and_network
\b
Exit status: 0 for pass and pass_with_notes, 12 for flagged and fail (the registry refuses
fail: `tank publish` stops before uploading such a skill).
"""


@click.command(epilog=EPILOG)
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=".")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (verdict, findings).")
@click.option("--sarif", "as_sarif", is_flag=True, help="Print a SARIF 2.1.0 log.")
@click.option(
    "--timeout",
    "timeout_s",
    type=float,
    default=10.0,
    show_default=True,
    help="Seconds before the scan fails closed.",
)
@click.option(
    "--explain",
    "explain_rule",
    metavar="RULE",
    help="Print a rule's description, samples and fix instead of scanning.",
)
def command(
    directory: Path, as_json: bool, as_sarif: bool, timeout_s: float, explain_rule: str | None
) -> None:
    """Scan a skill folder for malware, prompt injection and undeclared permissions.

    Sees exactly the files `tank publish` would upload (ignore rules applied) and prints
    the verdict the registry applies, from the same policy: fail (any critical, a
    high-confidence malware/injection finding, or a capability skills.json does not
    declare), flagged (any high, such as reading the whole home folder while reaching the
    network), pass_with_notes (medium/low) or pass. Without skills.json, undeclared
    capabilities are notes. An analyzer that crashes or times out fails the scan. Each
    finding says where, why it matters and how to fix it; a flow shows its source and sink.
    """
    from tank import __version__
    from tank.cli.exit_codes import ExitCode
    from tank.cli.render import print_json
    from tank.client import telemetry
    from tank.client.paths import cache_dir
    from tank.scanner import Verdict, load_rules, scan_folder
    from tank.scanner.compiled import preload_shell_parser
    from tank.scanner.report import to_json, to_sarif, to_text

    # A one-shot process: the parsed rules and the shell parser's tables come from the
    # user's cache when they match this install (each rebuilt otherwise), not rebuilt.
    compiled = cache_dir() / "scanner"
    rules = load_rules(compiled)
    if explain_rule is not None:
        from tank.scanner.explain import explain, explain_text

        if as_json:
            print_json(explain(rules, explain_rule))
        else:
            sys.stdout.write(explain_text(rules, explain_rule))
        return
    preload_shell_parser(compiled)
    with telemetry.span("tank.scan") as span:
        result = scan_folder(directory, timeout_s=timeout_s, rules=rules)
        span.set("tank.scan.files", result.files_scanned)
        span.set("tank.scan.findings", len(result.findings))
        span.set("tank.scan.verdict", str(result.verdict))
        span.set("tank.scan.errors", len(result.errors))
    telemetry.count("tank.scans", 1, {"tank.scan.verdict": str(result.verdict)})
    if as_sarif:
        print_json(to_sarif(result, rules, __version__))
    elif as_json:
        print_json(to_json(result, rules))
    else:
        sys.stdout.write(to_text(result, str(directory), rules))
    if result.verdict in (Verdict.FLAGGED, Verdict.FAIL):
        raise click.exceptions.Exit(ExitCode.SCAN_FAILED)
