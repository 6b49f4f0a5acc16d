"""Files read and written outside the project, and hosts built at run time (issue 11)."""

from __future__ import annotations

import pytest

from tank.core.permissions import parse_permissions
from tank.scanner import load_rules
from tank.scanner.capabilities import Capabilities, infer, undeclared
from tank.scanner.capabilities_hosts import covered_pattern, host_pattern
from tank.scanner.capabilities_paths import outside_path


def _caps(path: str, kind: str, text: str) -> Capabilities:
    return infer({path: (kind, text)})


def _messages(caps: Capabilities, permissions: dict[str, object]) -> list[str]:
    granted, problems = parse_permissions(permissions)
    assert not problems
    return [f.message for f in undeclared(caps, granted, load_rules())]


# -- paths ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("~/.cache/tool/\ufffc.json", "~/.cache/tool/*.json"),
        ("$HOME/.tool/env", "~/.tool/env"),
        ("${XDG_CONFIG_HOME:-$HOME/.config}/tool", "~/.config/tool"),
        ("%LOCALAPPDATA%\\App\\x.db", "~/AppData/Local/App/x.db"),
        ("$env:APPDATA\\Tool\\c.json", "~/AppData/Roaming/Tool/c.json"),
        ("/opt/tool/config", "/opt/tool/config"),
        ("./out/x.json", None),
        ("data/x.json", None),
        ("~", None),
        ("~/\ufffc", None),
        ("/etc/os-release", None),
        ("/proc/cpuinfo", None),
        ("/tmp/x", None),
        ("/usr/share/dict/words", None),
        ("/home/kevin/clawd/MEMORY.md", "~/clawd/MEMORY.md"),
        ("/Users/me/.tool/a", "~/.tool/a"),
        ("/root/.tool/a", "~/.tool/a"),
        ("C:\\Users\\me\\Documents\\kg.csv", "~/Documents/kg.csv"),
        ("~/.ui-tests/-.json", "~/.ui-tests/*.json"),  # slug(\ufffc) folded to "-"
    ],
)
def test_outside_path_names_what_to_declare(raw: str, expected: str | None) -> None:
    assert outside_path(raw) == expected


def test_dev_null_is_a_common_write_but_system_reads_are_not_common_writes() -> None:
    assert outside_path("/dev/null", write=True) is None
    assert outside_path("/usr/share/x/y", write=True) == "/usr/share/x/y"


# -- Python -----------------------------------------------------------------------------------

PY = """import json, os, shutil, sqlite3
from pathlib import Path
cfg = json.load(open(os.path.expanduser('~/.config/tool/settings.json')))
base = Path.home() / '.cache' / 'tool'
def save(name, data):
    (base / f'{name}.json').write_text(data)
CONF = os.path.join(os.environ.get('XDG_CONFIG_HOME', os.path.expanduser('~/.config')), 'app')
with open(os.path.join(CONF, 'c.toml'), 'w') as f:
    f.write('x')
shutil.copy(os.path.expanduser('~/.tool/a'), os.path.expanduser('~/backup/a'))
db = sqlite3.connect(os.path.expanduser('~/.local/share/app/db.sqlite'))
text = Path('~/.tool/notes.md').expanduser().read_text()
"""


def test_python_reads_and_writes_are_inferred() -> None:
    caps = _caps("tool.py", "python", PY)
    assert set(caps.reads) == {
        "~/.config/tool/settings.json",
        "~/.tool/a",
        "~/.tool/notes.md",
    }
    assert set(caps.writes) == {
        "~/.cache/tool/*.json",
        "~/.config/app/c.toml",
        "~/backup/a",
        "~/.local/share/app/db.sqlite",
    }


def test_python_paths_only_printed_checked_or_in_tests_do_not_count() -> None:
    text = (
        "import os, logging\n"
        "p = os.path.expanduser('~/.tool/config')\n"
        "if os.path.exists(p):\n"
        "    print('edit ~/.tool/config to change it')\n"
        "logging.info('wrote %s', '~/.tool/out')\n"
        "os.stat(p)\n"
    )
    caps = _caps("tool.py", "python", text)
    assert not caps.reads and not caps.writes
    fixture = "open('/home/u/.tool/x', 'w').write('1')\nopen('~/.tool/y').read()\n"
    for path in ("tests/test_tool.py", "test_tool.py", "pkg/tests/helpers.py"):
        assert not _caps(path, "python", fixture).reads
        assert not _caps(path, "python", fixture).writes


# -- JavaScript -------------------------------------------------------------------------------

JS = """const fs = require('fs');
const os = require('os');
const path = require('path');
const fsp = require('fs/promises');
const state = path.join(os.homedir(), '.tool', 'state.json');
const data = JSON.parse(fs.readFileSync(state, 'utf8'));
fs.mkdirSync(process.env.HOME + '/.tool/logs', { recursive: true });
async function save(name) {
  await fsp.writeFile(`${os.homedir()}/.cache/tool/${name}.json`, 'x');
}
fs.copyFileSync(path.join(os.homedir(), '.tool', 'a'), '/opt/tool/a');
console.log('see ~/.tool/help.txt');
"""


def test_js_reads_and_writes_are_inferred() -> None:
    caps = _caps("index.js", "js", JS)
    assert set(caps.reads) == {"~/.tool/state.json", "~/.tool/a"}
    assert set(caps.writes) == {"~/.tool/logs", "~/.cache/tool/*.json", "/opt/tool/a"}
    assert not _caps("index.test.js", "js", JS).reads


# -- shell and PowerShell ---------------------------------------------------------------------

SH = """#!/bin/bash
source "$HOME/.tool/env"
cat ~/.tool/config | jq .
cp ./tool "$HOME/.local/bin/tool"
mkdir -p "${XDG_CONFIG_HOME:-$HOME/.config}/tool"
echo "usage: edit ~/.tool/usage > ~/.tool/nothing"
while read -r l; do :; done < ~/.tool/list
cat <<EOF > ~/.tool/generated
cat ~/.tool/inside-heredoc
EOF
cat /etc/os-release 2>/dev/null
STATE="$HOME/.tool/state"
touch "$STATE/last"
cp ./x "${TOOL_HOME:-$HOME/.toolhome}/x"
"""


def test_shell_reads_and_writes_are_inferred() -> None:
    caps = _caps("install.sh", "shell", SH)
    assert set(caps.reads) == {"~/.tool/env", "~/.tool/config", "~/.tool/list"}
    assert set(caps.writes) == {
        "~/.local/bin/tool",
        "~/.config/tool",
        "~/.tool/generated",
        "~/.tool/state/last",
        "~/.toolhome/x",
    }


PS = """$cfg = Get-Content -Path "$env:APPDATA\\Tool\\config.json" -Raw
Set-Content -Path (Join-Path $env:LOCALAPPDATA 'Tool\\state.txt') -Value 1
$p = Join-Path $HOME '.tool\\a.json'
Get-Content $p
Copy-Item .\\x.dll "$env:USERPROFILE\\.tool\\x.dll"
[IO.File]::WriteAllText("$HOME\\.tool\\out.txt", "x")
Write-Host "Get-Content ~/.tool/printed"
"""


def test_powershell_reads_and_writes_are_inferred() -> None:
    caps = _caps("setup.ps1", "powershell", PS)
    assert set(caps.reads) == {"~/AppData/Roaming/Tool/config.json", "~/.tool/a.json"}
    assert set(caps.writes) == {
        "~/AppData/Local/Tool/state.txt",
        "~/.tool/x.dll",
        "~/.tool/out.txt",
    }


def test_shell_filters_read_their_files_not_their_program() -> None:
    sh = (
        'CFG="${KUBECONFIG:-$HOME/.kube/config}"\n'
        "current=$(awk '/^current-context:/{print $2}' \"$CFG\")\n"
        "grep -c token ~/.tool/list\n"
        "sed -n 1p ~/.tool/names\n"
        "sed -i 's/a/b/' ~/.tool/rc\n"
        "grep -f ~/.tool/patterns notes.txt\n"
    )
    caps = _caps("report.sh", "shell", sh)
    assert set(caps.reads) == {
        "~/.kube/config",
        "~/.tool/list",
        "~/.tool/names",
        "~/.tool/patterns",
    }
    assert set(caps.writes) == {"~/.tool/rc"}


def test_powershell_param_defaults_format_strings_and_switches_are_followed() -> None:
    ps = (
        "param([string]$OutDir = (Join-Path ([Environment]::GetFolderPath('MyDocuments')) "
        "'Inventory'))\n"
        "New-Item -ItemType Directory -Force $OutDir | Out-Null\n"
        "$csv = Join-Path $OutDir ('inventory-{0:yyyyMMdd}.csv' -f (Get-Date))\n"
        "$rows | Export-Csv -NoTypeInformation -Path $csv\n"
        "Out-File -Encoding utf8 -FilePath (Join-Path $HOME '.tool\\log.txt')\n"
    )
    caps = _caps("inventory.ps1", "powershell", ps)
    assert set(caps.writes) == {
        "~/Documents/Inventory",
        "~/Documents/Inventory/inventory-*.csv",
        "~/.tool/log.txt",
    }
    assert "~/Documents/Inventory" in caps.folders


# -- declared against used --------------------------------------------------------------------


def test_undeclared_reads_and_writes_name_the_path_to_add() -> None:
    caps = _caps("tool.py", "python", PY)
    messages = _messages(caps, {})
    assert (
        'reads ~/.config/tool/settings.json: add "~/.config/tool/settings.json" to '
        "permissions.filesystem.read"
    ) in messages
    assert (
        'writes ~/.cache/tool/*.json: add "~/.cache/tool/*.json" to permissions.filesystem.write'
        in messages
    )


def test_declared_globs_are_honoured_and_a_write_grant_reads_back_all_but_secrets() -> None:
    caps = _caps("tool.py", "python", PY)
    declared = {
        "filesystem": {
            "read": ["~/.config/tool/**", "~/.tool/*"],
            "write": [
                "~/.cache/tool/**",
                "~/.config/app/*",
                "~/backup/**",
                "~/.local/share/app/**",
            ],
        }
    }
    assert _messages(caps, declared) == []
    # what the skill may write it may read back (the sandbox shows a writable path)…
    write_only = {"filesystem": {"write": ["~/**"]}}
    assert not any(m.startswith("reads ~/") for m in _messages(caps, write_only))
    assert any(
        m.startswith("reads ~/.config/tool/settings.json")
        for m in _messages(caps, {"filesystem": {"write": ["~/.cache/**"]}})
    )
    # …except secrets, which need a read grant of their own
    secret = _caps("steal.py", "python", 'open(os.path.expanduser("~/.ssh/id_rsa")).read()\n')
    assert any(m.startswith("reads ~/.ssh/id_rsa") for m in _messages(secret, write_only))
    # a run-time name gets the benefit of the doubt from a declared glob that could match it…
    narrow = {"filesystem": {"write": ["~/.cache/tool/state-*.json"]}}
    assert not any(m.startswith("writes ~/.cache/tool/") for m in _messages(caps, narrow))
    # …but not from one that never could
    other = {"filesystem": {"write": ["~/.cache/other/*.json", "~/.cache/tool/*.txt"]}}
    assert any(m.startswith("writes ~/.cache/tool/*.json") for m in _messages(caps, other))


def test_absolute_paths_cannot_be_granted() -> None:
    caps = _caps("index.js", "js", JS)
    messages = _messages(caps, {"filesystem": {"write": ["~/**"], "read": ["~/**"]}})
    assert len(messages) == 1
    assert messages[0].startswith("writes /opt/tool/a, outside the project and the home folder")


def test_absolute_reads_are_named_only_when_sensitive() -> None:
    text = "print(open('/etc/ssh/ssh_config').read())\nopen('/etc/shadow').read()\n"
    messages = _messages(_caps("audit.py", "python", text), {})
    assert [m.split(",")[0] for m in messages] == ["reads /etc/shadow"]


def test_a_sensitive_source_read_also_counts_as_an_undeclared_read() -> None:
    caps = _caps(
        "x.py", "python", "import os\nopen(os.path.expanduser('~/.aws/credentials')).read()\n"
    )
    assert "~/.aws/credentials" in caps.reads


# -- hosts built at run time ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://\ufffc-api.vendor.acme.dev/v1", "*-api.vendor.acme.dev"),
        ("https://\x00.mt.vendor.acme.dev/t", "*.mt.vendor.acme.dev"),
        ("https://api.acme.dev/v1", None),  # complete: an ordinary host
        ("https://\ufffc/v1", None),  # nothing known
        ("https://api.\ufffc/v1", None),  # the domain itself is unknown
        ("https://\ufffc.dev/v1", None),  # only a top-level domain is known
    ],
)
def test_host_pattern(url: str, expected: str | None) -> None:
    assert host_pattern(url) == expected


def test_a_wildcard_covers_a_pattern_only_when_it_covers_every_host() -> None:
    assert covered_pattern("*.mt.vendor.acme.dev", ("*.vendor.acme.dev",))
    assert covered_pattern("*-api.vendor.acme.dev", ("*.vendor.acme.dev",))
    assert covered_pattern("*.mt.vendor.acme.dev", ("*",))
    assert not covered_pattern("*.mt.vendor.acme.dev", ("api.vendor.acme.dev",))
    assert not covered_pattern("*.mt.vendor.acme.dev", ("*.other.acme.dev",))
    assert not covered_pattern("*-api.vendor.acme.dev", ("*.api.vendor.acme.dev",))


PY_HOSTS = """import requests
def translate(region, text):
    return requests.post(f"https://{region}-api.vendor.acme.dev/v1", json={"q": text})
def other(sub):
    return requests.get("https://" + sub + ".mt.vendor.acme.dev/x")
"""
JS_HOSTS = """async function t(region) {
  return fetch(`https://${region}.mt.vendor.acme.dev/translate`);
}
"""


@pytest.mark.parametrize(
    ("path", "kind", "text", "patterns"),
    [
        ("t.py", "python", PY_HOSTS, {"*-api.vendor.acme.dev", "*.mt.vendor.acme.dev"}),
        ("t.js", "js", JS_HOSTS, {"*.mt.vendor.acme.dev"}),
        (
            "t.mjs",
            "js",
            "const REGION = process.env.MT_REGION ?? 'eu';\n"
            "const domain = ['vendor', 'acme', 'dev'].join('.');\n"
            "const endpoint = () => `https://${REGION}.mt.${domain}/v2`;\n"
            "export const go = (body) => fetch(endpoint(), { method: 'POST', body });\n",
            {"*.mt.vendor.acme.dev"},
        ),
    ],
)
def test_hosts_built_at_run_time_are_undeclared_unless_a_wildcard_covers_them(
    path: str, kind: str, text: str, patterns: set[str]
) -> None:
    caps = _caps(path, kind, text)
    assert set(caps.host_patterns) == patterns
    messages = _messages(caps, {"network": {"outbound": ["api.vendor.acme.dev"]}})
    assert (
        'builds hosts like *.mt.vendor.acme.dev at run time: add "*.mt.vendor.acme.dev" '
        "to permissions.network.outbound"
    ) in messages
    assert _messages(caps, {"network": {"outbound": ["*.vendor.acme.dev"]}}) == []


def test_hosts_built_in_tests_do_not_count() -> None:
    assert not _caps("tests/test_t.py", "python", PY_HOSTS).host_patterns


def test_the_common_paths_list_is_valid_globs() -> None:
    from tank.core.permissions import canonical_path_glob
    from tank.scanner.capabilities_paths import _common_lists

    reads, writes = _common_lists()
    assert reads and writes
    for glob in (*reads, *writes):
        assert glob.startswith("/")
        assert canonical_path_glob("~" + glob)


def test_python_paths_through_self_attributes_and_parent() -> None:
    text = (
        "from pathlib import Path\n"
        "class Client:\n"
        "    def __init__(self, brand):\n"
        "        self.creds = Path.home() / f'.{brand}_creds.json'\n"
        "        self.db = Path.home() / '.tool' / 'data' / 'x.db'\n"
        "    def save(self, data):\n"
        "        self.db.parent.mkdir(parents=True, exist_ok=True)\n"
        "        with open(self.creds, 'w') as f:\n"
        "            f.write(data)\n"
    )
    caps = _caps("client.py", "python", text)
    assert set(caps.writes) == {"~/.tool/data", "~/.*_creds.json"}


@pytest.mark.parametrize(
    ("path", "kind", "text"),
    [
        (
            "c.py",
            "python",
            "import httpx, os\nregion = os.environ['REGION']\n"
            "client = httpx.Client(base_url=f'https://{region}.api.acme.dev')\n",
        ),
        (
            "c.js",
            "js",
            "const axios = require('axios');\n"
            "const base = `https://${process.env.REGION}.api.acme.dev`;\n"
            "const api = axios.create({ baseURL: base });\n",
        ),
    ],
)
def test_clients_with_a_base_url_built_at_run_time(path: str, kind: str, text: str) -> None:
    assert set(_caps(path, kind, text).host_patterns) == {"*.api.acme.dev"}


def test_shell_loops_over_literal_words_name_each_path() -> None:
    text = 'for f in bashrc zshrc; do\n  ln -sf "$PWD/dotfiles/$f" "$HOME/.$f"\ndone\n'
    assert set(_caps("link.sh", "shell", text).writes) == {"~/.bashrc", "~/.zshrc"}


def test_a_folder_listing_reads_the_names_inside_it() -> None:
    text = (
        "from pathlib import Path\nimport os\n"
        "keys = list((Path.home() / '.ssh').glob('*.pub'))\n"
        "names = os.listdir(os.path.expanduser('~/.tool'))\n"
    )
    caps = _caps("audit.py", "python", text)
    assert set(caps.reads) == {"~/.ssh/*.pub", "~/.tool/*"}
    # a declared file inside the folder could be among the names: the listing is not flagged
    declared = {"filesystem": {"read": ["~/.ssh/id_ed25519.pub", "~/.tool/config"]}}
    assert _messages(caps, declared) == []


def test_python_path_lists_and_str_conversions_fold_to_the_default() -> None:
    # $KUBECONFIG is a path list: its first entry, or ~/.kube/config when unset
    text = (
        "import os\nfrom pathlib import Path\n"
        "p = Path(os.environ.get('KUBECONFIG', Path.home() / '.kube' / 'config')"
        ".__str__().split(os.pathsep)[0])\n"
        "cfg = p.read_text()\n"
    )
    assert set(_caps("k.py", "python", text).reads) == {"~/.kube/config"}


@pytest.mark.parametrize(
    "imports",
    [
        "import { homedir } from 'node:os';\nimport { join } from 'node:path';\n",
        "import { homedir } from 'os';\nimport { resolve as join } from 'path';\n",
        "const { homedir } = require('os');\nconst { join } = require('node:path');\n",
    ],
)
def test_js_named_path_imports_fold(imports: str) -> None:
    text = (
        "import { readFileSync } from 'node:fs';\n" + imports + "const base = "
        "process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config');\n"
        "readFileSync(join(base, 'tool', 'rules.yaml'), 'utf8');\n"
    )
    reads = _caps("src/config.ts", "js", text).reads
    assert set(reads) == {"~/.config/tool/rules.yaml"}
    messages = _messages(_caps("src/config.ts", "js", text), {"filesystem": {"read": ["./**"]}})
    assert messages == [
        'reads ~/.config/tool/rules.yaml: add "~/.config/tool/rules.yaml" to '
        "permissions.filesystem.read"
    ]


def test_path_imports_names_module_and_functions() -> None:
    from tank.scanner.capabilities_hosts import path_imports

    text = (
        "import p from 'node:path';\nimport * as q from 'path';\n"
        "import { join as j, resolve, basename } from 'node:path';\n"
        "const { normalize: n } = require('path');\nconst r = require('path');\n"
    )
    assert path_imports(text) == ({"p", "q", "r"}, {"j", "resolve", "n"})


_LAUNCH_AGENT = {
    "filesystem": {"write": ["~/Library/LaunchAgents/com.devsvc.*"]},
    "subprocess": True,  # mkdir and rm are programs
}


@pytest.mark.parametrize(
    ("path", "kind", "text"),
    [
        ("svc.sh", "shell", 'mkdir -p "$HOME/Library/LaunchAgents"\n'),
        (
            "svc.py",
            "python",
            "import os\nos.makedirs(os.path.expanduser('~/Library/LaunchAgents'))\n",
        ),
        (
            "svc.py",
            "python",
            "from pathlib import Path\n(Path.home() / 'Library' / 'LaunchAgents').mkdir()\n",
        ),
        (
            "svc.js",
            "js",
            "const fs = require('fs'); const os = require('os'); const path = require('path');\n"
            "fs.mkdirSync(path.join(os.homedir(), 'Library', 'LaunchAgents'), { recursive });\n",
        ),
    ],
)
def test_creating_the_folder_of_a_declared_write_is_covered(
    path: str, kind: str, text: str
) -> None:
    caps = _caps(path, kind, text)
    assert caps.folders == {"~/Library/LaunchAgents"}
    assert _messages(caps, _LAUNCH_AGENT) == []


def test_only_creating_a_folder_is_covered_by_a_grant_inside_it() -> None:
    # deleting the folder, or creating one no grant lies inside, stays undeclared
    text = 'rm -rf "$HOME/Library/LaunchAgents"\nmkdir -p "$HOME/.other"\n'
    assert _messages(_caps("svc.sh", "shell", text), _LAUNCH_AGENT) == [
        'writes ~/.other: add "~/.other" to permissions.filesystem.write',
        'writes ~/Library/LaunchAgents: add "~/Library/LaunchAgents" to '
        "permissions.filesystem.write",
    ]
    made_then_written = 'mkdir -p "$HOME/Library/LaunchAgents"\necho x > ~/Library/LaunchAgents\n'
    assert _caps("svc.sh", "shell", made_then_written).folders == set()


@pytest.mark.parametrize(
    ("folder", "expected"),
    [
        ("[Environment]::GetFolderPath('LocalApplicationData')", "~/AppData/Local/t/h.csv"),
        ('[System.Environment]::GetFolderPath("ApplicationData")', "~/AppData/Roaming/t/h.csv"),
        (
            "[Environment]::GetFolderPath([Environment+SpecialFolder]::MyDocuments)",
            "~/Documents/t/h.csv",
        ),
    ],
)
def test_powershell_special_folders_are_their_home_paths(folder: str, expected: str) -> None:
    text = (
        f"$d = Join-Path ({folder}) 't'\n$h = Join-Path $d 'h.csv'\n'x' | Out-File -FilePath $h\n"
    )
    assert set(_caps("p.ps1", "powershell", text).writes) == {expected}


def test_shell_files_found_under_a_folder_and_path_lists() -> None:
    text = (
        "#!/bin/sh\n"
        'EXTRA="$HOME/.npm/_logs ${XDG_STATE_HOME:-$HOME/.local/state}/$(basename "$PWD")/logs"\n'
        '[ "$(uname)" = Darwin ] && EXTRA="$EXTRA $HOME/Library/Logs/app"\n'
        "for d in $DIR $EXTRA; do\n"
        '  find "$d" -name \'*.gz\' -mtime +14 | while IFS= read -r f; do run rm -f "$f"; done\n'
        "done\n"
    )
    assert set(_caps("tidy.sh", "shell", text).writes) == {
        "~/.npm/_logs/*",
        "~/.local/state/*/logs/*",
        "~/Library/Logs/app/*",
    }


def test_shell_files_found_in_the_project_need_no_grant() -> None:
    text = "find ./logs -name '*.log' | while read -r f; do gzip \"$f\"; done\n"
    assert _caps("tidy.sh", "shell", text).writes == {}


def test_tar_operands_are_read_under_its_directory_option() -> None:
    sh = 'for d in .aws .kube; do\n  tar -C "$HOME" -czf "$out/x.tgz" "$d"\ndone\n'
    caps = _caps("report.sh", "shell", sh)
    assert {"~/.aws", "~/.kube"} <= set(caps.reads)


def test_an_indented_curl_in_a_function_is_network_use() -> None:
    sh = 'up() {\n    curl -s -X PUT --data-binary @f "$URL"\n}\n'
    assert _caps("up.sh", "shell", sh).network == ("up.sh", 2)


def test_a_link_built_only_to_be_shown_is_no_host() -> None:
    py = (
        "import json, urllib.request\n"
        'link = f"https://github.com/{repo}/releases/tag/v{version}"\n'
        'text = f"released: {link}"\n'
        'urllib.request.urlopen("https://hooks.slack.com/services/x", json.dumps(text).encode())\n'
    )
    assert set(_caps("announce.py", "python", py).hosts) == {"hooks.slack.com"}
    fetched = (
        "import urllib.request\n"
        'url = f"https://api.github.com/repos/{repo}"\n'
        "urllib.request.urlopen(url)\n"
    )
    assert "api.github.com" in _caps("fetch.py", "python", fetched).hosts


THUMBS = (
    "from pathlib import Path\nfrom PIL import Image\nOUT = Path('thumbnails')\n"
    "def make(src, w):\n    dst = OUT / src.parent.name / f'{src.stem}-{w}.jpg'\n"
    "    dst.parent.mkdir(parents=True, exist_ok=True)\n"
    "    Image.open(src).save(dst, 'JPEG')\n"
    "    open(f'{src.stem}.log', 'a').write('x')\n"
)


def test_python_writes_inside_the_project_need_declaring() -> None:
    caps = _caps("thumbgen/__main__.py", "python", THUMBS)
    found = _messages(caps, {"filesystem": {"write": ["./output/**"]}})
    assert any("./thumbnails/" in m for m in found)
    assert not any(".log" in m for m in found)  # a name made at run time names no folder
    assert _messages(caps, {"filesystem": {"write": ["./thumbnails/**"]}}) == []


def test_object_save_with_a_non_path_argument_is_no_write() -> None:
    caps = _caps("a.py", "python", "model.save('checkpoint')\ncache.save(key)\n")
    assert caps.writes == {}
