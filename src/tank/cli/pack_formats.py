"""Writing ``tank pack --format agent-plugin`` and ``--format openai`` outputs (the canonical
``.tgz`` stays in cmd_pack). The layouts themselves are built in the core."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from tank.core.errors import UsageError
from tank.core.manifest import Manifest


def write_plugin(manifest: Manifest, packed: bytes, out_dir: Path, *, archive: bool) -> Path:
    """The skill as an agent plugin: a folder ``OUT/<name>-plugin/`` or a canonical
    ``OUT/<name>-plugin-<version>.tgz``. Refuses to replace an existing folder."""
    from tank.core.agentplugin import manifest_document, plugin_files
    from tank.core.pack import pack_files
    from tank.core.unpack import files_of, read_archive

    assert manifest.name is not None and manifest.version is not None
    scope, short = manifest.name.split("/", 1)
    extra: dict[str, Any] = {
        "author": {"name": scope},
        "license": manifest.license,
        "repository": manifest.repository,
        "keywords": list(manifest.keywords),
    }
    doc = manifest_document(short, str(manifest.version), manifest.description or "", extra)
    layout = plugin_files(doc, {short: files_of(read_archive(packed))})
    out_dir.mkdir(parents=True, exist_ok=True)
    if archive:
        target = out_dir / f"{short}-plugin-{manifest.version}.tgz"
        target.write_bytes(pack_files(layout).data)
        return target
    target = out_dir / f"{short}-plugin"
    if target.exists():
        raise UsageError(
            f"{target} already exists",
            code="plugin_exists",
            hint="remove it first, or pass another --out",
        )
    staging = Path(tempfile.mkdtemp(dir=out_dir, prefix=".tank-plugin-"))
    try:
        for rel, (data, executable) in layout.items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            path.chmod(0o755 if executable else 0o644)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def write_openai(manifest: Manifest, out_dir: Path) -> Path:
    """``OUT/.skill/openai.json`` (see :mod:`tank.core.openai_adapter`)."""
    from tank.core.openai_adapter import PATH, openai_adapter

    assert manifest.name is not None and manifest.version is not None
    adapter = openai_adapter(
        manifest.name, str(manifest.version), manifest.description or "", manifest.raw
    )
    target = out_dir / PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(adapter, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return target
