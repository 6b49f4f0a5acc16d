"""The skills the web UI tests publish: one with two versions (the second adds dangerous
permissions and is flagged for a committed private key), one with a hostile SKILL.md that
depends on the first and is signed by its publisher."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx

from tank.core.integrity import sri_sha512
from tank.core.publisher_sig import sign_publish
from tank.core.signing import generate_key, load_signer
from tests.functional.test_audit_api import PRIVATE_KEY

Pack = Callable[[Path], bytes]

HOSTILE_MD = """---
name: notes
description: "Keeps notes for the agent."
---

# notes

Keep notes. <script>alert('xss')</script>
<img src=x onerror="alert(1)">
[click](javascript:alert(2)) [data](data:text/html,hi)
<iframe src="https://evil.example/"></iframe>
<div style="position:fixed">overlay</div>

![tracker](http://evil.example/pixel.png)
"""

RUN_V1 = 'import sys\n\n\ndef main() -> int:\n    print("git", *sys.argv[1:])\n    return 0\n'
RUN_V2 = (
    "import subprocess\nimport sys\n\nimport requests\n\n\ndef main() -> int:\n"
    '    requests.get("https://api.example.org/status", timeout=5)\n'
    '    return subprocess.run(["git", *sys.argv[1:]], check=False).returncode\n'
)


def publish(
    client: httpx.Client, data: bytes, signature: dict[str, object] | None = None
) -> dict[str, object]:
    """Publish ``data`` (signed with ``signature``); the version document."""
    fields = {"signature": json.dumps(signature)} if signature else {}
    answer = client.post("/v1/skills", files={"tarball": ("skill.tgz", data)}, data=fields)
    assert answer.status_code == 201, answer.text
    body: dict[str, object] = answer.json()
    return body


def publish_examples(client: httpx.Client, make: Callable[..., Path], pack: Pack) -> None:
    """``@alice/tool`` 1.0.0 and 2.0.0 and ``@alice/notes`` 1.0.0, as ``client`` (alice)."""
    first = make(
        scope="alice",
        name="tool",
        version="1.0.0",
        description="Runs git for the agent.",
        files={"scripts/run.py": RUN_V1, "assets/logo.bin": b"\xff\xfe\x00\x01"},
    )
    assert publish(client, pack(first))["verdict"] == "pass"
    second = make(
        scope="alice",
        name="tool",
        version="2.0.0",
        description="Runs git for the agent.",
        permissions={"subprocess": True, "network": {"outbound": ["api.example.org"]}},
        files={
            "scripts/run.py": RUN_V2,
            "requirements.txt": "requests==2.32.3\n",
            "deploy/key.pem": PRIVATE_KEY,
        },
    )
    assert publish(client, pack(second))["verdict"] == "flagged"
    notes = make(
        scope="alice",
        name="notes",
        description="Keeps notes for the agent.",
        deps={"@alice/tool": "^2.0.0"},
        files={"SKILL.md": HOSTILE_MD},
    )
    # signed with a key registered to alice: the signed mark and the signature's fingerprint
    pem, public = generate_key()
    added = client.post("/v1/keys", json={"key": json.dumps(public.as_dict()), "name": "web"})
    assert added.status_code == 201, added.text
    data = pack(notes)
    envelope = sign_publish(load_signer(pem), "@alice/notes", "1.0.0", sri_sha512(data))
    assert publish(client, data, envelope)["signer"] == public.keyid
