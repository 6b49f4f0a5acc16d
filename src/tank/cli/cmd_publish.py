"""``tank publish``: validate strictly, pack, show what goes out, upload, show the verdict."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from tank.cli.render import print_json, render_problems
from tank.cli.render_skill import breakdown_lines, finding_lines, indent, permission_lines

if TYPE_CHECKING:
    from tank.client.publishing import PublishPlan
    from tank.client.telemetry import Span

EPILOG = """\b
Examples:
  tank publish --dry-run           # everything but the upload; no login needed
  tank publish ./my-skill
  tank publish --private           # a new skill only its scope's members can see
  tank publish --key 3f2a9c1e      # sign with this local key (default: the newest one)
  tank publish --no-sign           # upload unsigned even though a key exists
  tank publish --sigstore-bundle skill.sigstore.json   # in CI: keyless Sigstore signature
  tank publish --registry https://tank.example.com --json
"""


@click.command(epilog=EPILOG)
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=".")
@click.option("--dry-run", is_flag=True, help="Validate, pack and show; do not upload.")
@click.option("--private", is_flag=True, help="Publish a new skill as private.")
@click.option("--registry", metavar="URL", help="Registry to publish to (default: the scope's).")
@click.option(
    "--sign/--no-sign",
    default=None,
    help="Sign with your key (default: sign when `tank keys generate` made one).",
)
@click.option(
    "--key",
    metavar="KEY",
    help="Sign with this local key (fingerprint) or PEM private key file.",
)
@click.option(
    "--sigstore-bundle",
    "sigstore_bundle",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    metavar="FILE",
    help="A Sigstore bundle made in CI over the packed tarball (instead of a key signature).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def command(
    directory: Path,
    dry_run: bool,
    private: bool,
    registry: str | None,
    sign: bool | None,
    key: str | None,
    sigstore_bundle: Path | None,
    as_json: bool,
) -> None:
    """Validate, pack and upload a skill to its registry.

    The skill is checked strictly and packed canonically; the file list, sizes, declared
    permissions and integrity are shown before anything is sent. It is then scanned here
    with the registry's policy (as `tank scan` does): a skill the registry would refuse
    stops with the same findings and exit status, and nothing is uploaded (--dry-run too).
    The registry recomputes the integrity, re-validates, scans and scores the upload, and
    answers with its verdict. With a signing key (`tank keys generate`, registered with
    `tank keys add`), the upload carries a DSSE envelope over the tarball's digest; the
    registry refuses one that does not verify against your registered, unrevoked keys.
    An encrypted key's passphrase comes from TANK_KEY_PASSPHRASE or a prompt.

    In CI, --sigstore-bundle sends a keyless Sigstore signature of the tarball instead (made
    by the job's OIDC identity over the bytes `tank pack` makes); the registry verifies it
    offline against the skill's trusted publishers (`tank trusted-publisher add`).
    """
    from tank.client import telemetry

    with telemetry.span("tank.publish", {"tank.publish.dry_run": dry_run}) as span:
        _publish(span, directory, dry_run, private, registry, sign, key, sigstore_bundle, as_json)


def _publish(
    span: Span,
    directory: Path,
    dry_run: bool,
    private: bool,
    registry: str | None,
    sign: bool | None,
    key: str | None,
    sigstore_bundle: Path | None,
    as_json: bool,
) -> None:
    from tank.client.config import registry_map
    from tank.client.publishing import (
        choose_signer,
        plan_publish,
        prescan,
        signed,
        with_sigstore_bundle,
    )

    plan = plan_publish(directory, routes=registry_map(override=registry), private=private)
    span.set("tank.skill.name", plan.name)
    span.set("tank.skill.version", plan.version)
    span.set("tank.publish.files", len(plan.skill.packed.files))
    span.set("tank.publish.size", len(plan.data))
    if sigstore_bundle is not None:
        if sign or key:
            from tank.core.errors import UsageError

            raise UsageError(
                "--sigstore-bundle and a key signature (--sign, --key) exclude each other",
                hint="a version carries one publisher signature: drop --sign/--key",
            )
        plan = with_sigstore_bundle(plan, sigstore_bundle)
    else:
        signer = choose_signer(sign, key, _prompt if sys.stdin.isatty() else None)
        if signer is not None:
            plan = signed(plan, signer)
    if not as_json:
        _render_plan(plan)
    # The registry's policy, here: a skill it would refuse is stopped before any upload.
    prescan(plan)
    if dry_run:
        if as_json:
            print_json({"dry_run": True, **plan.as_dict()})
        else:
            click.echo("dry run: nothing was uploaded")
        return
    span.set("tank.publish.signed", plan.signer is not None or plan.sigstore_bundle is not None)
    answer = _upload(plan, progress=not as_json)
    span.set("tank.publish.verdict", answer.get("verdict"))
    if as_json:
        print_json({"dry_run": False, **plan.as_dict(), "result": answer})
    else:
        _render_answer(plan, answer)
    if answer.get("verdict") == "fail":
        from tank.cli.exit_codes import ExitCode
        from tank.client.errors import RegistryError

        if as_json:  # one JSON object on stdout: the answer above already says "fail"
            raise click.exceptions.Exit(ExitCode.REGISTRY)
        raise RegistryError(
            f"{plan.name}@{plan.version} failed the registry's security scan and is not served",
            status=201,
            code="verdict_fail",
            hint="fix the findings above and publish a new version",
        )


def _prompt() -> str:
    return str(click.prompt("Signing key passphrase", hide_input=True, err=True))


def _upload(plan: PublishPlan, *, progress: bool) -> dict[str, Any]:
    from tank.client.credentials import token_for
    from tank.client.errors import AuthError
    from tank.client.http import RegistryClient
    from tank.client.publishing import human_size

    token = token_for(plan.registry)
    if token is None:
        raise AuthError(
            f"not logged in to {plan.registry}",
            status=401,
            code="not_logged_in",
            hint=f"run `tank login --registry {plan.registry}` (or set TANK_TOKEN in CI)",
        )
    label = f"uploading {plan.name}@{plan.version} ({human_size(len(plan.data))})"
    with RegistryClient(plan.registry, token=token) as client:
        if progress and sys.stderr.isatty():
            from rich.console import Console

            with Console(stderr=True).status(f"{label} and waiting for the scan..."):
                return client.publish(plan.data, plan.fields(), filename=plan.filename)
        if progress:
            click.echo(f"{label} to {plan.registry}...", err=True)
        return client.publish(plan.data, plan.fields(), filename=plan.filename)


def _render_plan(plan: PublishPlan) -> None:
    from tank.client.publishing import human_size

    render_problems(plan.warnings)
    packed = plan.skill.packed
    private = " (private)" if plan.private else ""
    click.echo(f"publishing {plan.name}@{plan.version} to {plan.registry}{private}")
    click.echo(f"  files ({len(packed.files)}):")
    for entry in packed.files:
        click.echo(f"    {human_size(entry.size).rjust(9)}  {entry.path}")
    sizes = f"{human_size(packed.size)} packed, {human_size(packed.unpacked_size)} unpacked"
    click.echo(f"  size:        {sizes}")
    click.echo("  permissions:")
    for line in indent(permission_lines(plan.permissions.to_json())):
        click.echo(line)
    click.echo(f"  integrity:   {plan.integrity}")
    if plan.sigstore_bundle is not None:
        click.echo("  signed by:   a Sigstore bundle (verified by the registry)")
    else:
        click.echo(f"  signed by:   {plan.signer or 'nobody (unsigned)'}")


def _render_answer(plan: PublishPlan, answer: dict[str, Any]) -> None:
    from tank.cli.render_skill import score_text

    click.echo(f"published {answer.get('name', plan.name)}@{answer.get('version', plan.version)}")
    click.echo(f"  verdict:     {answer.get('verdict', 'unknown')}")
    click.echo(f"  audit score: {score_text(answer)}")
    if answer.get("sigstore"):
        click.echo(f"  signature:   Sigstore, verified by the registry ({answer.get('signer')})")
    elif answer.get("signer"):
        click.echo(f"  signature:   verified by the registry (key {answer['signer']})")
    for line in indent(breakdown_lines(answer.get("score_breakdown"))):
        click.echo(line)
    if answer.get("integrity") not in (None, plan.integrity):
        click.echo(f"  warning: the registry stored integrity {answer['integrity']}", err=True)
    notes = finding_lines(answer.get("findings"), explain=True)
    notes += finding_lines(answer.get("warnings"))
    if notes:
        click.echo("  findings:")
        for line in indent(notes):
            click.echo(line)
