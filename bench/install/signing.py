"""The cost of publisher signing and its verification on ``tank install`` (issue 12).

    .venv/bin/python bench/install/signing.py [--runs 7] [--count 200] [--readme]

The 200 skills of ``generate.py`` are published to two registries, each a real
``tank registry serve`` on loopback with the embedded default (SQLite, local blobs, 1
worker): once *unsigned*, and once *signed*, each tarball's DSSE envelope made with an
Ed25519 key registered to the publisher's account (as ``tank publish`` does). For each, a
client with its own ``HOME``, config, state and user cache installs the 200 once (the cache
is then warm, skills.lock written, the registry's key and tree head pinned).

Then, ``--runs`` rounds, the two interleaved (the order alternates every round): ``tank
install`` in a fresh project folder holding that skills.json and skills.lock, the user cache
warm, timed from process start to exit; each must leave 200 installed skills. The anchor is
the same install *unsigned*, in the same run: both do the same status, log-proof and
attestation checks; the signed one adds the publisher-key request and the verification of
200 publisher signatures. Reported: medians, min and max, and the overhead in %.

In process, on the signed client's kept evidence, the verification alone is timed too (the
200 publisher envelopes, the 200 registry attestations, the 200 inclusion proofs), as
``tank verify`` runs it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from common import free_port, multipart  # noqa: E402
from generate import SCOPE, VERSION, WORK, generate, skill_names  # noqa: E402
from run import Servers, check, request, wait_ready  # noqa: E402

README = HERE.parent / "README.md"
BEGIN, END = "<!-- signing-results:begin -->", "<!-- signing-results:end -->"
PASSWORD = "bench-password-1"
VARIANTS = ("unsigned", "signed")


class Variant:
    """One registry and one client: ``unsigned`` or ``signed``."""

    def __init__(
        self, name: str, base: Path, tank: str, count: int, pythonpath: str | None = None
    ) -> None:
        self.name, self.tank, self.count = name, tank, count
        self.root = base / name
        self.home = self.root / "home"
        self.cache = self.root / "cache"
        self.url = ""
        #: Another client's source (``--base-src``): its installs import that tank.
        self.pythonpath = pythonpath

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TANK_")}
        # Byte-code caching as for any installed tank (a caller's PYTHONDONTWRITEBYTECODE
        # made every run compile tank anew: a third of a warm install, unlike real use).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env.update(
            HOME=str(self.home),
            TANK_HOME=str(self.home),
            TANK_CONFIG_DIR=str(self.home / ".config" / "tank"),
            TANK_CACHE_DIR=str(self.cache),
            TANK_REGISTRY=self.url,
            TANK_NO_KEYRING="1",
            NO_COLOR="1",
            CI="",
        )
        if self.pythonpath is not None:
            env["PYTHONPATH"] = self.pythonpath
        return env

    def start(self, servers: Servers, data: Path) -> None:
        db = f"sqlite:///{self.root / 'registry.db'}"
        port = free_port()
        log = self.root / "registry.log"
        env = dict(os.environ)
        env["TANK_REGISTRY_RATE_LIMIT_WRITES_PER_TOKEN"] = "0"
        env["TANK_REGISTRY_RATE_LIMIT_WRITES_PER_IP"] = "0"
        cmd = [self.tank, "registry", "serve", "--host", "127.0.0.1", "--port", str(port)]
        cmd += ["--database-url", db, "--storage", str(self.root / "blobs"), "--workers", "1"]
        proc = servers.start(cmd, log, env=env)
        wait_ready(port, "/v1/health", proc, log)
        self.url = f"http://127.0.0.1:{port}"
        check(
            [
                self.tank,
                "registry",
                "create-user",
                SCOPE,
                "--password",
                PASSWORD,
                "--database-url",
                db,
            ]
        )
        body = json.dumps({"username": SCOPE, "password": PASSWORD, "scopes": ["read", "publish"]})
        json_type = {"Content-Type": "application/json"}
        status, answer = request(port, "POST", "/v1/tokens", body.encode(), json_type)
        if status not in (200, 201):
            raise SystemExit(f"token: {status} {answer[:300]!r}")
        token = json.loads(answer)["token"]
        auth = {"Authorization": f"Bearer {token}"}
        signer = None
        if self.name == "signed":
            from tank.core.signing import generate_key, load_signer

            pem, public = generate_key()
            signer = load_signer(pem)
            key = json.dumps({"key": json.dumps(public.as_dict()), "name": "bench"}).encode()
            status, answer = request(port, "POST", "/v1/keys", key, {**auth, **json_type})
            if status != 201:
                raise SystemExit(f"key: {status} {answer[:300]!r}")
        self._publish(port, auth, data, signer)

    def _publish(self, port: int, auth: dict[str, str], data: Path, signer: Any) -> None:
        from tank.core.integrity import sri_sha512
        from tank.core.publisher_sig import sign_publish

        for name in skill_names(self.count):
            tgz = data / "tank" / f"{name.lstrip('@').replace('/', '-')}-{VERSION}.tgz"
            blob = tgz.read_bytes()
            fields = {"name": name, "version": VERSION, "integrity": sri_sha512(blob)}
            if signer is not None:
                envelope = sign_publish(signer, name, VERSION, fields["integrity"])
                fields["signature"] = json.dumps(envelope, sort_keys=True, separators=(",", ":"))
            payload, ctype = multipart("tarball", tgz.name, blob, fields)
            headers = {**auth, "Content-Type": ctype}
            status, answer = request(port, "POST", "/v1/skills", payload, headers)
            if status not in (200, 201):
                raise SystemExit(f"publish {name}: {status} {answer[:500]!r}")

    def warm_up(self) -> None:
        """The first install: fills the user cache, writes skills.lock, pins the registry."""
        project = self.root / "warm"
        project.mkdir(parents=True)
        doc = {"name": "bench", "skills": dict.fromkeys(skill_names(self.count), f"^{VERSION}")}
        (project / "skills.json").write_text(json.dumps(doc, indent=2) + "\n")
        self.install(project)
        lock = json.loads((project / "skills.lock").read_text())["skills"]
        signers = {bool(entry.get("signer")) for entry in lock.values()}
        if signers != {self.name.startswith("signed")}:
            raise SystemExit(f"{self.name}: skills.lock signers {signers}")

    def install(self, project: Path) -> float:
        start = time.perf_counter()
        done = subprocess.run(
            [self.tank, "install"],
            cwd=project,
            env=self.env(),
            capture_output=True,
            text=True,
            check=False,
        )
        took = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(f"{self.name}: tank install failed:\n{done.stdout}{done.stderr}")
        installed = len(list(project.glob(".agents/skills/*/SKILL.md")))
        if installed != self.count:
            raise SystemExit(f"{self.name}: {installed} skills installed, not {self.count}")
        return took

    def timed(self, round_no: int) -> float:
        """``tank install`` in a fresh project folder with the warm one's lockfile."""
        project = self.root / "runs" / f"r{round_no}"
        project.mkdir(parents=True)
        for name in ("skills.json", "skills.lock"):
            shutil.copyfile(self.root / "warm" / name, project / name)
        try:
            return self.install(project)
        finally:
            shutil.rmtree(project, ignore_errors=True)


def verify_in_process(variant: Variant, repeat: int = 5) -> dict[str, float]:
    """Milliseconds (median of ``repeat``) to verify, from the kept evidence, every
    publisher envelope, registry attestation and inclusion proof of the signed install."""
    os.environ.update(variant.env())
    from tank.client.cache import ContentCache
    from tank.client.evidence import read_evidence
    from tank.client.transparency import load_pinned
    from tank.core.attestation import verify_attestation
    from tank.core.lockfile import parse_lockfile
    from tank.core.publisher_sig import verify_publish
    from tank.core.signing import parse_public_key
    from tank.core.translog import check_inclusion, parse_entry, parse_hashes, verify_head

    lock = parse_lockfile((variant.root / "warm" / "skills.lock").read_text())
    cache = ContentCache(variant.cache)
    pinned = load_pinned(variant.url)
    assert pinned is not None
    kept = [(s, read_evidence(cache, s.meta.integrity)) for s in lock.skills]

    def signatures() -> None:
        for s, e in kept:
            assert e is not None and e.signature is not None
            key = parse_public_key(e.signature["key"])
            verify_publish(e.signature["envelope"], [key], s.name, VERSION, s.meta.integrity)

    def attestations() -> None:
        for s, e in kept:
            assert e is not None
            verify_attestation(e.attestations[0], pinned.keys, s.name, VERSION, s.meta.integrity)

    def inclusion() -> None:
        for _, e in kept:
            assert e is not None and e.log is not None
            head, _ = verify_head(e.log["head"], pinned.keys)
            proof = parse_hashes(e.log["proof"], "proof")
            check_inclusion(parse_entry(e.log["entry"]), e.log["index"], proof, head)

    out = {}
    for label, func in (
        ("publisher signatures", signatures),
        ("registry attestations", attestations),
        ("inclusion proofs (+ signed head)", inclusion),
    ):
        samples = []
        for _ in range(repeat):
            start = time.perf_counter()
            func()
            samples.append((time.perf_counter() - start) * 1000)
        out[label] = statistics.median(samples)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--tank", default=str(Path(sys.executable).with_name("tank")))
    parser.add_argument(
        "--base-src",
        help="also time the unsigned install with the tank of this src folder (the commit "
        "before a change, say), against the same unsigned registry, in the same rounds",
    )
    parser.add_argument("--readme", action="store_true", help="write the results into README")
    args = parser.parse_args()
    data = generate(args.count)
    base = WORK / f"n{args.count}" / "signing"
    shutil.rmtree(base, ignore_errors=True)
    servers = Servers()
    try:
        variants = [Variant(name, base, args.tank, args.count) for name in VARIANTS]
        for variant in variants:
            variant.start(servers, data)
            variant.warm_up()
        if args.base_src:
            base_client = Variant("unsigned-base", base, args.tank, args.count, args.base_src)
            base_client.url = variants[0].url
            base_client.warm_up()
            variants.append(base_client)
        times: dict[str, list[float]] = {v.name: [] for v in variants}
        loads = []
        for round_no in range(args.runs):
            loads.append(os.getloadavg()[0])
            order = variants if round_no % 2 == 0 else variants[::-1]
            for variant in order:
                times[variant.name].append(variant.timed(round_no))
        alone = verify_in_process(next(v for v in variants if v.name == "signed"))
    finally:
        servers.stop_all()
    text = render(args, times, alone, loads)
    print(text)
    if args.readme:
        body = README.read_text()
        head, _, rest = body.partition(BEGIN)
        _, _, tail = rest.partition(END)
        README.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}")


def render(
    args: argparse.Namespace,
    times: dict[str, list[float]],
    alone: dict[str, float],
    loads: list[float],
) -> str:
    unsigned, signed = (statistics.median(times[v]) for v in VARIANTS)
    overhead = (signed - unsigned) / unsigned * 100
    pairs = zip(times["unsigned"], times["signed"], strict=True)
    paired = statistics.median(b - a for a, b in pairs)
    best = (min(times["signed"]) - min(times["unsigned"])) / min(times["unsigned"]) * 100
    base = f"`--base-src {args.base_src}`" if args.base_src else ""
    uptime = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout
    rows = [
        f"| {name} | {statistics.median(t):.3f} | {min(t):.3f} | {max(t):.3f} |"
        for name, t in times.items()
    ]
    lines = [
        f"{args.count} skills, warm user cache, skills.lock, fresh project folder; "
        f"{args.runs} rounds, the installs interleaved (order alternating). Load: 1-min average "
        f"{min(loads):.2f}-{max(loads):.2f} over the rounds; `uptime` after: "
        f"`{uptime.strip()}`.",
        "",
        "| install | median (s) | min (s) | max (s) |",
        "| --- | --- | --- | --- |",
        *rows,
        "",
        f"**Overhead of signing + verification: {overhead:+.1f} %** (median signed vs. median "
        f"unsigned, same run); paired, the median of the {args.runs} per-round differences "
        f"(signed minus unsigned, same round) is {paired * 1000:+.0f} ms, "
        f"{paired / unsigned * 100:+.1f} %; fastest against fastest {best:+.1f} %."
        + _against_base(times, base),
        "",
        "Verification alone, in process, from the kept evidence (median of 5, all "
        f"{args.count} skills): "
        + ", ".join(f"{label} {ms:.1f} ms" for label, ms in alone.items())
        + ".",
    ]
    return "\n".join(lines)


def _against_base(times: dict[str, list[float]], base: str) -> str:
    if "unsigned-base" not in times:
        return ""
    mine, theirs = statistics.median(times["unsigned"]), statistics.median(times["unsigned-base"])
    return (
        f" `unsigned-base`: the same unsigned install by the base client ({base}); this "
        f"client's unsigned install is {(mine - theirs) / theirs * 100:+.1f} % against it."
    )


if __name__ == "__main__":
    main()
