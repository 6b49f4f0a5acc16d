"""CycloneDX 1.6 SBOM building: content, schema validity and byte-for-byte determinism."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from tank.core.errors import ValidationError
from tank.core.integrity import sri_sha512
from tank.core.manifest import parse_manifest
from tank.core.manifest_model import Manifest, ManifestKind
from tank.core.sbom import Sbom, build_sbom
from tank.core.sbom.build import SERIAL_NAMESPACE

MANIFEST: dict[str, Any] = {
    "name": "@acme/weather",
    "version": "1.2.0",
    "description": "Weather for a city.",
    "license": "MIT",
    "repository": "https://github.com/acme/weather",
    "skills": {"@core/markdown-parser": "^1.0.2", "@core/http": "1.4.0"},
    "permissions": {
        "network": {"outbound": ["api.example.com", "*.example.org"]},
        "filesystem": {"read": ["./docs/**"], "write": ["./output/**"]},
        "subprocess": True,
        "secrets": ["WEATHER_KEY"],
    },
}
FILES: dict[str, bytes] = {
    "SKILL.md": b"---\nname: weather\ndescription: Weather.\n---\n# Weather\n",
    "skills.json": json.dumps(MANIFEST).encode(),
    "scripts/main.py": b"import requests\nimport yaml\nimport numpy\n",
    "scripts/requirements.txt": b"requests==2.31.0\nPyYAML>=6\n",
    "scripts/tool.mjs": b"import chalk from 'chalk'\nimport x from '@acme/util'\n",
    "package.json": b'{"dependencies": {"chalk": "5.3.0", "@acme/util": "^2.1.0"}}',
}


def manifest(raw: dict[str, Any] | None = None) -> Manifest:
    parsed, report = parse_manifest(raw or MANIFEST, kind=ManifestKind.PACKAGE)
    assert parsed is not None, report.problems
    return parsed


def build(**kwargs: Any) -> Sbom:
    return build_sbom(FILES, manifest(), **kwargs)


def components(sbom: Sbom) -> dict[str, dict[str, Any]]:
    return {c["bom-ref"]: c for c in sbom.document["components"]}


def props(item: dict[str, Any]) -> list[tuple[str, str]]:
    return [(p["name"], p["value"]) for p in item.get("properties", [])]


def test_schema_valid_cyclonedx_1_6() -> None:
    sbom = build(integrity=sri_sha512(b"tarball"), published_at=datetime(2024, 5, 1, tzinfo=UTC))
    text = sbom.to_json().decode()
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    doc = json.loads(text)
    assert doc["bomFormat"] == "CycloneDX" and doc["specVersion"] == "1.6"
    # the validator is not a rubber stamp: a broken document fails it
    doc["components"][0]["type"] = "not-a-type"
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(json.dumps(doc)) is not None


def test_the_skill_component() -> None:
    integrity = sri_sha512(b"tarball bytes")
    skill = build(integrity=integrity).document["metadata"]["component"]
    assert skill["type"] == "application"
    assert (skill["group"], skill["name"], skill["version"]) == ("@acme", "weather", "1.2.0")
    assert skill["purl"] == skill["bom-ref"] == "pkg:generic/%40acme/weather@1.2.0"
    assert skill["hashes"] == [
        {"alg": "SHA-512", "content": hashlib.sha512(b"tarball bytes").hexdigest()}
    ]
    assert skill["licenses"] == [{"expression": "MIT"}]
    assert skill["externalReferences"][0]["url"] == "https://github.com/acme/weather"


def test_permissions_are_properties_one_per_entry() -> None:
    skill = build().document["metadata"]["component"]
    assert props(skill) == [
        ("tank:permission:filesystem.read", "./docs/**"),
        ("tank:permission:filesystem.write", "./output/**"),
        ("tank:permission:network.outbound", "*.example.org"),
        ("tank:permission:network.outbound", "api.example.com"),
        ("tank:permission:secrets", "WEATHER_KEY"),
        ("tank:permission:subprocess", "true"),
    ]


def test_every_file_with_sha256_and_sha512() -> None:
    found = components(build())
    for path, data in FILES.items():
        entry = found[f"file:{path}"]
        assert entry["type"] == "file" and entry["name"] == path
        assert entry["hashes"] == [
            {"alg": "SHA-256", "content": hashlib.sha256(data).hexdigest()},
            {"alg": "SHA-512", "content": hashlib.sha512(data).hexdigest()},
        ]
    assert sum(1 for c in found.values() if c["type"] == "file") == len(FILES)


def test_skill_dependencies_with_their_ranges() -> None:
    found = components(build())
    parser = found["skill:@core/markdown-parser"]
    assert parser["purl"] == "pkg:generic/%40core/markdown-parser"
    assert "version" not in parser  # a range, not a version
    assert props(parser) == [
        ("tank:kind", "skill"),
        ("tank:spec", "^1.0.2"),
        ("tank:versionRange", "vers:semver/>=1.0.2|<2.0.0-0"),
    ]
    assert ("tank:versionRange", "vers:semver/1.4.0") in props(found["skill:@core/http"])


def test_python_and_npm_packages() -> None:
    found = components(build())
    requests = found["pkg:pypi/requests@2.31.0"]
    assert requests["version"] == "2.31.0" and requests["purl"] == "pkg:pypi/requests@2.31.0"
    assert ("tank:declaredIn", "scripts/requirements.txt") in props(requests)
    yaml = found["pkg:pypi/pyyaml"]
    assert "version" not in yaml
    assert ("tank:versionRange", "vers:pypi/>=6") in props(yaml)
    numpy = found["pkg:pypi/numpy"]
    assert ("tank:declared", "false") in props(numpy)
    assert found["pkg:npm/chalk@5.3.0"]["version"] == "5.3.0"
    util = found["pkg:npm/%40acme/util"]
    assert (util["group"], util["name"]) == ("@acme", "util")
    assert ("tank:versionRange", "vers:npm/>=2.1.0|<3.0.0-0") in props(util)


def test_dependency_graph_from_the_skill() -> None:
    doc = build().document
    root = doc["metadata"]["component"]["bom-ref"]
    graph = {d["ref"]: d.get("dependsOn", []) for d in doc["dependencies"]}
    assert sorted(graph[root]) == sorted(
        [
            "skill:@core/http",
            "skill:@core/markdown-parser",
            "pkg:pypi/requests@2.31.0",
            "pkg:pypi/pyyaml",
            "pkg:pypi/numpy",
            "pkg:npm/chalk@5.3.0",
            "pkg:npm/%40acme/util",
        ]
    )


def test_gaps_and_completeness() -> None:
    sbom = build()
    assert not sbom.complete
    assert sbom.gaps == (
        "package.json: @acme/util is not pinned to an exact version ('^2.1.0')",
        "scripts/main.py:3 imports numpy, declared nowhere",
        "scripts/requirements.txt: pyyaml is not pinned to an exact version ('PyYAML>=6')",
    )
    assert props(sbom.document) == [
        ("tank:sbom.complete", "false"),
        *(("tank:sbom.gap", gap) for gap in sbom.gaps),
    ]
    assert {(p.ecosystem, p.name) for p in sbom.packages} == {
        ("PyPI", "requests"),
        ("PyPI", "pyyaml"),
        ("PyPI", "numpy"),
        ("npm", "chalk"),
        ("npm", "@acme/util"),
    }
    complete = build_sbom(
        {"SKILL.md": b"# x\n", "a.py": b"import requests\n", "requirements.txt": b"requests==2\n"},
        manifest(),
    )
    assert complete.complete and complete.gaps == ()
    assert props(complete.document) == [("tank:sbom.complete", "true")]


def test_same_input_same_bytes_in_any_order() -> None:
    integrity = sri_sha512(b"x")
    first = build_sbom(FILES, manifest(), integrity=integrity).to_json()
    shuffled = dict(reversed(list(FILES.items())))
    again = build_sbom(shuffled, manifest(), integrity=integrity).to_json()
    assert first == again
    assert b'"timestamp"' not in first  # no clock in the output without published_at
    assert (
        json.loads(first)["serialNumber"] == f"urn:uuid:{uuid.uuid5(SERIAL_NAMESPACE, integrity)}"
    )


def test_serial_number_follows_the_content_without_integrity() -> None:
    one = build().document["serialNumber"]
    assert build().document["serialNumber"] == one
    changed = {**FILES, "SKILL.md": FILES["SKILL.md"] + b"\n"}
    assert build_sbom(changed, manifest()).document["serialNumber"] != one


def test_published_at_is_the_timestamp_in_utc() -> None:
    moment = datetime(2024, 5, 1, 12, 30, tzinfo=timezone(timedelta(hours=2)))
    doc = build(published_at=moment).document
    assert doc["metadata"]["timestamp"] == "2024-05-01T10:30:00+00:00"
    naive = build(published_at=datetime(2024, 5, 1, 10, 30)).document
    assert naive["metadata"]["timestamp"] == doc["metadata"]["timestamp"]


_CHILD = """
import hashlib, json, sys
from tank.core.manifest import parse_manifest
from tank.core.manifest_model import ManifestKind
from tank.core.sbom import build_sbom
files = {k: v.encode("latin-1") for k, v in json.loads(sys.argv[1]).items()}
manifest, _ = parse_manifest(json.loads(sys.argv[2]), kind=ManifestKind.PACKAGE)
print(hashlib.sha256(build_sbom(files, manifest, integrity="sha512-" + "A" * 86 + "==").to_json())
      .hexdigest())
"""


def test_byte_identical_across_processes() -> None:
    encoded = json.dumps({k: v.decode("latin-1") for k, v in FILES.items()})
    digests = {
        subprocess.run(
            [sys.executable, "-c", _CHILD, encoded, json.dumps(MANIFEST)],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert len(digests) == 1
    here = build_sbom(FILES, manifest(), integrity="sha512-" + "A" * 86 + "==").to_json()
    assert digests == {hashlib.sha256(here).hexdigest()}


def test_manifest_without_name_or_version_is_refused() -> None:
    project, _ = parse_manifest({"name": "project", "skills": {}}, kind=ManifestKind.PROJECT)
    assert project is not None
    with pytest.raises(ValidationError) as caught:
        build_sbom(FILES, project)
    assert caught.value.code == "sbom.manifest_incomplete" and caught.value.hint
