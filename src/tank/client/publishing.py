"""What ``tank publish`` uploads: the skill read strictly, packed canonically, and summed up.

The plan is built entirely offline (``--dry-run`` stops there), so what the user is shown is
exactly what is sent: the same bytes, the same integrity. The registry trusts none of it: it
hashes the upload itself and compares with the integrity claimed here.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from tank.client import keystore
from tank.client.config import RegistryMap
from tank.client.keystore import Prompt
from tank.client.local import LocalSkill, read_skill, require_valid
from tank.core import boundedjson
from tank.core.errors import Problem, UsageError
from tank.core.permissions import Permissions
from tank.core.publisher_sig import sign_publish
from tank.core.signing import Signer

#: The registry reads at most this much of a Sigstore bundle (a few KiB in practice).
MAX_BUNDLE_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class PublishPlan:
    """A validated, packed skill and where it goes."""

    name: str
    version: str
    registry: str
    private: bool
    skill: LocalSkill
    permissions: Permissions
    #: The publisher's DSSE envelope (JSON text) over the tarball, or None: unsigned.
    signature: str | None = None
    #: The fingerprint of the key that made ``signature``.
    signer: str | None = None
    #: A Sigstore bundle (JSON text) made in CI over the tarball, instead of ``signature``.
    sigstore_bundle: str | None = None

    @property
    def data(self) -> bytes:
        """The canonical tarball: the bytes uploaded."""
        return self.skill.packed.data

    @property
    def integrity(self) -> str:
        """``sha512-…`` of :attr:`data`, claimed to the registry."""
        return self.skill.packed.integrity

    @property
    def warnings(self) -> list[Problem]:
        """Non-blocking problems validation found."""
        return list(self.skill.report.warnings)

    @property
    def filename(self) -> str:
        """``scope-name-version.tgz`` (as ``tank pack`` names it)."""
        return f"{self.name.lstrip('@').replace('/', '-')}-{self.version}.tgz"

    def fields(self) -> dict[str, str]:
        """The form fields sent with the tarball: the claims the registry checks."""
        out = {"name": self.name, "version": self.version, "integrity": self.integrity}
        if self.private:
            out["private"] = "true"
        if self.signature is not None:
            out["signature"] = self.signature
        if self.sigstore_bundle is not None:
            out["sigstore_bundle"] = self.sigstore_bundle
        return out

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready summary of what will be published."""
        packed = self.skill.packed
        return {
            "name": self.name,
            "version": self.version,
            "registry": self.registry,
            "private": self.private,
            "integrity": packed.integrity,
            "size": packed.size,
            "unpacked_size": packed.unpacked_size,
            "files": [
                {"path": f.path, "size": f.size, "executable": f.executable} for f in packed.files
            ],
            "permissions": self.permissions.to_json(),
            "dangerous": self.permissions.is_dangerous,
            "signer": self.signer,
            "sigstore_bundle": self.sigstore_bundle is not None,
            "warnings": [p.as_dict() for p in self.warnings],
        }


def plan_publish(directory: Path, *, routes: RegistryMap, private: bool = False) -> PublishPlan:
    """Read ``directory`` strictly (as the registry will), pack it, and pick its registry.

    Raises :class:`~tank.core.errors.ValidationError` listing every problem when the skill is
    not publishable, and :class:`~tank.core.errors.PackError` when the folder cannot be packed.
    """
    skill = read_skill(directory)
    require_valid(skill.report, f"skill {directory}")
    assert skill.package is not None and skill.package.manifest is not None
    manifest = skill.package.manifest
    assert manifest.name is not None and manifest.version is not None  # strict mode checked
    return PublishPlan(
        name=manifest.name,
        version=str(manifest.version),
        registry=routes.for_name(manifest.name),
        private=private,
        skill=skill,
        permissions=manifest.permissions,
    )


def signed(plan: PublishPlan, signer: Signer) -> PublishPlan:
    """``plan`` with the publisher's signature over exactly the bytes it uploads."""
    envelope = sign_publish(signer, plan.name, plan.version, plan.integrity)
    text = json.dumps(envelope, sort_keys=True, separators=(",", ":"))
    return replace(plan, signature=text, signer=signer.public.keyid)


def choose_signer(sign: bool | None, key: str | None, prompt: Prompt | None) -> Signer | None:
    """The signer ``tank publish`` uses: ``--key`` (a local key's fingerprint, or a PEM
    private key file), else the newest local key; None with ``--no-sign``, or when there is
    no key and signing was not asked for (``sign`` None: sign when a key exists)."""
    if sign is False:
        if key is not None:
            raise UsageError("--key names a signing key, and --no-sign turns signing off")
        return None
    if key is not None:
        path = Path(key)
        if path.is_file():
            try:
                pem = path.read_bytes()[:16384]
            except OSError as error:
                raise UsageError(f"cannot read {path}: {error.strerror}") from None
            return keystore.signer_from_pem(pem, prompt=prompt)
        return keystore.signer_for(keystore.find(key), prompt)
    if not keystore.local_keys():
        if sign:
            keystore.find(None)  # raises: no key, and how to make one
        return None
    return keystore.signer_for(keystore.find(None), prompt)


def with_sigstore_bundle(plan: PublishPlan, path: Path) -> PublishPlan:
    """``plan`` carrying the Sigstore bundle at ``path``. Only its shape and the digest it
    names are checked here (a bundle for other bytes stops before the upload); the
    signature, certificate and log entry are verified by the registry."""
    hint = (
        "sign the tarball `tank pack` makes from this folder (the same bytes `tank publish` "
        "uploads), e.g. `sigstore sign --bundle skill.sigstore.json skill.tgz` in CI"
    )
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
        bundle = boundedjson.loads(text, max_bytes=MAX_BUNDLE_BYTES, max_depth=16)
    except (OSError, ValueError) as error:
        raise UsageError(f"cannot read the Sigstore bundle {path}: {error}", hint=hint) from None
    named = _bundle_digests(bundle)
    want = hashlib.sha256(plan.data).hexdigest()
    if named is None or want not in named:
        what = "names no sha256 digest" if not named else f"signs sha256 {sorted(named)[0]}"
        raise UsageError(
            f"the Sigstore bundle {path} {what}, not the tarball of "
            f"{plan.name}@{plan.version} (sha256 {want})",
            hint=hint,
        )
    return replace(plan, sigstore_bundle=text)


def _bundle_digests(bundle: object) -> set[str] | None:
    """The SHA-256 digests (hex) a bundle says it signs: its message digest, or its DSSE
    Statement's subjects; None when it is not shaped like a bundle."""
    if not isinstance(bundle, dict):
        return None
    message = bundle.get("messageSignature")
    if isinstance(message, dict):
        digest = message.get("messageDigest")
        value = digest.get("digest") if isinstance(digest, dict) else None
        try:
            return {base64.b64decode(str(value), validate=True).hex()}
        except (binascii.Error, ValueError):
            return None
    envelope = bundle.get("dsseEnvelope")
    if not isinstance(envelope, dict):
        return None
    try:
        statement = boundedjson.loads(
            base64.b64decode(str(envelope.get("payload")), validate=True),
            max_bytes=MAX_BUNDLE_BYTES,
        )
    except (binascii.Error, ValueError):
        return None
    subjects = statement.get("subject") if isinstance(statement, dict) else None
    return {
        str(s["digest"]["sha256"]).lower()
        for s in (subjects if isinstance(subjects, list) else [])
        if isinstance(s, dict) and isinstance(s.get("digest"), dict) and "sha256" in s["digest"]
    }


def human_size(size: int) -> str:
    """``1234`` → ``1.2 kB`` (decimal units, as npm and uv print them)."""
    if size < 1000:
        return f"{size} B"
    if size < 1_000_000:
        return f"{size / 1000:.1f} kB"
    return f"{size / 1_000_000:.1f} MB"


def prescan(plan: PublishPlan) -> None:
    """Scan the exact bytes about to be uploaded with the registry's policy; raise the
    registry's own refusal (:class:`~tank.client.errors.ScanRefusedError`, same findings,
    same exit status) when it would refuse them, so nothing is uploaded."""
    from tank.client.errors import ScanRefusedError
    from tank.client.localscan import scan_archive

    scanned = scan_archive(plan.data, plan.permissions)
    if not scanned.failed:
        return
    why = scanned.refusal(f"{plan.name}@{plan.version}")
    raise ScanRefusedError(
        f"{why.message} (scanned here before uploading: nothing was sent to {plan.registry})",
        status=422,
        registry=plan.registry,
        code="scan_failed",
        hint=f"{why.hint}; `tank scan --explain RULE` says why a rule matters",
        problems=why.problems,
    )
