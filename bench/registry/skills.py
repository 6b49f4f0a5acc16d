"""The packages both registries serve: the same small skill, as a Tank skill and as an npm package.

Each skill ``@bench/skill-N`` version ``1.0.K`` has a ~1.6 KB SKILL.md, a manifest with a
description, keywords and a filesystem permission, and one ~1 KB helper script. Tank tarballs
are made by the real CLI (``tank pack DIR --out OUT --json``); the npm tarballs hold the same
files under ``package/`` (SKILL.md as README.md, skills.json as package.json), so both
registries store and serve archives of about the same size.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

SCOPE = "bench"

SKILL_BODY = """\
# {short}

You keep the user's notes as Markdown files under `notes/` in the current project.
This is version {version} of the skill.

## Writing a note

1. Pick a short, lower-case file name with dashes: `notes/2024-05-01-release-plan.md`.
   Start it with the date (`YYYY-MM-DD`) when the note is about an event.
2. Begin the file with a level-one heading that says what the note is about.
3. Use short sections (`##`), bullet lists for facts and numbered lists for steps.
4. End decisions with a line `Decision: ...` so they can be found with a search.
5. Run `scripts/index.py` afterwards to refresh `notes/INDEX.md`.

## Finding notes

- Search file names first, then headings, then the text.
- Quote the note's path when you answer, so the user can open it.
- Prefer the newest note when two notes disagree, and say so.

## Never

- Never delete a note; move outdated ones to `notes/archive/`.
- Never put secrets (keys, passwords, tokens) in a note.
- Never write outside `notes/`.
"""

SCRIPT = '''\
"""Rebuild notes/INDEX.md from the level-one headings of the notes."""

from pathlib import Path


def main() -> None:
    root = Path("notes")
    lines = ["# Index", ""]
    for path in sorted(root.glob("*.md")):
        if path.name == "INDEX.md":
            continue
        title = path.stem
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# "):
                title = line[2:].strip()
                break
        lines.append(f"- [{title}]({path.name})")
    (root / "INDEX.md").write_text("\\n".join(lines) + "\\n", encoding="utf-8")


if __name__ == "__main__":
    main()
'''


@dataclass(frozen=True)
class Release:
    name: str  # @bench/skill-N
    short: str  # skill-N
    version: str
    tank_tgz: Path
    npm_tgz: bytes
    npm_manifest: dict[str, object]
    readme: str


def _manifest(short: str, version: str) -> dict[str, object]:
    return {
        "name": f"@{SCOPE}/{short}",
        "version": version,
        "description": (
            f"Keep tidy Markdown notes in the project's notes/ folder ({short}). Use when the "
            "user asks to write down, organise or find notes, meeting minutes or decisions."
        ),
        "license": "Apache-2.0",
        "keywords": ["markdown", "notes", "docs", "bench"],
        "permissions": {"filesystem": {"read": ["./notes/**"], "write": ["./notes/**"]}},
    }


def _skill_md(short: str, version: str) -> str:
    front = (
        f"---\nname: {short}\n"
        "description: Keep tidy Markdown notes in the project's notes/ folder. Use when the "
        "user asks to write down, organise or find notes, meeting minutes or decisions.\n"
        "license: Apache-2.0\n---\n\n"
    )
    return front + SKILL_BODY.format(short=short, version=version)


def _npm_tarball(files: dict[str, bytes]) -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for rel in sorted(files):
            info = tarfile.TarInfo(f"package/{rel}")
            info.size = len(files[rel])
            info.mode = 0o644
            info.mtime = 499162500  # what npm pack uses (1985-10-26)
            tar.addfile(info, io.BytesIO(files[rel]))
    return gzip.compress(raw.getvalue(), mtime=0)


def build(work: Path, tank: str, skills: int, versions: int) -> list[Release]:
    """Write the skill folders, pack them with ``tank pack`` and build the npm twins.

    Packing is skipped for a tarball already present (``tank pack`` is reproducible).
    """
    folders, out = work / "skills", work / "tarballs"
    out.mkdir(parents=True, exist_ok=True)
    releases = []
    for n in range(1, skills + 1):
        short = f"skill-{n}"
        for k in range(versions):
            version = f"1.0.{k}"
            manifest = _manifest(short, version)
            skill_md = _skill_md(short, version)
            folder = folders / version / short  # SKILL.md name == folder name
            (folder / "scripts").mkdir(parents=True, exist_ok=True)
            (folder / "SKILL.md").write_text(skill_md, encoding="utf-8")
            (folder / "skills.json").write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")
            (folder / "scripts" / "index.py").write_text(SCRIPT, encoding="utf-8")
            tgz = out / f"{SCOPE}-{short}-{version}.tgz"
            if not tgz.exists():
                proc = subprocess.run(
                    [tank, "pack", str(folder), "--out", str(out), "--json"],
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if proc.returncode != 0:
                    raise SystemExit(f"tank pack {folder} failed:\n{proc.stdout}{proc.stderr}")
                tgz = Path(json.loads(proc.stdout)["path"])
            npm_pkg = dict(manifest)
            npm_pkg.pop("permissions")
            npm_pkg["main"] = "scripts/index.py"
            npm_files = {
                "package.json": (json.dumps(npm_pkg, indent=2) + "\n").encode(),
                "README.md": skill_md.encode(),
                "skills.json": json.dumps(manifest, indent=2).encode(),
                "scripts/index.py": SCRIPT.encode(),
            }
            releases.append(
                Release(
                    name=f"@{SCOPE}/{short}",
                    short=short,
                    version=version,
                    tank_tgz=tgz,
                    npm_tgz=_npm_tarball(npm_files),
                    npm_manifest=npm_pkg,
                    readme=skill_md,
                )
            )
    return releases


def npm_publish_body(release: Release, base_url: str) -> bytes:
    """The JSON document ``npm publish`` PUTs to ``/<name>`` (libnpmpublish's shape).

    The README text is left out, as Tank's metadata document leaves SKILL.md out: it stays in
    the tarball, and the packument keeps a size close to Tank's document.
    """
    data = release.npm_tgz
    filename = f"{release.short}-{release.version}.tgz"
    sri = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    version = dict(release.npm_manifest)
    version.update(
        {
            "_id": f"{release.name}@{release.version}",
            "dist": {
                "integrity": sri,
                "shasum": hashlib.sha1(data).hexdigest(),  # npm's legacy field
                "tarball": f"{base_url}/{release.name}/-/{filename}",
            },
        }
    )
    body = {
        "_id": release.name,
        "name": release.name,
        "description": release.npm_manifest["description"],
        "dist-tags": {"latest": release.version},
        "versions": {release.version: version},
        "access": "public",
        "_attachments": {
            filename: {
                "content_type": "application/octet-stream",
                "data": base64.b64encode(data).decode(),
                "length": len(data),
            }
        },
    }
    return json.dumps(body).encode()
